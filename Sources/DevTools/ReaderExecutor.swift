import Foundation
import Synchronization

/// Lets a task continue on the connection's reader thread right after the reader made it runnable
/// (an event it awaited, a reply), instead of waiting for a pool thread to wake up: an event consumer
/// then costs no thread wake-up per event. Opt in with `Task(executorPreference: connection.executor)`.
/// (A command's reply resumes its caller on the reader thread without it: see `ReplyResumption`.)
///
/// Only jobs made runnable by the reader itself run inline, after the message
/// that resumed them is dispatched (a reply that arrives before its task has even suspended leaves
/// the task on its own thread); everything else goes to the global executor, so a task that
/// yields or loops cannot keep the reader from reading. Code run this way must not block the
/// thread synchronously: reading waits until it awaits.
public final class ReaderExecutor: TaskExecutor {
    private struct State {
        var readerThread: pthread_t?
        var collecting = false
        var inline: [UnownedJob] = []
    }

    private let state = Mutex(State())

    init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let kept = state.withLock { state -> Bool in
            guard state.collecting, let reader = state.readerThread, pthread_equal(reader, pthread_self()) != 0 else { return false }
            state.inline.append(unowned)
            return true
        }
        if !kept { globalConcurrentExecutor.enqueue(unowned) }
    }

    func attachReaderThread() {
        state.withLock { $0.readerThread = pthread_self() }
    }

    /// Runs `dispatch`, then the jobs it made runnable, on the reader thread.
    func dispatching(_ dispatch: () -> Void) {
        state.withLock { $0.collecting = true }
        dispatch()
        let jobs = state.withLock { state -> [UnownedJob] in
            state.collecting = false
            defer { state.inline.removeAll(keepingCapacity: true) }
            return state.inline
        }
        let executor = asUnownedTaskExecutor()
        for job in jobs { job.runSynchronously(on: executor) }
    }
}
