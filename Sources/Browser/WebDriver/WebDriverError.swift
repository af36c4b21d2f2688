/// Why a WebDriver server could not give us a browser, or take it back; each case names the server
/// and says what it answered.
public enum WebDriverError: Error, Sendable, CustomStringConvertible {
    /// No answer: refused, unresolvable, or silent past the timeout.
    case unreachable(server: String, request: String, detail: String)
    /// The server answered the new-session request with an error (W3C `value.error` and `value.message`).
    case sessionNotCreated(server: String, status: Int, error: String?, message: String)
    /// An answer that is not what the W3C protocol says.
    case invalidAnswer(server: String, request: String, detail: String)
    /// The session's capabilities name no DevTools endpoint we can use.
    case noDevToolsEndpoint(server: String, capabilityNames: [String])
    /// The DevTools endpoint the session gave did not take our connection.
    case devToolsUnreachable(server: String, endpoint: String, capability: String, detail: String)
    /// The server did not confirm that it deleted the session.
    case sessionNotDeleted(server: String, session: String, detail: String)
    /// The process began to exit while the session was being created: it was deleted at once.
    case interrupted(server: String)

    public var description: String {
        switch self {
        case .unreachable(let server, let request, let detail):
            "the WebDriver server at \(server) did not answer \(request): \(detail)"
        case .sessionNotCreated(let server, let status, let error, let message):
            "the WebDriver server at \(server) did not create a session (HTTP \(status)\(error.map { ", \($0)" } ?? "")): \(message)"
        case .invalidAnswer(let server, let request, let detail):
            "the WebDriver server at \(server) answered \(request) with something that is not W3C WebDriver: \(detail)"
        case .noDevToolsEndpoint(let server, let names):
            "the session from \(server) names no DevTools endpoint (neither se:cdp nor goog:chromeOptions.debuggerAddress; its capabilities: \(names.joined(separator: ", "))): discover drives Chromium over DevTools, so the pool must run Chrome or Chromium and expose CDP"
        case .devToolsUnreachable(let server, let endpoint, let capability, let detail):
            "the session from \(server) gives \(endpoint) as its DevTools endpoint (\(capability)), which did not take a connection: \(detail)"
                + (capability.hasSuffix("debuggerAddress") ? "\n(chromedriver's debuggerAddress is reachable only on the machine chromedriver runs on)" : "")
        case .sessionNotDeleted(let server, let session, let detail):
            "the WebDriver server at \(server) did not confirm deleting session \(session): \(detail); the pool may keep its browser until its own idle timeout"
        case .interrupted(let server):
            "interrupted while \(server) created a session; the session was deleted"
        }
    }
}
