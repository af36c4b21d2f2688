import Glibc

/// A failed socket operation: which call failed, on what, and the system's own words for why.
public struct SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The system call or step that failed, for example `connect` or `getaddrinfo`.
    public let operation: String
    /// `errno` (or the `getaddrinfo` code) at the time of the failure; 0 when not from the system.
    public let code: Int32
    /// The system's text for `code` (strerror / gai_strerror), or our own explanation.
    public let reason: String
    /// What the operation was applied to, for example `127.0.0.1:9222`.
    public let target: String

    public init(operation: String, code: Int32, reason: String, target: String = "") {
        self.operation = operation
        self.code = code
        self.reason = reason
        self.target = target
    }

    /// An error for the current `errno`.
    static func system(_ operation: String, target: String = "", errno code: Int32 = errno) -> SocketError {
        SocketError(operation: operation, code: code, reason: String(cString: strerror(code)), target: target)
    }

    /// True when a receive timeout (`setReceiveTimeout`) or a connect timeout expired.
    public var isTimeout: Bool { code == EAGAIN || code == EWOULDBLOCK || code == ETIMEDOUT }

    public var description: String {
        let on = target.isEmpty ? "" : " (\(target))"
        let number = code == 0 ? "" : " [errno \(code)]"
        return "\(operation) failed\(on): \(reason)\(number)"
    }
}
