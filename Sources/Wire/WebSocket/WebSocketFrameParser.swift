/// Turns a byte stream into frames, one at a time, as bytes arrive: `append` what was read, then call
/// `nextFrame()` until it returns nil. Checks each header before buffering the payload, so an oversized
/// frame is refused without reading it.
public struct WebSocketFrameParser: Sendable {
    /// What the masking bit must be: a server requires masked frames from clients, a client must refuse
    /// masked frames from a server (RFC 6455 section 5.1).
    public enum Masking: Sendable {
        case required, forbidden, allowed
    }

    public let maximumPayloadSize: Int
    public let masking: Masking

    private var buffer: [UInt8] = []
    private var start = 0
    /// Above this, an emptied buffer gives its memory back instead of keeping it for the next frame.
    private static let retainedCapacity = 1 << 20
    /// From this payload size on, a frame that fills the buffer takes the buffer over as its payload.
    private static let adoptionThreshold = 256 << 10

    public init(maximumPayloadSize: Int = 256 << 20, masking: Masking = .allowed) {
        self.maximumPayloadSize = maximumPayloadSize
        self.masking = masking
    }

    /// Bytes received but not yet returned as frames.
    public var bufferedByteCount: Int { buffer.count - start }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, or nil when more bytes are needed. Throws on a frame that breaks
    /// RFC 6455 or exceeds `maximumPayloadSize`; the stream cannot be parsed further after that.
    public mutating func nextFrame() throws -> WebSocketFrame? {
        guard let header = try parseHeader() else { return nil }
        let payloadStart = start + header.length
        guard buffer.count - payloadStart >= header.payloadLength else {
            makeRoom(forFrameOf: header.length + header.payloadLength)
            return nil
        }
        var payload: [UInt8]
        if start == 0 && buffer.count == payloadStart + header.payloadLength && header.payloadLength >= Self.adoptionThreshold {
            // A large frame alone in the buffer: hand over the buffer itself (a move of the bytes within
            // memory already touched) instead of copying the payload into a fresh allocation.
            payload = []
            swap(&payload, &buffer)
            payload.removeSubrange(0..<payloadStart)
        } else {
            payload = Array(buffer[payloadStart..<payloadStart + header.payloadLength])
        }
        if let key = header.maskingKey {
            payload.withUnsafeMutableBytes { WebSocketFrame.applyMask(key, to: $0) }
        }
        start = buffer.isEmpty ? 0 : payloadStart + header.payloadLength
        if start == buffer.count {
            if buffer.capacity > Self.retainedCapacity { buffer = [] } else { buffer.removeAll(keepingCapacity: true) }
            start = 0
        }
        return WebSocketFrame(fin: header.fin, opcode: header.opcode, payload: payload, masked: header.maskingKey != nil)
    }

    private struct Header {
        var fin: Bool
        var opcode: WebSocketOpcode
        var maskingKey: UInt32?
        var payloadLength: Int
        var length: Int
    }

    private func parseHeader() throws -> Header? {
        let available = buffer.count - start
        guard available >= 2 else { return nil }
        let first = buffer[start], second = buffer[start + 1]
        if first & 0x70 != 0 {
            throw WebSocketError.protocolViolation(
                "reserved bits set (RSV \(first >> 4 & 7)) but no extension was negotiated")
        }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else {
            throw WebSocketError.protocolViolation("unknown opcode 0x\(String(first & 0x0F, radix: 16))")
        }
        let fin = first & 0x80 != 0
        let isMasked = second & 0x80 != 0
        switch (masking, isMasked) {
        case (.required, false): throw WebSocketError.protocolViolation("a client frame arrived unmasked")
        case (.forbidden, true): throw WebSocketError.protocolViolation("a server frame arrived masked")
        default: break
        }
        var length = 2
        var payloadLength = Int(second & 0x7F)
        if payloadLength == 126 {
            guard available >= 4 else { return nil }
            payloadLength = Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
            length = 4
        } else if payloadLength == 127 {
            guard available >= 10 else { return nil }
            var value: UInt64 = 0
            for index in 2..<10 { value = value << 8 | UInt64(buffer[start + index]) }
            if value >> 63 != 0 {
                throw WebSocketError.protocolViolation("64-bit payload length has its most significant bit set")
            }
            guard value <= UInt64(maximumPayloadSize) else {
                throw WebSocketError.messageTooLarge(size: Int(clamping: value), limit: maximumPayloadSize)
            }
            payloadLength = Int(value)
            length = 10
        }
        if opcode.isControl {
            if !fin { throw WebSocketError.protocolViolation("fragmented \(opcode) frame (control frames cannot be fragmented)") }
            if payloadLength > 125 {
                throw WebSocketError.protocolViolation("\(opcode) frame of \(payloadLength) bytes (control frames carry at most 125)")
            }
        }
        if payloadLength > maximumPayloadSize {
            throw WebSocketError.messageTooLarge(size: payloadLength, limit: maximumPayloadSize)
        }
        var maskingKey: UInt32?
        if isMasked {
            guard available >= length + 4 else { return nil }
            var key: UInt32 = 0
            for index in length..<length + 4 { key = key << 8 | UInt32(buffer[start + index]) }
            maskingKey = key
            length += 4
        }
        return Header(fin: fin, opcode: opcode, maskingKey: maskingKey, payloadLength: payloadLength, length: length)
    }

    /// Drops consumed bytes and reserves the whole frame once, so a large payload arriving in many reads
    /// is not copied again at every growth step.
    private mutating func makeRoom(forFrameOf size: Int) {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        if buffer.capacity < size { buffer.reserveCapacity(size) }
    }
}
