import Foundation
import JSONCore
import HTTPServer

/// `/api/jobs` and `/api/jobs/<id>/<action>`. Each route names the real file it follows
/// (`ui/src/app/api/...` at 27a03a91; where c9843692's differs, the 2025-10 branch says so).
struct JobRoutes: Sendable {
    let context: ReplicaContext
    let trainer: SimulatedTrainer

    static let actions: Set<String> = ["start", "stop", "mark_stopped", "delete", "save_now", "sample_now", "log", "files",
                                       "samples", "loss", "plugin"]

    /// What Next.js sends when a route handler throws (a Prisma `update` of a missing row, say): a bare 500.
    static let unhandledError = HTTPResponse(status: 500)

    /// `jobs/route.ts` GET: `?id=` one job or null; `?job_ref=` the newest-updated job with that ref, or
    /// null; else `{jobs}` newest first, `only_active=true` cached 5 s. c9843692 reads only `id`.
    func list(_ request: HTTPRequest) -> HTTPResponse {
        if let id = request.queryValue("id"), !id.isEmpty {
            return .json(context.job(id)?.json(context.version) ?? .null)
        }
        if context.version.isOctober2025 {
            let jobs = context.state.withLock { Array($0.jobs.values) }.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
            return .json(["jobs": .array(jobs.map { $0.json(context.version) })])
        }
        if let ref = request.queryValue("job_ref"), !ref.isEmpty {
            let newest = context.state.withLock { state in
                state.jobs.values.filter { $0.jobRef == ref }.max { $0.updatedAt < $1.updatedAt }
            }
            return .json(newest?.json(context.version) ?? .null)
        }
        let type = request.queryValue("job_type").flatMap { $0.isEmpty ? nil : $0 }
        func query(activeOnly: Bool) -> [Job] {
            var jobs = context.state.withLock { Array($0.jobs.values) }
            if let type { jobs = jobs.filter { $0.jobType == type } }
            if activeOnly { jobs = jobs.filter { Job.activeStatuses.contains($0.status) } }
            return jobs.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        }
        let jobs = request.queryValue("only_active") == "true"
            ? context.activeJobs.value(for: type ?? "") { query(activeOnly: true) }
            : query(activeOnly: false)
        return .json(["jobs": .array(jobs.map { $0.json(context.version) })])
    }

    /// `jobs/route.ts` POST: create (no id) or update (with id). A taken name is 409, as the Prisma
    /// unique-constraint error maps; a missing required column (`gpu_ids`, `job_config`) fails the insert.
    func save(_ request: HTTPRequest) -> HTTPResponse {
        let failure = HTTPResponse.json(["error": "Failed to save training data"], status: 500)
        guard let body = request.jsonObject, let fields = body.objectValue else { return failure }
        let id = body["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let name = body["name"]?.stringValue
        // The real app takes any name and joins it to the training folder, so `../../x` escapes it;
        // the replica keeps a name to one folder inside.
        if let name, !ConfinedPath.isSingleComponent(name) {
            return .json(["error": "Job name must be a folder name: no '/', and not '.' or '..'"], status: 400)
        }
        // Prisma leaves a column alone when its value is undefined, and `JSON.stringify(undefined)` is.
        let gpuIDs = body["gpu_ids"]?.stringValue ?? body["gpu_ids"]?.intValue.map(String.init)
        let config = body["job_config"].map { $0.serialized() }
        enum Outcome { case saved(Job), conflict, failed }
        let outcome: Outcome = context.state.withLock { state in
            if let name, state.jobs.values.contains(where: { $0.name == name && $0.id != id }) { return .conflict }
            let now = Date()
            var job: Job
            if let id {
                guard let existing = state.jobs[id] else { return .failed }
                job = existing
                if let name { job.name = name }
                if let gpuIDs { job.gpuIDs = gpuIDs }
                if let config { job.jobConfig = config }
                job.updatedAt = now
            } else {
                guard let name, let gpuIDs, let config else { return .failed }
                job = Job(id: UUID().uuidString.lowercased(), name: name, gpuIDs: gpuIDs, jobConfig: config, createdAt: now, updatedAt: now)
                job.queuePosition = state.nextQueuePosition
            }
            // `'job_ref' in body`: sent as null, it clears the ref. c9843692 saves neither field.
            if context.version.isOctober2025 {
                state.jobs[job.id] = job
                return .saved(job)
            }
            if fields.keys.contains("job_ref") { job.jobRef = body["job_ref"]?.stringValue }
            if fields.keys.contains("job_type") {
                guard let type = body["job_type"]?.stringValue else { return .failed }
                job.jobType = type
            }
            state.jobs[job.id] = job
            return .saved(job)
        }
        switch outcome {
        case .saved(let job): return .json(job.json(context.version))
        case .conflict: return .json(["error": "Job name already exists"], status: 409)
        case .failed: return failure
        }
    }

    func action(_ action: String, id: String, request: HTTPRequest) -> HTTPResponse {
        guard Self.actions.contains(action) else { return ReplicaRouter.notFound }
        let output = JobOutputRoutes(context: context)
        switch action {
        case "mark_stopped": return markStopped(id)
        case "stop" where context.version.isOctober2025: return stopByFlag(id)
        case "save_now": return flag(id) { $0.saveNow = true }
        case "sample_now": return flag(id) { $0.sampleNow = true }
        default: break
        }
        guard let job = context.job(id) else { return .json(["error": "Job not found"], status: 404) }
        switch action {
        case "start": return start(job)
        case "stop": return stop(job)
        case "delete": return delete(job)
        case "log": return output.log(job, request: request)
        case "files": return output.files(job)
        case "samples": return output.samples(job)
        case "loss": return output.loss(job, request: request)
        default: return output.plugin(job, request: request)
        }
    }

    /// `jobs/[jobID]/start/route.ts`: queued at the global highest position + 1000, the GPU's queue row
    /// created (stopped) when missing; answers with the job as it was before.
    private func start(_ job: Job) -> HTTPResponse {
        context.state.withLock { state in
            let position = state.nextQueuePosition
            guard var current = state.jobs[job.id] else { return }
            current.queuePosition = position
            current.status = "queued"
            current.stop = false
            current.returnToQueue = false
            current.info = "Job queued"
            current.updatedAt = Date()
            state.jobs[job.id] = current
            _ = state.ensureQueue(current.gpuIDs)
        }
        return .json(job.json(context.version))
    }

    /// `jobs/[jobID]/stop/route.ts`: `stop` set and info `Stopping job...`; only a job with a pid gets
    /// the signal and `stopped`/`Job stopped`. A queued job stays queued (the worker resets `stop` when it
    /// starts it). Answers with the job as it was before.
    private func stop(_ job: Job) -> HTTPResponse {
        context.updateJob(job.id) {
            $0.stop = true
            $0.info = "Stopping job..."
            if $0.pid != nil {
                $0.status = "stopped"
                $0.info = "Job stopped"
            }
        }
        if job.pid != nil { trainer.cancel(jobID: job.id) }
        return .json(job.json(context.version))
    }

    /// `jobs/[jobID]/stop/route.ts` at c9843692: only `stop: true` and `Stopping job...`; the trainer
    /// sees the flag at its next check and marks itself stopped. Answers with the job as it was before;
    /// an unknown id makes the update throw (no 404 yet): a bare 500.
    private func stopByFlag(_ id: String) -> HTTPResponse {
        guard let before = context.job(id) else { return Self.unhandledError }
        context.updateJob(id) {
            $0.stop = true
            $0.info = "Stopping job..."
        }
        return .json(before.json(context.version))
    }

    /// `jobs/[jobID]/mark_stopped/route.ts`: stopped, `stop: true`, info `Job stopped`, pid cleared (there
    /// is no pid column at c9843692); answers with the job as it was before. An unknown id makes the Prisma
    /// update throw: a bare 500.
    private func markStopped(_ id: String) -> HTTPResponse {
        guard let before = context.job(id) else { return Self.unhandledError }
        context.updateJob(id) {
            $0.stop = true
            $0.status = "stopped"
            $0.info = "Job stopped"
            $0.pid = nil
        }
        // The trainer sees `stop` at its next check and exits; the simulated one ends now.
        trainer.cancel(jobID: id)
        return .json(before.json(context.version))
    }

    /// `jobs/[jobID]/save_now/route.ts` and `sample_now/route.ts`: the updated job; an unknown id is a
    /// bare 500 (the Prisma update throws).
    private func flag(_ id: String, _ change: (inout Job) -> Void) -> HTTPResponse {
        guard let updated = context.updateJob(id, change) else { return Self.unhandledError }
        return .json(updated.json(context.version))
    }

    /// `jobs/[jobID]/delete/route.ts`: the folder and the row removed; answers with the job. The real
    /// route leaves a running trainer process alone; the replica ends its simulated run.
    private func delete(_ job: Job) -> HTTPResponse {
        trainer.cancel(jobID: job.id)
        _ = context.state.withLock { $0.jobs.removeValue(forKey: job.id) }
        if let folder = context.jobFolder(job) { try? FileManager.default.removeItem(at: folder) }
        return .json(job.json(context.version))
    }
}
