/// The status code and reason a close frame carries (RFC 6455 sections 5.5.1 and 7.4).
public struct WebSocketClose: Sendable, Equatable {
    /// nil when the close frame had no body (reported locally as 1005, never sent).
    public var code: UInt16?
    public var reason: String

    public init(code: UInt16?, reason: String = "") {
        self.code = code
        self.reason = reason
    }

    /// Codes a close frame may carry: the defined ones except those reserved for local use
    /// (1005 no status, 1006 abnormal closure, 1015 TLS failure), and the registered and private ranges.
    public static func isValidOnWire(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1011, 3000...4999: true
        default: false
        }
    }

    /// Reads a close frame's payload: empty, or a 2-byte code followed by a UTF-8 reason.
    public init(payload: [UInt8]) throws {
        if payload.isEmpty {
            self.init(code: nil)
            return
        }
        guard payload.count >= 2 else {
            throw WebSocketError.protocolViolation("close frame with a 1-byte body (a status code takes 2)")
        }
        let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
        guard Self.isValidOnWire(code) else {
            throw WebSocketError.protocolViolation("close frame with status code \(code), which is not allowed on the wire")
        }
        let reason = Array(payload[2...])
        try UTF8Validation.check(reason, what: "close reason")
        self.init(code: code, reason: String(decoding: reason, as: UTF8.self))
    }

    /// The close frame's payload. The reason is cut at 123 bytes (a whole character) to fit a control frame.
    public var payload: [UInt8] {
        guard let code else { return [] }
        var reasonBytes = Array(reason.utf8)
        if reasonBytes.count > 123 {
            var end = 123
            while end > 0 && reasonBytes[end] & 0xC0 == 0x80 { end -= 1 }
            reasonBytes = Array(reasonBytes[..<end])
        }
        return [UInt8(code >> 8), UInt8(truncatingIfNeeded: code)] + reasonBytes
    }
}
