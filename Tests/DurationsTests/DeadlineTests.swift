import Dispatch
import Durations
import Glibc
import Testing

@Suite struct DeadlineTests {
    @Test func aFutureDeadlineHasTimeLeftAndHasNotPassed() {
        let deadline = Deadline(after: .seconds(30))
        #expect(!deadline.hasPassed)
        #expect(deadline.remaining > .seconds(29) && deadline.remaining <= .seconds(30))
        #expect(deadline.pollMilliseconds > 29_000 && deadline.pollMilliseconds <= 30_000)
    }

    @Test func aPassedDeadlineLeavesZeroNeverANegativeWait() {
        let deadline = Deadline(after: .seconds(-5))
        #expect(deadline.hasPassed)
        #expect(deadline.remaining == .zero)
        // poll(2) waits forever on a negative timeout: a passed deadline must poll for 0.
        #expect(deadline.pollMilliseconds == 0)
        #expect(deadline.remaining(atMost: .seconds(1)) == .zero)
    }

    @Test func thePollTimeoutRoundsUpSoItNeverEndsBeforeTheDeadline() {
        // Read the poll timeout first, the remainder after: rounded up, the timeout covers the (earlier,
        // larger) remainder it came from; rounded down, it would fall short by the fraction of a millisecond.
        for fraction in [900, 650, 400] {
            let deadline = Deadline(after: .milliseconds(500) + .microseconds(fraction))
            let milliseconds = deadline.pollMilliseconds
            let remaining = deadline.remaining
            #expect(Duration.milliseconds(milliseconds) >= remaining)
            #expect(milliseconds <= 501)
        }
        let soon = Deadline(after: .microseconds(900))
        let milliseconds = soon.pollMilliseconds
        // 0 only once the deadline has passed, so a wait for less than a millisecond does not spin.
        #expect(milliseconds == 1 || soon.hasPassed)
        #expect(Deadline(after: .seconds(3600 * 24 * 365)).pollMilliseconds == Int32.max)
    }

    @Test func remainingAtMostCapsTheSlice() {
        let deadline = Deadline(after: .seconds(10))
        #expect(deadline.remaining(atMost: .milliseconds(1000)) == .milliseconds(1000))
        let near = Deadline(after: .milliseconds(200))
        #expect(near.remaining(atMost: .milliseconds(1000)) <= .milliseconds(200))
        #expect(near.remaining(atMost: .milliseconds(1000)) > .milliseconds(100))
    }

    @Test func passesOnceItsTimeHasElapsed() {
        let deadline = Deadline(after: .milliseconds(30))
        #expect(!deadline.hasPassed)
        usleep(60_000)
        #expect(deadline.hasPassed)
        #expect(deadline.remaining == .zero)
    }

    @Test func ordersAndExtendsByTheirInstants() {
        let base = Deadline(after: .seconds(5))
        let later = base + .seconds(2)
        #expect(base < later)
        #expect(later.instant - base.instant == .seconds(2))
        #expect(min(later, base) == base)
        #expect(Deadline(base.instant) == base)
    }

    @Test func aDispatchWaitEndsAtTheDeadline() {
        let deadline = Deadline(after: .milliseconds(80))
        let started = ContinuousClock.now
        let result = DispatchSemaphore(value: 0).wait(timeout: deadline.dispatchTime)
        let waited = ContinuousClock.now - started
        #expect(result == .timedOut)
        #expect(waited >= .milliseconds(79) && waited < .seconds(2))
        #expect(Deadline(after: .seconds(-1)).dispatchTime <= DispatchTime.now())
    }
}
