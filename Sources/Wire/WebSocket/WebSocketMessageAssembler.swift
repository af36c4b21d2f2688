/// Turns frames into messages: joins fragments (with control frames allowed in between), enforces the
/// maximum message size, checks text is UTF-8 and close frames are well-formed.
public struct WebSocketMessageAssembler: Sendable {
    public let maximumMessageSize: Int

    private var fragmentedOpcode: WebSocketOpcode?
    private var fragments: [UInt8] = []

    public init(maximumMessageSize: Int = 256 << 20) {
        self.maximumMessageSize = maximumMessageSize
    }

    /// True while a fragmented message has started and not finished.
    public var isInsideFragmentedMessage: Bool { fragmentedOpcode != nil }

    /// The event this frame completes, or nil for a fragment that leaves its message unfinished.
    public mutating func push(_ frame: WebSocketFrame) throws -> WebSocketEvent? {
        switch frame.opcode {
        case .ping: return .ping(frame.payload)
        case .pong: return .pong(frame.payload)
        case .close: return .close(try WebSocketClose(payload: frame.payload))
        case .text, .binary:
            if let fragmentedOpcode {
                throw WebSocketError.protocolViolation(
                    "a new \(frame.opcode) message started before the fragmented \(fragmentedOpcode) message ended")
            }
            if frame.payload.count > maximumMessageSize {
                throw WebSocketError.messageTooLarge(size: frame.payload.count, limit: maximumMessageSize)
            }
            if frame.fin { return .message(try complete(frame.opcode, frame.payload)) }
            fragmentedOpcode = frame.opcode
            fragments = frame.payload
            return nil
        case .continuation:
            guard let opcode = fragmentedOpcode else {
                throw WebSocketError.protocolViolation("a continuation frame arrived with no fragmented message to continue")
            }
            let size = fragments.count + frame.payload.count
            if size > maximumMessageSize {
                throw WebSocketError.messageTooLarge(size: size, limit: maximumMessageSize)
            }
            fragments.append(contentsOf: frame.payload)
            guard frame.fin else { return nil }
            let payload = fragments
            fragments = []
            fragmentedOpcode = nil
            return .message(try complete(opcode, payload))
        }
    }

    private func complete(_ opcode: WebSocketOpcode, _ payload: [UInt8]) throws -> WebSocketMessage {
        if opcode == .text { try UTF8Validation.check(payload, what: "text message") }
        return WebSocketMessage(opcode: opcode, payload: payload)
    }
}
