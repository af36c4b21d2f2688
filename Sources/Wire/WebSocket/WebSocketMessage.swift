/// A whole data message: the payload of one frame or of a reassembled fragmented sequence.
public struct WebSocketMessage: Sendable, Equatable {
    /// `.text` (payload is valid UTF-8) or `.binary`.
    public let opcode: WebSocketOpcode
    public let payload: [UInt8]

    public init(opcode: WebSocketOpcode, payload: [UInt8]) {
        precondition(opcode == .text || opcode == .binary, "a message is text or binary, not \(opcode)")
        self.opcode = opcode
        self.payload = payload
    }

    public static func text(_ string: String) -> WebSocketMessage { WebSocketMessage(opcode: .text, payload: Array(string.utf8)) }
    public static func binary(_ bytes: [UInt8]) -> WebSocketMessage { WebSocketMessage(opcode: .binary, payload: bytes) }

    public var isText: Bool { opcode == .text }
    /// The text of a text message; nil for a binary one.
    public var text: String? { isText ? String(decoding: payload, as: UTF8.self) : nil }
}

/// What one frame amounts to once fed to a `WebSocketMessageAssembler`.
public enum WebSocketEvent: Sendable, Equatable {
    case message(WebSocketMessage)
    case ping([UInt8])
    case pong([UInt8])
    case close(WebSocketClose)
}
