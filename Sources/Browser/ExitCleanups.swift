import Synchronization

/// Work that must happen however the process ends, beside closing the browsers it launched: giving
/// back what is held elsewhere, such as a WebDriver session on a browser pool. The signal handler and
/// the atexit hook of `BrowserRegistry` run it; an owner that finishes first unregisters it.
public enum ExitCleanups {
    public struct Token: Hashable, Sendable {
        let number: Int
    }

    private struct State {
        var next = 0
        var pending: [Int: @Sendable () -> Void] = [:]
        /// Set once the exit path ran: work registered later runs at once, as nothing would run it.
        var ran = false
    }

    private static let state = Mutex(State())

    /// Registers `work`, which must be synchronous and bounded in time (the process waits for it on its
    /// way out). When the process is already ending, runs it before returning and returns nil.
    public static func register(_ work: @escaping @Sendable () -> Void) -> Token? {
        BrowserRegistry.installExitHook()
        let token = state.withLock { state -> Token? in
            guard !state.ran else { return nil }
            state.next += 1
            state.pending[state.next] = work
            return Token(number: state.next)
        }
        if token == nil { work() }
        return token
    }

    /// The owner did the work itself: the exit path must not.
    public static func unregister(_ token: Token) {
        _ = state.withLock { $0.pending.removeValue(forKey: token.number) }
    }

    /// Runs every registered work, each once, in registration order.
    static func runAll() {
        let works = state.withLock { state in
            defer {
                state.pending.removeAll()
                state.ran = true
            }
            return state.pending.sorted { $0.key < $1.key }.map(\.value)
        }
        for work in works { work() }
    }
}
