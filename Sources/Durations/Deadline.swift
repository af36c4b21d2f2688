import Dispatch

/// The moment a wait must end by, on the monotonic clock: one place for "now + timeout", "has it
/// passed" and "how long is left", so no caller turns a past deadline into a negative (that is, endless)
/// poll timeout or a zero one that spins.
public struct Deadline: Sendable, Hashable, Comparable {
    public let instant: ContinuousClock.Instant

    public init(_ instant: ContinuousClock.Instant) { self.instant = instant }

    /// `timeout` from now.
    public init(after timeout: Duration) { instant = .now + timeout }

    public var hasPassed: Bool { ContinuousClock.now >= instant }

    /// What is left, never negative: `.zero` once the deadline has passed.
    public var remaining: Duration { max(ContinuousClock.now.duration(to: instant), .zero) }

    /// What is left, in slices of at most `slice` (a poll that checks again in between).
    public func remaining(atMost slice: Duration) -> Duration { min(remaining, slice) }

    /// What is left as a `poll(2)` timeout: whole milliseconds rounded up, so a wait of less than a
    /// millisecond still sleeps instead of spinning; 0 once passed, never the -1 that would wait forever.
    public var pollMilliseconds: Int32 { Int32(clamping: remaining.inMillisecondsRoundedUp) }

    /// The same moment for Dispatch waits (semaphores, groups), rounded up to the millisecond like
    /// `pollMilliseconds`.
    public var dispatchTime: DispatchTime {
        .now() + .milliseconds(Int(clamping: remaining.inMillisecondsRoundedUp))
    }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.instant < rhs.instant }

    public static func + (deadline: Deadline, extra: Duration) -> Deadline { Deadline(deadline.instant + extra) }
}
