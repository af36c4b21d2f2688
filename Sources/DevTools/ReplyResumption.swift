import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Continues the task that awaited a reply on the reader thread that read it, whatever executor the
/// task runs on otherwise, so a sequential command loop costs one thread wake-up per round trip, as a
/// blocking loop does, instead of two (the reader's, then a pool thread's).
///
/// Resuming a continuation hands the task's next job to the global executor, from inside `resume`.
/// While `keeping` runs, a process-wide hook on that hand-over (the runtime's
/// `swift_task_enqueueGlobal_hook`, the one SwiftNIO uses to run tasks on its event loops) keeps the
/// job instead when it comes from this reader thread; `runKept()` then runs it there, after the
/// message is dispatched, until the task next suspends (typically on its next command, which it
/// writes from here). Every other job, from any other thread or moment, goes to the global executor
/// unchanged. Code that runs this way must not block the thread synchronously: reading waits until
/// it awaits.
///
/// Only the connection's reader thread touches an instance, which is why it needs no lock.
final class ReplyResumption: @unchecked Sendable {
    private var keepingJobs = false
    private var kept: [UnownedJob] = []

    /// Called on the reader thread before it reads.
    func attachToCurrentThread() {
        guard Self.hookInstalled else { return }
        pthread_setspecific(Self.threadKey, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Runs `resume`, keeping the job it hands to the global executor.
    func keeping(_ resume: () -> Void) {
        keepingJobs = true
        resume()
        keepingJobs = false
    }

    /// Runs the kept jobs on this thread.
    func runKept() {
        guard !kept.isEmpty else { return }
        let jobs = kept
        kept.removeAll(keepingCapacity: true)
        let executor = globalConcurrentExecutor.asUnownedTaskExecutor()
        for job in jobs { job.runSynchronously(on: executor) }
    }

    fileprivate func keep(_ job: UnownedJob) -> Bool {
        guard keepingJobs else { return false }
        kept.append(job)
        return true
    }

    // MARK: The hook

    private typealias Original = @convention(thin) (UnownedJob) -> Void
    private typealias Hook = @convention(thin) (UnownedJob, Original) -> Void

    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Installed once per process; false when the runtime has no such hook, or another library installed
    /// one first (it is left alone, not chained): the default path then works as before, the task
    /// continuing on the pool.
    private static let hookInstalled: Bool = {
        _ = threadKey
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "swift_task_enqueueGlobal_hook") else { return false }
        let slot = symbol.assumingMemoryBound(to: UnsafeRawPointer?.self)
        guard slot.pointee == nil else { return false }  // Someone else's hook: leave it alone.
        let hook: Hook = { job, original in
            if let current = pthread_getspecific(ReplyResumption.threadKey),
               Unmanaged<ReplyResumption>.fromOpaque(current).takeUnretainedValue().keep(job)
            {
                return
            }
            original(job)
        }
        slot.pointee = unsafeBitCast(hook, to: UnsafeRawPointer.self)
        return true
    }()
}
