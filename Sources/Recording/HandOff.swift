import Foundation

/// A bounded first-in-first-out hand-off from one thread to another, both of which block: a few
/// elements at most wait in it, so memory stays bounded however far the producer could run ahead.
/// A condition variable, not a task, because both sides are threads doing blocking work.
///
/// The producer ends it with `finish` (with the error that stopped it, if any); a consumer that stops
/// early calls `cancel`, after which `put` drops what it is given and returns false, so a producer
/// never waits for a consumer that has gone.
public final class HandOff<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`: a ring of `waiting` elements starting at `head`.
    private var ring: [Element?]
    private var head = 0
    private var waiting = 0
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false

    public init(capacity: Int) {
        ring = Array(repeating: nil, count: max(capacity, 1))
    }

    /// Waits while the hand-off is full; false once the consumer has cancelled.
    @discardableResult
    public func put(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting == ring.count, !cancelled { condition.wait() }
        guard !cancelled else { return false }
        ring[(head + waiting) % ring.count] = element
        waiting += 1
        condition.broadcast()
        return true
    }

    /// Nothing more will come; `error` is why, when the producer failed.
    public func finish(throwing error: (any Error)? = nil) {
        condition.lock()
        finished = true
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    /// The next element, or nil once the producer finished and everything was taken; the producer's
    /// error, if it failed, after the elements it handed over before failing.
    public func take() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while waiting == 0, !finished, !cancelled { condition.wait() }
        guard waiting > 0 else {
            if let failure, !cancelled { throw failure }
            return nil
        }
        let element = ring[head]
        ring[head] = nil
        head = (head + 1) % ring.count
        waiting -= 1
        condition.broadcast()
        return element
    }

    /// The consumer stops: waiting elements are dropped, later ones refused, and `take` returns nil.
    public func cancel() {
        condition.lock()
        cancelled = true
        for index in ring.indices { ring[index] = nil }
        waiting = 0
        condition.broadcast()
        condition.unlock()
    }
}
