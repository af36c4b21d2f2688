import Foundation
import JSONCore
import Wire

/// `/api/settings`, `/api/monitor`, `/api/scripts`.
struct SystemRoutes: Sendable {
    let context: ReplicaContext

    func settings() -> HTTPResponse {
        let stored = context.state.withLock { $0.settings }
        var values: [String: JSON] = [
            "HF_TOKEN": "", "TRAINING_FOLDER": .string(context.defaultTrainingFolder),
            "DATASETS_FOLDER": .string(context.defaultDatasetsFolder), "MODELS_PATH": .string(context.defaultModelsFolder),
        ]
        for (key, value) in stored where !value.isEmpty || key == "HF_TOKEN" { values[key] = .string(value) }
        return .json(.object(values))
    }

    func saveSettings(_ request: HTTPRequest) -> HTTPResponse {
        guard let body = request.jsonObject?.objectValue else { return .json(["error": "Failed to update settings"], status: 500) }
        // Job and dataset names are confined to these folders, so the folders must stay in the data root:
        // the real app takes any folder, and a job deleted there would remove a folder anywhere.
        for key in ["TRAINING_FOLDER", "DATASETS_FOLDER"] {
            guard let folder = body[key]?.stringValue, !folder.isEmpty, !context.isInsideDataRoot(folder) else { continue }
            return .json(["error": .string("\(key) must be inside the replica's data root \(context.dataRoot.path)")], status: 400)
        }
        context.state.withLock { state in
            for key in ["HF_TOKEN", "TRAINING_FOLDER", "DATASETS_FOLDER", "MODELS_PATH"] {
                if let value = body[key] { state.settings[key] = value.stringValue ?? "" }
            }
        }
        return .json(["success": true])
    }

    /// Server-Sent Events: `event: init` with a short history, then `event: sample` every interval.
    func monitor() -> HTTPResponse {
        let interval = context.options.monitorInterval
        let hasGPU = context.options.hasGPU
        var headers = HTTPHeaders()
        headers.add("Cache-Control", "no-cache, no-transform")
        headers.add("X-Accel-Buffering", "no")
        return .stream(contentType: "text/event-stream", headers: headers) { writer in
            let now = Date()
            let history: [JSON] = (1...4).reversed().map { back in
                FakeMachine.sample(at: now.addingTimeInterval(-Double(back) * interval.seconds), hasGPU: hasGPU)
            }
            var first = FakeMachine.sample(at: now, hasGPU: hasGPU).objectValue ?? [:]
            first["history"] = .array(history)
            try writer.write("event: init\ndata: \(JSON.object(first).serialized())\n\n")
            while true {
                try await Task.sleep(for: interval)
                try writer.write("event: sample\ndata: \(FakeMachine.sample(at: Date(), hasGPU: hasGPU).serialized())\n\n")
            }
        }
    }

    /// Runs a named helper script. The replica has no Python: it reports what it would run.
    func scripts(_ request: HTTPRequest) -> HTTPResponse {
        guard let body = request.jsonObject, let script = body["script"]?.stringValue, !script.isEmpty else {
            return .json(["error": "Missing script"], status: 400)
        }
        let arguments = body["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let lines = ["Running \(script)\(arguments.isEmpty ? "" : " " + arguments.joined(separator: " "))", "Done."]
        guard body["stream"]?.boolValue == true else {
            return .json(["success": true, "code": 0, "stdout": .string(lines.joined(separator: "\n") + "\n"), "stderr": ""])
        }
        return .stream(contentType: "application/x-ndjson") { writer in
            for line in lines {
                try writer.write(JSON.object(["type": "stdout", "data": .string(line + "\n")]).serialized() + "\n")
                try await Task.sleep(for: .milliseconds(20))
            }
            try writer.write(JSON.object(["type": "exit", "code": 0, "success": true]).serialized() + "\n")
        }
    }
}

/// The machine the replica pretends to run on: one NVIDIA GPU, so the new-job form unlocks (or none,
/// `ReplicaOptions.hasGPU` false, as a pod without one reports it).
enum FakeMachine {
    static func sample(at date: Date, hasGPU: Bool = true) -> JSON {
        ["t": .integer(Int(date.timeIntervalSince1970 * 1000)), "cpu": cpuReport(at: date), "gpu": hasGPU ? gpuReport(at: date) : noGPU]
    }

    /// What `/api/gpu` answers where `nvidia-smi` is missing.
    static let noGPU: JSON = ["hasNvidiaSmi": false, "isMac": false, "gpus": []]

    /// A slow wave, so successive samples differ like real readings.
    private static func wave(_ date: Date, period: Double, low: Double, high: Double) -> Double {
        let phase = sin(date.timeIntervalSince1970 / period * 2 * .pi)
        return ((low + (high - low) * (phase + 1) / 2) * 10).rounded() / 10
    }

    static func gpuReport(at date: Date) -> JSON {
        let used = Int(wave(date, period: 60, low: 1200, high: 18000))
        let gpu: JSON = [
            "index": 0, "name": "NVIDIA GeForce RTX 4090", "driverVersion": "550.54.14",
            "temperature": .integer(Int(wave(date, period: 30, low: 38, high: 71))),
            "utilization": ["gpu": .integer(Int(wave(date, period: 10, low: 0, high: 98))), "memory": .integer(used * 100 / 24564)],
            "memory": ["total": 24564, "free": .integer(24564 - used), "used": .integer(used)],
            "power": ["draw": .number(wave(date, period: 10, low: 21.5, high: 412.3)), "limit": 450.0],
            "clocks": ["graphics": .integer(Int(wave(date, period: 10, low: 210, high: 2520))), "memory": 10501],
            "fan": ["speed": .integer(Int(wave(date, period: 30, low: 0, high: 64)))],
        ]
        return ["hasNvidiaSmi": true, "isMac": false, "gpus": [gpu]]
    }

    static func cpuReport(at date: Date) -> JSON {
        let total = 67_108_864_000
        let free = Int(wave(date, period: 45, low: 20_000_000_000, high: 50_000_000_000))
        return [
            "name": "AMD EPYC 7B13 (replica)", "cores": 16, "temperature": .integer(Int(wave(date, period: 40, low: 41, high: 63))),
            "totalMemory": .integer(total), "freeMemory": .integer(free), "availableMemory": .integer(free),
            "currentLoad": .number(wave(date, period: 12, low: 2, high: 64)),
        ]
    }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
