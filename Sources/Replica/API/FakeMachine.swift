import Foundation
import JSONCore

/// The machine the replica pretends to run on: one NVIDIA GPU, so the new-job form unlocks (or none,
/// `ReplicaOptions.hasGPU` false, as a pod without one reports it). Shapes and units as `server/monitor.ts`
/// and `types.ts` have them: CPU memory in MB (fractional, bytes / 1024²), GPU memory in whole MiB.
enum FakeMachine {
    /// `MONITOR_HISTORY_LENGTH` (utils/monitorSample.ts): two minutes of 500 ms ticks.
    static let historyLength = 240

    /// A `MonitorSample`: `{t, cpu, gpu}`, the monitor's GPU report keeping `isMac` (monitor.ts).
    static func sample(at date: Date, hasGPU: Bool = true) -> JSON {
        let gpu: JSON = hasGPU ? ["hasNvidiaSmi": true, "isMac": false, "gpus": gpus(at: date)] : noGPU
        return ["t": .integer(Int(date.timeIntervalSince1970 * 1000)), "cpu": cpuReport(at: date), "gpu": gpu]
    }

    /// `historyPointFromSample` (utils/monitorSample.ts): load and memory only.
    static func historyPoint(_ sample: JSON) -> JSON {
        let cpu = sample["cpu"]
        let total = cpu?["totalMemory"]?.doubleValue ?? 0
        let available = cpu?["availableMemory"]?.doubleValue ?? 0
        let gpus: [JSON] = (sample["gpu"]?["gpus"]?.arrayValue ?? []).map { gpu in
            ["load": gpu["utilization"]?["gpu"] ?? 0, "memUsedMb": gpu["memory"]?["used"] ?? 0]
        }
        return [
            "t": sample["t"] ?? 0,
            "cpu": ["load": cpu?["currentLoad"] ?? 0, "memUsedMb": .number(total - available)],
            "gpus": .array(gpus),
        ]
    }

    /// What the monitor and `/api/gpu` answer where `nvidia-smi` is missing.
    static let noGPU: JSON = ["hasNvidiaSmi": false, "isMac": false, "gpus": [], "error": "nvidia-smi not found or not accessible"]

    /// A slow wave, so successive samples differ like real readings.
    private static func wave(_ date: Date, period: Double, low: Double, high: Double) -> Double {
        let phase = sin(date.timeIntervalSince1970 / period * 2 * .pi)
        return ((low + (high - low) * (phase + 1) / 2) * 10).rounded() / 10
    }

    /// One `GpuInfo` as `parseGpuLine` builds it from `nvidia-smi` (memory in MiB).
    static func gpus(at date: Date) -> JSON {
        let used = Int(wave(date, period: 60, low: 1200, high: 18000))
        return [[
            "index": 0, "name": "NVIDIA GeForce RTX 4090", "driverVersion": "550.54.14",
            "temperature": .integer(Int(wave(date, period: 30, low: 38, high: 71))),
            "utilization": ["gpu": .integer(Int(wave(date, period: 10, low: 0, high: 98))), "memory": .integer(used * 100 / 24564)],
            "memory": ["total": 24564, "free": .integer(24564 - used), "used": .integer(used)],
            "power": ["draw": .number(wave(date, period: 10, low: 21.5, high: 412.3)), "limit": 450.0],
            "clocks": ["graphics": .integer(Int(wave(date, period: 10, low: 210, high: 2520))), "memory": 10501],
            "fan": ["speed": .integer(Int(wave(date, period: 30, low: 0, high: 64)))],
        ]]
    }

    /// A `CpuInfo` (cpu/route.ts, monitor.ts `sampleCpu`): memory is `/proc/meminfo` bytes / 1024², so MB
    /// with a fraction.
    static func cpuReport(at date: Date) -> JSON {
        let megabyte = 1024.0 * 1024.0
        let total = 65_536_020_480.0 / megabyte
        let available = wave(date, period: 45, low: 20_000_000_000, high: 50_000_000_000) / megabyte
        let free = available * 0.62
        return [
            "name": "AMD EPYC 7B13 (replica)", "cores": 16, "temperature": .number(wave(date, period: 40, low: 41, high: 63)),
            "totalMemory": .number(total), "availableMemory": .number(available), "freeMemory": .number(free),
            "currentLoad": .number(wave(date, period: 12, low: 2, high: 64)),
        ]
    }
}
