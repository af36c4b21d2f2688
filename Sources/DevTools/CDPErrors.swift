import JSONCore

/// An event as Chromium sent it; `sessionId` is nil for the browser session.
public struct CDPEvent: Sendable {
    public let method: String
    public let sessionId: String?
    public let params: JSON

    public init(method: String, sessionId: String?, params: JSON) {
        self.method = method
        self.sessionId = sessionId
        self.params = params
    }
}

/// An error reply from Chromium, tagged with the command that caused it.
public struct CDPError: Error, Sendable, CustomStringConvertible {
    public let method: String
    public let code: Int
    public let message: String
    public let data: String?

    public init(method: String, code: Int, message: String, data: String?) {
        self.method = method
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String {
        var text = "\(method) failed: \(message) (code \(code))"
        if let data { text += ": \(data)" }
        return text
    }
}

public enum DevToolsError: Error, Sendable, CustomStringConvertible {
    /// The channel to the browser closed; every command still waiting failed with this.
    case disconnected(reason: String)
    case timeout(method: String, seconds: Double)
    case invalidMessage(String)
    /// The target the command was sent to went away (a closed tab, a removed frame) before it answered.
    case targetClosed(method: String, reason: String)

    public var description: String {
        switch self {
        case .disconnected(let reason): return "DevTools connection closed: \(reason)"
        case .targetClosed(let method, let reason): return "\(method) got no reply: \(reason)"
        case .timeout(let method, let seconds): return "\(method) got no reply within \(seconds) s"
        case .invalidMessage(let detail): return "invalid DevTools message: \(detail)"
        }
    }
}
