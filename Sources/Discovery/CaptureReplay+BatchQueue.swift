import Foundation
import Recording

extension CaptureReplay {
    /// The hand-off between the thread that decodes the capture and the one that consumes it: a few
    /// batches at most wait in it, so memory stays bounded however far the reader could run ahead.
    /// A condition variable, not a task, because both sides block.
    final class BatchQueue: @unchecked Sendable {
        private let condition = NSCondition()
        private let capacity: Int
        /// Guarded by `condition`.
        private var batches: [[Exchange]] = []
        private var head = 0
        private var outcome: Result<Summary, any Error>?
        /// Batches the consumer is done with, handed back so their memory is freed by the thread that
        /// allocated it: freeing into another thread's malloc arena costs that arena's lock.
        private var consumed: [[Exchange]] = []

        init(capacity: Int) {
            self.capacity = capacity
            batches.reserveCapacity(capacity)
        }

        /// Waits while `capacity` batches are already waiting.
        func put(_ batch: [Exchange]) {
            condition.lock()
            while batches.count - head >= capacity { condition.wait() }
            var done: [[Exchange]] = []
            swap(&done, &consumed)
            if head > 0, head == batches.count {
                batches.removeAll(keepingCapacity: true)
                head = 0
            }
            batches.append(batch)
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
            while head == batches.count, outcome == nil { condition.wait() }
            guard head < batches.count else { return nil }
            let batch = batches[head]
            batches[head] = []
            head += 1
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
