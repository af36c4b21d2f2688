import Foundation
import JSONCore
import Synchronization
import TestSupport
import HTTPServer

/// A stand-in for a Selenium Grid 4 hub on our own `HTTPServer`: it speaks the W3C session JSON, starts a
/// real Chromium for each session and gives that browser's DevTools URL as `se:cdp` (a real grid gives a
/// URL of its own that it proxies), ends the browser when the session is deleted, and records every
/// request it receives.
final class GridStandIn: Sendable {
    enum Behaviour: Sendable {
        /// Sessions as a grid with Chrome nodes makes them.
        case grid
        /// A grid with no node for the request: HTTP 500, W3C `session not created`.
        case noNode
        /// A session on a browser without DevTools (a Firefox node).
        case firefox
        /// Sessions as `grid`, but a DELETE is never answered.
        case deleteNeverAnswered
    }

    static let noNodeMessage = "Could not start a new session. Could not start a new session. No nodes support the capabilities in the request"

    private struct State {
        var requests: [String] = []
        var newSessionBodies: [JSON] = []
        var sessions: Set<String> = []
        var browsers: [String: DebuggingPortChromium] = [:]
    }

    private let state = Mutex(State())
    private let server = Mutex<HTTPServer?>(nil)
    let behaviour: Behaviour

    var url: String { server.withLock { $0?.baseURL ?? "" } }
    /// `METHOD /path` of every request, in order.
    var requests: [String] { state.withLock { $0.requests } }
    var newSessionBodies: [JSON] { state.withLock { $0.newSessionBodies } }
    /// Sessions not deleted yet.
    var liveSessions: Set<String> { state.withLock { $0.sessions } }

    init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        let started = try HTTPServer.start { [weak self] request in
            await self?.answer(request) ?? .text("gone", status: 503)
        }
        server.withLock { $0 = started }
    }

    private func answer(_ request: HTTPRequest) async -> HTTPResponse {
        state.withLock { $0.requests.append("\(request.method) \(request.path)") }
        switch (request.method, request.path.split(separator: "/")) {
        case ("POST", ["session"]):
            state.withLock { $0.newSessionBodies.append(request.jsonBody ?? .null) }
            return await newSession()
        case ("DELETE", let parts) where parts.count == 2 && parts[0] == "session":
            let id = String(parts[1])
            if case .deleteNeverAnswered = behaviour { try? await Task.sleep(for: .seconds(30)) }
            let (known, browser) = state.withLock { ($0.sessions.remove(id) != nil, $0.browsers.removeValue(forKey: id)) }
            guard known else {
                return .json(["value": ["error": "invalid session id", "message": .string("no session \(id)"), "stacktrace": ""]], status: 404)
            }
            browser?.close()
            return .json(["value": nil])
        default:
            return .json(["value": ["error": "unknown command", "message": .string("\(request.method) \(request.path)"), "stacktrace": ""]], status: 404)
        }
    }

    private func newSession() async -> HTTPResponse {
        switch behaviour {
        case .noNode:
            return .json(["value": ["error": "session not created", "message": .string(Self.noNodeMessage), "stacktrace": ""]], status: 500)
        case .firefox:
            state.withLock { _ = $0.sessions.insert("firefox-1") }
            return .json(["value": ["sessionId": "firefox-1", "capabilities": ["browserName": "firefox", "moz:headless": true]]])
        case .grid, .deleteNeverAnswered:
            do {
                let browser = try await DebuggingPortChromium.launch()
                let id = UUID().uuidString.lowercased()
                state.withLock {
                    $0.sessions.insert(id)
                    $0.browsers[id] = browser
                }
                return .json(["value": ["sessionId": .string(id), "capabilities": [
                    "browserName": "chrome", "se:cdp": .string(browser.browserWebSocketURL), "se:cdpVersion": "156",
                ]]])
            } catch {
                return .json(["value": ["error": "session not created", "message": .string("\(error)"), "stacktrace": ""]], status: 500)
            }
        }
    }

    /// Kills the sessions' browsers (SIGKILL), as a crash on a node would; their sessions stay.
    func crashBrowsers() {
        for browser in state.withLock({ Array($0.browsers.values) }) { browser.kill() }
    }

    /// Stops answering and ends every browser a session left running.
    func stop() async {
        if let running = server.withLock({ $0 }) { await running.stop(timeout: .seconds(2)) }
        let left = state.withLock { state in
            defer {
                state.browsers.removeAll()
                state.sessions.removeAll()
            }
            return Array(state.browsers.values)
        }
        for browser in left { browser.close() }
    }
}
