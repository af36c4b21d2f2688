import Foundation
import JSONCore
import Synchronization
import Wire

/// A W3C WebDriver session on a browser pool (Selenium Grid 4, chromedriver, Moon, Selenoid): the pool
/// starts a browser for it, and deleting the session ends that browser. It is deleted exactly once,
/// whatever happens: by `delete`, or, when the process ends first (an error, SIGINT, SIGTERM), by
/// `ExitCleanups` on the way out.
public final class WebDriverSession: Sendable {
    /// The server's base URL, without a trailing slash.
    public let server: String
    public let id: String
    /// The capabilities the server answered with.
    public let capabilities: JSON
    private let state = Mutex(State())

    private struct State {
        var exitToken: ExitCleanups.Token?
        /// Set by whichever path deletes first; the others leave it alone.
        var deleting = false
    }

    /// The bound on a delete made on the way out: the process waits for it after a signal, before the
    /// run may write what it captured (`BrowserRegistry.interruptWriteLimit`).
    static let exitDeleteLimit: Duration = .seconds(5)

    private init(server: String, id: String, capabilities: JSON) {
        self.server = server
        self.id = id
        self.capabilities = capabilities
    }

    /// `POST {server}/session` with `body` (see `WebDriverCapabilities.newSessionBody`); the whole
    /// exchange is bounded by `timeout` (a grid may queue the request or start a container first).
    public static func create(server given: String, body: JSON, timeout: Duration) async throws -> WebDriverSession {
        var server = given
        while server.hasSuffix("/") { server.removeLast() }
        let request = "POST \(server)/session"
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.request("POST", url: server + "/session", json: body, timeout: timeout)
        } catch {
            throw WebDriverError.unreachable(server: server, request: request, detail: Self.explain(error, timeout: timeout))
        }
        let answer = try? JSON.parse(bytes: response.body)
        guard response.status == 200 else {
            let value = answer?["value"]
            let message = value?["message"]?.stringValue ?? "\(response.head.reason): \(response.text.prefix(300))"
            throw WebDriverError.sessionNotCreated(server: server, status: response.status, error: value?["error"]?.stringValue, message: message)
        }
        guard let value = answer?["value"], let id = value["sessionId"]?.stringValue, !id.isEmpty else {
            throw WebDriverError.invalidAnswer(server: server, request: request, detail: "no value.sessionId in \(response.text.prefix(300))")
        }
        let session = WebDriverSession(server: server, id: id, capabilities: value["capabilities"] ?? [:])
        let token = ExitCleanups.register { session.deleteOnTheWayOut() }
        guard let token else { throw WebDriverError.interrupted(server: server) }
        session.state.withLock { $0.exitToken = token }
        return session
    }

    /// Where the session's browser takes DevTools connections, and the capability that said so:
    /// Selenium Grid 4's `se:cdp` (a ws:// URL through the grid), else chromedriver's
    /// `goog:chromeOptions.debuggerAddress` (`host:port`, whose `/json/version` names the browser's URL).
    public var devToolsEndpoint: (url: String, capability: String)? {
        if let url = capabilities["se:cdp"]?.stringValue, !url.isEmpty { return (url, "se:cdp") }
        if let address = capabilities["goog:chromeOptions"]?["debuggerAddress"]?.stringValue, !address.isEmpty {
            return ("http://\(address)", "goog:chromeOptions.debuggerAddress")
        }
        return nil
    }

    /// `DELETE {server}/session/{id}`, bounded by `timeout`. Returns at once when another path already
    /// deleted the session (or is deleting it). A session the server no longer knows counts as deleted.
    public func delete(timeout: Duration) async throws {
        try await BlockingWork.run(name: "WebDriverSession.delete") { try self.deleteNow(timeout: timeout) }
    }

    private func deleteNow(timeout: Duration) throws {
        let claim = state.withLock { state -> (first: Bool, exitToken: ExitCleanups.Token?) in
            defer { state.deleting = true }
            return (!state.deleting, state.exitToken)
        }
        guard claim.first else { return }
        if let token = claim.exitToken { ExitCleanups.unregister(token) }
        let url = "\(server)/session/\(id)"
        let response: HTTPClientResponse
        do {
            response = try HTTPClient.requestBlocking("DELETE", url: url, timeout: timeout)
        } catch {
            throw WebDriverError.sessionNotDeleted(server: server, session: id, detail: "DELETE \(url): \(Self.explain(error, timeout: timeout))")
        }
        let error = (try? JSON.parse(bytes: response.body))?["value"]?["error"]?.stringValue
        guard response.status == 200 || error == "invalid session id" else {
            throw WebDriverError.sessionNotDeleted(
                server: server, session: id, detail: "DELETE \(url) answered \(response.status): \(response.text.prefix(300))")
        }
    }

    /// From the signal handler or atexit: synchronous, bounded, and it can only say what went wrong.
    private func deleteOnTheWayOut() {
        do {
            try deleteNow(timeout: Self.exitDeleteLimit)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        }
    }

    /// A refused connection and a silent server read differently: say which it was.
    static func explain(_ error: any Error, timeout: Duration) -> String {
        switch error {
        case let error as SocketError: "no connection: \(error)"
        case HTTPError.timeout: "it took the connection, then sent no complete answer within \(timeout)"
        default: "\(error)"
        }
    }
}
