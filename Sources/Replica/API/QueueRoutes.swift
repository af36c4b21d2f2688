import Foundation
import JSONCore
import HTTPServer

/// `/api/queue` and `/api/queue/<gpu_ids>/start|stop`.
struct QueueRoutes: Sendable {
    let context: ReplicaContext

    /// `queue/route.ts`: `{queues}` ordered by `gpu_ids`.
    func list() -> HTTPResponse {
        let rows = context.state.withLock { $0.queues.values.sorted { $0.gpuIDs < $1.gpuIDs } }
        return .json(["queues": .array(rows.map(\.json))])
    }

    /// `queue/[queueID]/start/route.ts`: a missing row is created running and returned; an existing one is
    /// set running and returned as it was before (so the job page's Play gets `is_running: false`).
    func start(_ gpuIDs: String) -> HTTPResponse {
        let row = context.state.withLock { state -> QueueRow in
            if state.queues[gpuIDs] == nil { return state.ensureQueue(gpuIDs, running: true) }
            let before = state.queues[gpuIDs]!
            state.queues[gpuIDs]?.isRunning = true
            return before
        }
        return .json(row.json)
    }

    /// `queue/[queueID]/stop/route.ts`: 404 for a missing row; else set stopped and returned as it was.
    func stop(_ gpuIDs: String) -> HTTPResponse {
        let row = context.state.withLock { state -> QueueRow? in
            guard let before = state.queues[gpuIDs] else { return nil }
            state.queues[gpuIDs]?.isRunning = false
            return before
        }
        guard let row else { return .json(["error": "Queue not found"], status: 404) }
        return .json(row.json)
    }
}
