enum UTF8Validation {
    /// The offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, at most
    /// U+10FFFF), `count` if a sequence is cut off at the end, or nil when every byte is valid.
    static func firstInvalidOffset(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var index = 0
        while index < count {
            // ASCII runs dominate JSON: skip them eight bytes at a time.
            while index + 8 <= count, base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
            guard index < count else { break }
            let lead = base.load(fromByteOffset: index, as: UInt8.self)
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return index
            }
            guard index + length <= count else { return count }
            let second = base.load(fromByteOffset: index + 1, as: UInt8.self)
            if second < lower || second > upper { return index }
            for offset in 2..<max(2, length) {
                let next = base.load(fromByteOffset: index + offset, as: UInt8.self)
                if next & 0xC0 != 0x80 { return index }
            }
            index += length
        }
        return nil
    }

    /// Throws `WebSocketError.invalidUTF8` naming the offset of the first bad byte.
    static func check(_ bytes: [UInt8], what: String) throws {
        if let offset = bytes.withUnsafeBytes({ firstInvalidOffset(in: $0) }) {
            let detail = offset == bytes.count
                ? "\(what) of \(bytes.count) bytes ends inside a multi-byte sequence"
                : "\(what) has an invalid byte 0x\(String(bytes[offset], radix: 16)) at offset \(offset) of \(bytes.count)"
            throw WebSocketError.invalidUTF8(detail)
        }
    }
}
