import Durations
import Testing

/// The one place that turns a `Duration` into seconds, milliseconds and nanoseconds.
@Suite struct DurationUnitsTests {
    @Test func secondsKeepTheirFraction() {
        #expect(Duration.milliseconds(1500).inSeconds == 1.5)
        #expect(Duration.zero.inSeconds == 0)
        #expect(Duration.nanoseconds(1).inSeconds == 1e-9)
    }

    @Test func millisecondsRoundDownOrUpAsAsked() {
        #expect(Duration.microseconds(1999).inMilliseconds == 1)
        #expect(Duration.microseconds(1999).inMillisecondsRoundedUp == 2)
        #expect(Duration.nanoseconds(1).inMillisecondsRoundedUp == 1, "a positive wait never becomes 0")
        #expect(Duration.seconds(3).inMilliseconds == 3000 && Duration.seconds(3).inMillisecondsRoundedUp == 3000)
        #expect(Duration.zero.inMillisecondsRoundedUp == 0)
    }

    @Test func nanosecondsAndTimevalParts() {
        #expect(Duration.milliseconds(2500).inNanoseconds == 2_500_000_000)
        let parts = Duration.milliseconds(2500).inSecondsAndMicroseconds
        #expect(parts.seconds == 2 && parts.microseconds == 500_000)
    }
}
