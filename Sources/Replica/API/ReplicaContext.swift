import Foundation
import JSONCore
import Synchronization

/// Everything the routes and the trainer share: the options, the data root and the database rows.
final class ReplicaContext: Sendable {
    let options: ReplicaOptions
    let version: ReplicaVersion
    let dataRoot: URL
    let state: Mutex<ReplicaState>
    /// `GET /api/jobs?only_active=true`, cached 5 s per `job_type` as `jobs/route.ts` does.
    let activeJobs = StaleCache<[Job]>()
    /// `/api/cpu` and `/api/gpu` answers, cached 5 s as `cpu/route.ts` and `gpu/route.ts` do.
    let machineReports = StaleCache<JSON>()
    /// When the replica started: the monitor's history only reaches back this far, as the real one's does.
    let startedAt = Date()

    init(options: ReplicaOptions, version: ReplicaVersion, dataRoot: URL) {
        self.options = options
        self.version = version
        self.dataRoot = dataRoot.standardizedFileURL
        self.state = Mutex(ReplicaState())
    }

    var defaultTrainingFolder: String { dataRoot.appendingPathComponent("output").path }
    var defaultDatasetsFolder: String { dataRoot.appendingPathComponent("datasets").path }
    var defaultModelsFolder: String { dataRoot.appendingPathComponent("models").path }

    /// A settings row overrides the default only when it is not empty, as `getTrainingFolder` does.
    var trainingFolder: String { setting("TRAINING_FOLDER") ?? defaultTrainingFolder }
    var datasetsFolder: String { setting("DATASETS_FOLDER") ?? defaultDatasetsFolder }

    private func setting(_ key: String) -> String? {
        state.withLock { $0.settings[key] }.flatMap { $0.isEmpty ? nil : $0 }
    }

    func job(_ id: String) -> Job? { state.withLock { $0.jobs[id] } }

    /// Applies `change` to the job and stamps `updated_at`; returns the job after the change.
    @discardableResult
    func updateJob(_ id: String, _ change: (inout Job) -> Void) -> Job? {
        state.withLock { state in
            guard var job = state.jobs[id] else { return nil }
            change(&job)
            job.updatedAt = Date()
            state.jobs[id] = job
            return job
        }
    }

    /// The job's folder in the training folder; nil when its name would put it anywhere else (names are
    /// checked when saved, but a symlink may have appeared since).
    func jobFolder(_ job: Job) -> URL? {
        ConfinedPath.child(job.name, of: trainingFolder)
    }

    /// True when `folder` (a settings value) lies inside the data root, symlinks resolved.
    func isInsideDataRoot(_ folder: String) -> Bool {
        ConfinedPath.inside(folder, roots: [dataRoot.path]) != nil
    }
}

struct ReplicaState: Sendable {
    var jobs: [String: Job] = [:]
    var queues: [String: QueueRow] = [:]
    var nextQueueID = 1
    var settings: [String: String] = [:]
    var loss: [String: [LossPoint]] = [:]

    /// The next `queue_position`: the highest of all jobs plus 1000, as job create and start compute it.
    var nextQueuePosition: Int { (jobs.values.map(\.queuePosition).max() ?? 0) + 1000 }

    /// The queue row for a GPU set, created when missing (stopped by a job's `start`, running by the
    /// queue's own `start`).
    mutating func ensureQueue(_ gpuIDs: String, running: Bool = false) -> QueueRow {
        if let row = queues[gpuIDs] { return row }
        let row = QueueRow(id: nextQueueID, gpuIDs: gpuIDs, isRunning: running)
        nextQueueID += 1
        queues[gpuIDs] = row
        return row
    }
}
