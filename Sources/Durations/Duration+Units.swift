/// `Duration` in the units the code hands to other APIs (seconds for messages and Foundation, whole
/// milliseconds for JSON and the page's timers, nanoseconds for clocks): one place for the arithmetic
/// on `components`, which is easy to get wrong by a factor of a thousand.
extension Duration {
    /// Seconds, with their fraction.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Whole milliseconds, rounded down.
    public var inMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Whole milliseconds, rounded up, so a short positive wait never becomes 0.
    public var inMillisecondsRoundedUp: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }

    /// Whole nanoseconds (wrapping past 292 years).
    public var inNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }

    /// Whole seconds and the microseconds beyond them, for `timeval`.
    public var inSecondsAndMicroseconds: (seconds: Int, microseconds: Int) {
        let (seconds, attoseconds) = components
        return (Int(seconds), Int(attoseconds / 1_000_000_000_000))
    }
}
