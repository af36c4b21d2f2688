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
/// yields or loops cannot keep the reader from reading. Jobs that those inline jobs make runnable run
/// inline too, a few generations deep (`generations`): a consumer fed by another consumer on the
/// reader (the recorder, fed by the browser's network tracker) would otherwise cost a pool thread
/// wake-up per event, which on a loaded machine delays the page's own commands. Code run this way
/// must not block the thread synchronously: reading waits until it awaits.
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

    /// Enough for a chain of consumers (the connection's stream, the browser's network, its subscribers)
    /// while bounding a task that yields in a loop: its later turns go to the pool.
    static let generations = 4

    /// Runs `dispatch`, then the jobs it made runnable, then theirs, on the reader thread.
    func dispatching(_ dispatch: () -> Void) {
        state.withLock { $0.collecting = true }
        dispatch()
        let executor = asUnownedTaskExecutor()
        for generation in 1...Self.generations {
            let jobs = state.withLock { state -> [UnownedJob] in
                // The last generation's jobs hand what they make runnable to the pool.
                if generation == Self.generations || state.inline.isEmpty { state.collecting = false }
                defer { state.inline.removeAll(keepingCapacity: true) }
                return state.inline
            }
            if jobs.isEmpty { return }
            for job in jobs { job.runSynchronously(on: executor) }
        }
    }

    /// Runs `body` with nothing kept for the reader: a reply too large to continue on the reader thread
    /// resumes its task on the pool even when the task prefers this executor.
    func notKeeping(_ body: () -> Void) {
        let was = state.withLock { state in
            defer { state.collecting = false }
            return state.collecting
        }
        body()
        state.withLock { $0.collecting = was }
    }
}
