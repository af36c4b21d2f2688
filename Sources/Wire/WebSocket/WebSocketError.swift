/// Why a WebSocket connection, frame or message was refused. Each case says what was seen.
public enum WebSocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The peer broke RFC 6455 (bad header bits, bad fragmentation, bad close frame, ...).
    case protocolViolation(String)
    /// A frame or message larger than the configured maximum. `size` is the size announced or reached.
    case messageTooLarge(size: Int, limit: Int)
    /// A text message (or close reason) that is not valid UTF-8; the text says where.
    case invalidUTF8(String)
    /// The opening handshake failed; the text says what the server answered.
    case handshakeFailed(String)
    /// The URL cannot be used (wrong scheme, no host, TLS).
    case unsupportedURL(String)
    /// The connection is closed: by a close frame (with its code and reason) or by us.
    case closed(code: UInt16?, reason: String)
    /// The TCP connection ended or failed without a closing handshake.
    case connectionLost(String)

    /// The status code to send in our close frame when this error ends the connection.
    public var closeCode: UInt16 {
        switch self {
        case .messageTooLarge: 1009
        case .invalidUTF8: 1007
        default: 1002
        }
    }

    public var description: String {
        switch self {
        case .protocolViolation(let detail): "WebSocket protocol violation: \(detail)"
        case .messageTooLarge(let size, let limit):
            "WebSocket message of \(size) bytes exceeds the maximum message size of \(limit) bytes "
                + "(raise maximumMessageSize to accept it)"
        case .invalidUTF8(let detail): "WebSocket text is not valid UTF-8: \(detail)"
        case .handshakeFailed(let detail): "WebSocket handshake failed: \(detail)"
        case .unsupportedURL(let detail): "unsupported WebSocket URL: \(detail)"
        case .closed(let code, let reason):
            "WebSocket closed" + (code.map { " with code \($0)" } ?? " without a status code")
                + (reason.isEmpty ? "" : ": \(reason)")
        case .connectionLost(let detail): "WebSocket connection lost: \(detail)"
        }
    }
}
