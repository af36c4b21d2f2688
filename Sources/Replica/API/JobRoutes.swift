import Foundation
import JSONCore
import Wire

/// `/api/jobs`, `/api/jobs/<id>/<action>` and `/api/queue`.
struct JobRoutes: Sendable {
    let context: ReplicaContext
    let trainer: SimulatedTrainer

    static let actions: Set<String> = ["start", "stop", "mark_stopped", "delete", "save_now", "sample_now", "log", "files",
                                       "samples", "loss", "plugin"]

    func list(_ request: HTTPRequest) -> HTTPResponse {
        if let id = request.queryValue("id"), !id.isEmpty {
            return .json(context.job(id)?.json ?? .null)
        }
        var jobs = context.state.withLock { Array($0.jobs.values) }
        if let ref = request.queryValue("job_ref"), !ref.isEmpty { jobs = jobs.filter { $0.jobRef == ref } }
        if let type = request.queryValue("job_type"), !type.isEmpty { jobs = jobs.filter { $0.jobType == type } }
        if request.queryValue("only_active") == "true" { jobs = jobs.filter { Job.activeStatuses.contains($0.status) } }
        jobs.sort { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        return .json(["jobs": .array(jobs.map(\.json))])
    }

    /// Create (no id) or update (with id). A taken name is 409, as the Prisma unique-constraint error maps.
    func save(_ request: HTTPRequest) -> HTTPResponse {
        let failure = HTTPResponse.json(["error": "Failed to save training data"], status: 500)
        guard let body = request.jsonObject, let name = body["name"]?.stringValue, !name.isEmpty else { return failure }
        // The real app takes any name and joins it to the training folder, so `../../x` escapes it;
        // the replica keeps a name to one folder inside.
        guard ConfinedPath.isSingleComponent(name) else {
            return .json(["error": "Job name must be a folder name: no '/', and not '.' or '..'"], status: 400)
        }
        let gpuIDs = body["gpu_ids"]?.stringValue ?? body["gpu_ids"]?.intValue.map(String.init) ?? "0"
        let config = body["job_config"].map { $0.serialized() } ?? "null"
        let id = body["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        enum Outcome { case saved(Job), conflict, missing }
        let outcome: Outcome = context.state.withLock { state in
            if state.jobs.values.contains(where: { $0.name == name && $0.id != id }) { return .conflict }
            let now = Date()
            if let id {
                guard var job = state.jobs[id] else { return .missing }
                job.name = name
                job.gpuIDs = gpuIDs
                job.jobConfig = config
                job.updatedAt = now
                state.jobs[id] = job
                return .saved(job)
            }
            var job = Job(id: UUID().uuidString.lowercased(), name: name, gpuIDs: gpuIDs, jobConfig: config, createdAt: now, updatedAt: now)
            if let type = body["job_type"]?.stringValue { job.jobType = type }
            job.jobRef = body["job_ref"]?.stringValue
            state.jobs[job.id] = job
            return .saved(job)
        }
        switch outcome {
        case .saved(let job): return .json(job.json)
        case .conflict: return .json(["error": "Job name already exists"], status: 409)
        case .missing: return failure
        }
    }

    func action(_ action: String, id: String, request: HTTPRequest) -> HTTPResponse {
        guard Self.actions.contains(action) else { return ReplicaRouter.notFound }
        guard let job = context.job(id) else { return .json(["error": "Job not found"], status: 404) }
        switch action {
        case "start":
            context.state.withLock { state in
                let position = (state.jobs.values.filter { $0.status == "queued" }.map(\.queuePosition).max() ?? 0) + 1
                state.jobs[id]?.status = "queued"
                state.jobs[id]?.info = "Job queued"
                state.jobs[id]?.stop = false
                state.jobs[id]?.queuePosition = position
                state.jobs[id]?.updatedAt = Date()
                _ = state.ensureQueue(job.gpuIDs)
            }
            return .json(job.json)
        case "stop":
            context.updateJob(id) {
                $0.stop = true
                $0.status = "stopped"
                $0.info = "Job stopped"
            }
            trainer.cancel(jobID: id)
            return .json(job.json)
        case "mark_stopped":
            let updated = context.updateJob(id) {
                $0.status = "stopped"
                $0.stop = false
            }
            return .json(updated?.json ?? .null)
        case "delete":
            trainer.cancel(jobID: id)
            _ = context.state.withLock { $0.jobs.removeValue(forKey: id) }
            if let folder = context.jobFolder(job) { try? FileManager.default.removeItem(at: folder) }
            return .json(job.json)
        case "save_now":
            return .json(context.updateJob(id) { $0.saveNow = true }?.json ?? .null)
        case "sample_now":
            return .json(context.updateJob(id) { $0.sampleNow = true }?.json ?? .null)
        case "log":
            return log(job, request: request)
        case "files":
            return files(job)
        case "samples":
            return samples(job)
        case "loss":
            return loss(job, request: request)
        default:  // plugin: the replica's jobs never write a plugin.html
            return .json(["exists": false, "html": .null])
        }
    }

    /// 2026-08: `{log, offset, reset}` (bytes after `offset`, or the tail with `reset: true`); before: `{log}`.
    private func log(_ job: Job, request: HTTPRequest) -> HTTPResponse {
        guard let url = context.jobFolder(job)?.appendingPathComponent("log.txt"), let data = try? Data(contentsOf: url) else {
            return context.version.hasIncrementalLog ? .json(["log": "", "offset": 0, "reset": true]) : .json(["log": ""])
        }
        guard context.version.hasIncrementalLog else {
            return .json(["log": .string(String(decoding: data, as: UTF8.self))])
        }
        let offset = request.queryValue("offset").flatMap { Int($0.prefix { $0.isNumber || $0 == "-" }) }
        if let offset, offset >= 0, offset <= data.count {
            return .json(["log": .string(String(decoding: data[offset...], as: UTF8.self)), "offset": .integer(data.count), "reset": false])
        }
        let maximumLines = 2000
        let start = max(0, data.count - maximumLines * 512)
        var text = String(decoding: data[start...], as: UTF8.self)
        if start > 0, let newline = text.firstIndex(of: "\n") { text = String(text[text.index(after: newline)...]) }
        let lines = text.components(separatedBy: "\n")
        if lines.count > maximumLines { text = lines.suffix(maximumLines).joined(separator: "\n") }
        return .json(["log": .string(text), "offset": .integer(data.count), "reset": true])
    }

    private func files(_ job: Job) -> HTTPResponse {
        guard let folder = context.jobFolder(job) else { return .json(["files": []]) }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".safetensors") || $0 == "optimizer.pt" }.sorted()
        let entries: [JSON] = names.map { name in
            let path = folder.appendingPathComponent(name).path
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
            return ["path": .string(path), "size": .integer(size)]
        }
        return .json(["files": .array(entries)])
    }

    private func samples(_ job: Job) -> HTTPResponse {
        guard let folder = context.jobFolder(job)?.appendingPathComponent("samples") else { return .json(["samples": []]) }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { DatasetRoutes.imageExtensions.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) }.sorted()
        return .json(["samples": .array(names.map { .string(folder.appendingPathComponent($0).path) })])
    }

    private func loss(_ job: Job, request: HTTPRequest) -> HTTPResponse {
        let key = request.queryValue("key").flatMap { $0.isEmpty ? nil : $0 } ?? "loss"
        var points = context.state.withLock { $0.loss[job.id] ?? [] }
        if key != "loss" { points = [] }
        if let since = request.queryValue("since_step").flatMap(Int.init) { points = points.filter { $0.step > since } }
        if let stride = request.queryValue("stride").flatMap(Int.init), stride > 1 {
            points = points.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
        }
        if let limit = request.queryValue("limit").flatMap(Int.init), limit > 0, points.count > limit { points = Array(points.suffix(limit)) }
        let keys: [JSON] = context.state.withLock { ($0.loss[job.id]?.isEmpty ?? true) ? [] : ["loss"] }
        return .json([
            "key": .string(key), "keys": .array(keys),
            "points": .array(points.map { ["step": .integer($0.step), "wall_time": .number($0.wallTime), "value": .number($0.value)] }),
        ])
    }

    // MARK: Queue

    func queues() -> HTTPResponse {
        let rows = context.state.withLock { $0.queues.values.sorted { $0.id < $1.id } }
        return .json(["queues": .array(rows.map(\.json))])
    }

    func startQueue(_ gpuIDs: String) -> HTTPResponse {
        let row = context.state.withLock { state -> QueueRow in
            var row = state.ensureQueue(gpuIDs)
            row.isRunning = true
            state.queues[gpuIDs] = row
            return row
        }
        return .json(row.json)
    }

    func stopQueue(_ gpuIDs: String) -> HTTPResponse {
        let row = context.state.withLock { state -> QueueRow? in
            guard var row = state.queues[gpuIDs] else { return nil }
            row.isRunning = false
            state.queues[gpuIDs] = row
            return row
        }
        guard let row else { return .json(["error": "Queue not found"], status: 404) }
        return .json(row.json)
    }
}
