/// One RFC 6455 frame: the unit on the wire. Messages are made of frames (see `WebSocketMessageAssembler`).
public struct WebSocketFrame: Sendable, Equatable {
    public var fin: Bool
    public var opcode: WebSocketOpcode
    /// The payload, unmasked.
    public var payload: [UInt8]
    /// Whether the frame was masked on the wire (client-to-server frames must be).
    public var masked: Bool

    public init(fin: Bool = true, opcode: WebSocketOpcode, payload: [UInt8], masked: Bool = false) {
        self.fin = fin
        self.opcode = opcode
        self.payload = payload
        self.masked = masked
    }

    /// The frame's bytes on the wire. A client passes a masking key (`randomMaskingKey()`); a server, nil.
    public func encoded(maskingKey: UInt32?) -> [UInt8] {
        var output: [UInt8] = []
        payload.withUnsafeBytes { Self.encode(fin: fin, opcode: opcode, payload: $0, maskingKey: maskingKey, into: &output) }
        return output
    }

    /// Appends a frame's header and (masked) payload to `output` without intermediate copies, so a
    /// sender can reuse one buffer for every frame.
    public static func encode(
        fin: Bool = true, opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer, maskingKey: UInt32?,
        into output: inout [UInt8]
    ) {
        let length = payload.count
        output.reserveCapacity(output.count + length + 14)
        output.append((fin ? 0x80 : 0) | opcode.rawValue)
        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        if length < 126 {
            output.append(maskBit | UInt8(length))
        } else if length <= 0xFFFF {
            output.append(maskBit | 126)
            output.append(UInt8(length >> 8))
            output.append(UInt8(truncatingIfNeeded: length))
        } else {
            output.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { output.append(UInt8(truncatingIfNeeded: UInt64(length) >> UInt64(shift))) }
        }
        guard let maskingKey else {
            output.append(contentsOf: payload)
            return
        }
        for shift in stride(from: 24, through: 0, by: -8) { output.append(UInt8(truncatingIfNeeded: maskingKey >> UInt32(shift))) }
        let payloadStart = output.count
        output.append(contentsOf: payload)
        output.withUnsafeMutableBytes { bytes in
            applyMask(maskingKey, to: UnsafeMutableRawBufferPointer(rebasing: bytes[payloadStart...]))
        }
    }

    /// A fresh key from the system's random source, as RFC 6455 section 5.3 asks of clients.
    public static func randomMaskingKey() -> UInt32 {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }

    /// XORs `bytes` with the key (its big-endian bytes repeated); the same call masks and unmasks.
    public static func applyMask(_ key: UInt32, to bytes: UnsafeMutableRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        // Eight bytes at a time: the key repeated, laid out in memory in wire order.
        let keyBytes = key.bigEndian
        let wide = UInt64(keyBytes) | UInt64(keyBytes) << 32
        var index = 0
        while index + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            base.storeBytes(of: word ^ wide, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < count {
            let keyByte = UInt8(truncatingIfNeeded: key >> UInt32(24 - 8 * (index & 3)))
            base.storeBytes(of: base.load(fromByteOffset: index, as: UInt8.self) ^ keyByte, toByteOffset: index, as: UInt8.self)
            index += 1
        }
    }
}
