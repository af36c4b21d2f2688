import Foundation
import Synchronization

/// `ui/src/server/apiCache.ts`'s `cached()`: a value stays fresh for a while after it was made, and every
/// caller in that time gets the same value. The real app puts `GET /api/jobs?only_active=true`,
/// `/api/cpu` and `/api/gpu` behind it (5 s), so a change can take that long to show there.
final class StaleCache<Value: Sendable>: Sendable {
    private let freshFor: Duration
    private let entries = Mutex<[String: (made: ContinuousClock.Instant, value: Value)]>([:])

    init(freshFor: Duration = .seconds(5)) {
        self.freshFor = freshFor
    }

    func value(for key: String, make: () -> Value) -> Value {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[key] }), now - entry.made < freshFor { return entry.value }
        let value = make()
        entries.withLock { $0[key] = (now, value) }
        return value
    }
}
