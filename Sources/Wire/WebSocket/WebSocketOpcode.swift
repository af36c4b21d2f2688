/// The frame types of RFC 6455 section 5.2. Any other value is a protocol error.
public enum WebSocketOpcode: UInt8, Sendable, Equatable {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    /// Close, ping and pong: never fragmented, at most 125 bytes, allowed between the fragments of a message.
    public var isControl: Bool { rawValue & 0x8 != 0 }
}
