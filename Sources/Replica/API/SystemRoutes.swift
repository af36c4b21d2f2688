import Foundation
import JSONCore
import HTTPServer
import Wire
import Durations

/// `/api/settings`, `/api/monitor`, `/api/cpu`, `/api/gpu`.
struct SystemRoutes: Sendable {
    let context: ReplicaContext

    /// `settings/route.ts` GET: the stored rows (so `HF_TOKEN`, in plain text, only once saved), the
    /// three folders defaulted when unset or empty (c9843692: two, no `MODELS_PATH` yet).
    func settings() -> HTTPResponse {
        var values = context.state.withLock { $0.settings }.mapValues { JSON.string($0) }
        var defaults = ["TRAINING_FOLDER": context.defaultTrainingFolder, "DATASETS_FOLDER": context.defaultDatasetsFolder]
        if !context.version.isOctober2025 { defaults["MODELS_PATH"] = context.defaultModelsFolder }
        for (key, folder) in defaults where (values[key]?.stringValue ?? "").isEmpty { values[key] = .string(folder) }
        return .json(.object(values))
    }

    /// `settings/route.ts` POST: the four keys (c9843692: three, no `MODELS_PATH`) upserted (a key left out keeps its row, as Prisma's upsert
    /// with an undefined value does).
    func saveSettings(_ request: HTTPRequest) -> HTTPResponse {
        guard let body = request.jsonObject?.objectValue else { return .json(["error": "Failed to update settings"], status: 500) }
        // Job and dataset names are confined to these folders, so the folders must stay in the data root:
        // the real app takes any folder, and a job deleted there would remove a folder anywhere.
        for key in ["TRAINING_FOLDER", "DATASETS_FOLDER"] {
            guard let folder = body[key]?.stringValue, !folder.isEmpty, !context.isInsideDataRoot(folder) else { continue }
            return .json(["error": .string("\(key) must be inside the replica's data root \(context.dataRoot.path)")], status: 400)
        }
        let isOctober2025 = context.version.isOctober2025
        context.state.withLock { state in
            for key in ["HF_TOKEN", "TRAINING_FOLDER", "DATASETS_FOLDER", "MODELS_PATH"] where key != "MODELS_PATH" || !isOctober2025 {
                if let value = body[key] { state.settings[key] = value.stringValue ?? "" }
            }
        }
        return .json(["success": true])
    }

    /// `monitor/route.ts` + `server/monitor.ts`: Server-Sent Events, `event: init` with the latest full
    /// sample and the rolling history (slim points, one a tick, at most 2 minutes and never before the
    /// server started), then `event: sample` every tick.
    func monitor() -> HTTPResponse {
        let interval = context.options.monitorInterval
        let hasGPU = context.options.hasGPU
        let startedAt = context.startedAt
        var headers = HTTPHeaders()
        headers.add("Cache-Control", "no-cache, no-transform")
        headers.add("X-Accel-Buffering", "no")
        return .stream(contentType: "text/event-stream", headers: headers) { writer in
            let now = Date()
            let ticks = min(FakeMachine.historyLength, Int(now.timeIntervalSince(startedAt) / interval.inSeconds) + 1)
            let history: [JSON] = (0..<ticks).reversed().map { back in
                FakeMachine.historyPoint(FakeMachine.sample(at: now.addingTimeInterval(-Double(back) * interval.inSeconds), hasGPU: hasGPU))
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

    /// `cpu/route.ts`: the CPU report, memory in MB, cached 5 s (read anew each time at c9843692).
    func cpu() -> HTTPResponse {
        guard !context.version.isOctober2025 else { return .json(FakeMachine.cpuReport(at: Date())) }
        return .json(context.machineReports.value(for: "cpu-info") { FakeMachine.cpuReport(at: Date()) })
    }

    /// `gpu/route.ts` on Linux: `{hasNvidiaSmi: true, gpus}` (no `isMac`), or the no-`nvidia-smi` answer;
    /// cached 5 s. c9843692 reads anew each time, and its no-`nvidia-smi` answer has no `isMac`.
    func gpu() -> HTTPResponse {
        let hasGPU = context.options.hasGPU
        if context.version.isOctober2025 {
            guard hasGPU else { return .json(.object((FakeMachine.noGPU.objectValue ?? [:]).filter { $0.key != "isMac" })) }
            return .json(["hasNvidiaSmi": true, "gpus": FakeMachine.gpus(at: Date())])
        }
        return .json(context.machineReports.value(for: "gpu-info") {
            guard hasGPU else { return FakeMachine.noGPU }
            return ["hasNvidiaSmi": true, "gpus": FakeMachine.gpus(at: Date())]
        })
    }
}

