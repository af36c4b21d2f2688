import Dispatch
import Foundation
import Synchronization

/// A task executor for one task whose jobs run on one thread outside the cooperative pool: the
/// connection thread that waits for its handler anyway, or a thread started for a background task.
///
/// A handler run on the cooperative pool needs a free pool thread, and the pool has one thread per core.
/// When other code in the process parks every pool thread (a synchronous test running a program, a
/// client blocking on this very server), requests would wait, possibly until that code times out. With
/// this executor as the task's preference, the task, its structured children, the default actors it
/// calls and every resumption after a suspension run on that thread instead.
/// (`Task {}` inside the task does not inherit the preference; it runs on the pool, as anywhere.)
final class OwnThreadExecutor: TaskExecutor {
    private let state = Mutex(State())
    /// One signal per enqueued job, plus one when the task is done.
    private let wakeUp = DispatchSemaphore(value: 0)

    private struct State {
        var jobs: [UnownedJob] = []
        var taskDone = false
        /// The thread has stopped draining: a job arriving now gets a thread of its own.
        var drained = false
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let queued = state.withLock { state -> Bool in
            guard !state.drained else { return false }
            state.jobs.append(job)
            return true
        }
        if queued {
            wakeUp.signal()
        } else {
            // Only possible for work that outlives the task it came from; never strand it.
            Thread.detachNewThread { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    /// Runs `operation` as a task preferring this executor and drains its jobs on the calling thread
    /// until it finishes. `started` receives the task (to cancel it from elsewhere) before it runs.
    static func run<T: Sendable>(
        _ operation: @escaping @Sendable () async -> T, started: (Task<Void, Never>) -> Void
    ) -> T {
        let executor = OwnThreadExecutor()
        let result = Mutex<T?>(nil)
        let task = Task.detached(executorPreference: executor) {
            let value = await operation()
            result.withLock { $0 = value }
            executor.finishTask()
        }
        started(task)
        executor.drain()
        return result.withLock { $0! }
    }

    private func finishTask() {
        state.withLock { $0.taskDone = true }
        wakeUp.signal()
    }

    /// Starts `operation` as a detached task whose jobs all run on a new thread, named `name`, that ends
    /// with the task. For background work that must keep going while the cooperative pool is busy.
    static func detachedOnOwnThread(name: String, _ operation: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        let executor = OwnThreadExecutor()
        let task = Task.detached(executorPreference: executor) {
            await operation()
            executor.finishTask()
        }
        let thread = Thread { executor.drain() }
        thread.name = name
        thread.start()
        return task
    }

    private func drain() {
        while true {
            wakeUp.wait()
            let next = state.withLock { state -> UnownedJob?? in
                if !state.jobs.isEmpty { return .some(state.jobs.removeFirst()) }
                guard state.taskDone else { return .some(nil) }  // that job's signal came late; it already ran
                state.drained = true
                return .none
            }
            guard let next else { return }
            next?.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

extension Task where Success == Void, Failure == Never {
    /// A detached task whose jobs (and those of its structured children and the default actors it calls)
    /// all run on a new thread of its own, never on the cooperative pool; the thread ends with the task.
    /// For background loops, such as a server's simulated worker, that must keep their pace while the
    /// pool's threads (one per core) are busy or parked.
    public static func detachedOnOwnThread(name: String, _ operation: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        OwnThreadExecutor.detachedOnOwnThread(name: name, operation)
    }
}
