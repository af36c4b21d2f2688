import DevTools
import Foundation
import JSONCore
import Synchronization

/// Credentials given in `--base-url http://user:password@host`: taken out of the URL before anything is
/// recorded or printed, and given to the app the way a browser's login prompt would, only to the
/// app's own origin, when it asks (`Fetch.authRequired`).
public struct HTTPCredentials: Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// The URL without its user and password, and those credentials (nil when it had none).
    public static func split(_ url: String) -> (url: String, credentials: HTTPCredentials?) {
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil else { return (url, nil) }
        let credentials = HTTPCredentials(username: components.user ?? "", password: components.password ?? "")
        components.user = nil
        components.password = nil
        return (components.string ?? url, credentials)
    }

    /// The secret name under which the password is redacted.
    public static let secretName = "base-url password"
}

/// Answers the app's authentication challenges on one page session. Fetch pauses every request of the
/// origin; each is let through at once.
final class HTTPCredentialResponder: Sendable {
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    func start(session: CDPSession, origin: String, credentials: HTTPCredentials) async throws {
        let events = session.events(["Fetch.requestPaused", "Fetch.authRequired"])
        _ = try await session.send(
            "Fetch.enable", ["handleAuthRequests": true, "patterns": [["urlPattern": .string(origin + "/*")]]], timeout: .seconds(10))
        let running = Task {
            for await event in events {
                guard let requestId = event.params["requestId"]?.stringValue else { continue }
                if event.method == "Fetch.authRequired" {
                    let challenge = event.params["authChallenge"]?["origin"]?.stringValue
                    let answer: JSON =
                        challenge == origin || challenge == nil
                        ? ["response": "ProvideCredentials", "username": .string(credentials.username), "password": .string(credentials.password)]
                        : ["response": "Default"]
                    _ = try? await session.send("Fetch.continueWithAuth", ["requestId": .string(requestId), "authChallengeResponse": answer])
                } else {
                    _ = try? await session.send("Fetch.continueRequest", ["requestId": .string(requestId)])
                }
            }
        }
        task.withLock { $0 = running }
    }

    func stop() { task.withLock { $0?.cancel() } }
}
