import Foundation
import Recording

extension CaptureReplay {
    /// The hand-off between the thread that decodes the capture and the one that consumes it: a few
    /// batches at most wait in it, so memory stays bounded however far the reader could run ahead.
    /// A condition variable, not a task, because both sides block.
    final class BatchQueue: @unchecked Sendable {
        private let condition = NSCondition()
        /// Guarded by `condition`: a ring of `waiting` batches starting at `head`.
        private var ring: [[Exchange]]
        private var head = 0
        private var waiting = 0
        private var outcome: Result<Summary, any Error>?
        /// Batches the consumer is done with, handed back so their memory is freed by the thread that
        /// allocated it: freeing into another thread's malloc arena costs that arena's lock.
        private var consumed: [[Exchange]] = []

        init(capacity: Int) {
            ring = Array(repeating: [], count: capacity)
        }

        /// Waits while the ring is full.
        func put(_ batch: [Exchange]) {
            condition.lock()
            while waiting == ring.count { condition.wait() }
            var done: [[Exchange]] = []
            swap(&done, &consumed)
            ring[(head + waiting) % ring.count] = batch
            waiting += 1
            condition.broadcast()
            condition.unlock()
            done.removeAll()
        }

        /// The reader is done: what it read about the capture, or why it stopped.
        func finish(_ result: Result<Summary, any Error>) {
            condition.lock()
            outcome = result
            condition.broadcast()
            condition.unlock()
        }

        /// The next batch in file order, or nil once the reader has finished and every batch was taken.
        func take(returning finished: inout [Exchange]) -> [Exchange]? {
            condition.lock()
            defer { condition.unlock() }
            if !finished.isEmpty {
                consumed.append(finished)
                finished = []
            }
            while waiting == 0, outcome == nil { condition.wait() }
            guard waiting > 0 else { return nil }
            var batch: [Exchange] = []
            swap(&batch, &ring[head])
            head = (head + 1) % ring.count
            waiting -= 1
            condition.broadcast()
            return batch
        }

        /// Only meaningful after `take` returned nil.
        func result() throws -> Summary {
            condition.lock()
            defer { condition.unlock() }
            guard let outcome else { preconditionFailure("the capture reader has not finished") }
            return try outcome.get()
        }
    }
}
