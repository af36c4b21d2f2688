import Foundation
import JSONCore

/// The top-level fields of one incoming message, found without building a JSON tree: replies and
/// events are routed on these alone, and a body is parsed only when someone wants it.
struct Envelope {
    var id: Int?
    var method: String?
    var sessionId: String?
    var result: Range<Int>?
    var error: Range<Int>?
    var params: Range<Int>?

    static func scan(_ bytes: [UInt8]) throws -> Envelope {
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = EnvelopeScanner(bytes: buffer)
            return try scanner.scanObject()
        }
    }
}

private struct EnvelopeScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func scanObject() throws -> Envelope {
        var envelope = Envelope()
        skipWhitespace()
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { return envelope }
        while true {
            skipWhitespace()
            let keyRange = try skipString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            let valueStart = index
            try skipValue()
            let value = valueStart..<index
            if keyIs(keyRange, "id") {
                envelope.id = integer(in: value)
            } else if keyIs(keyRange, "method") {
                envelope.method = try string(in: value)
            } else if keyIs(keyRange, "sessionId") {
                envelope.sessionId = try string(in: value)
            } else if keyIs(keyRange, "result") {
                envelope.result = value
            } else if keyIs(keyRange, "error") {
                envelope.error = value
            } else if keyIs(keyRange, "params") {
                envelope.params = value
            }
            skipWhitespace()
            guard index < bytes.count else { throw DevToolsError.invalidMessage("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            return envelope
        }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func expect(_ byte: UInt8) throws {
        guard index < bytes.count, bytes[index] == byte else {
            throw DevToolsError.invalidMessage("expected '\(Character(UnicodeScalar(byte)))' at byte \(index)")
        }
        index += 1
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Skips a string starting at its opening quote and returns the range inside the quotes.
    /// Large strings (a 50 MB evaluate result) are crossed with memchr, not byte by byte.
    private mutating func skipString() throws -> Range<Int> {
        try expect(UInt8(ascii: "\""))
        let contentStart = index
        let base = UnsafeRawPointer(bytes.baseAddress!)
        while index < bytes.count {
            guard let found = memchr(base + index, Int32(UInt8(ascii: "\"")), bytes.count - index) else { break }
            let quote = base.distance(to: UnsafeRawPointer(found))
            var backslashes = 0
            while quote - backslashes - 1 >= contentStart, bytes[quote - backslashes - 1] == UInt8(ascii: "\\") {
                backslashes += 1
            }
            index = quote + 1
            if backslashes % 2 == 0 { return contentStart..<quote }
        }
        throw DevToolsError.invalidMessage("unterminated string")
    }

    private mutating func skipValue() throws {
        guard let first = peek() else { throw DevToolsError.invalidMessage("missing value") }
        switch first {
        case UInt8(ascii: "\""):
            _ = try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    _ = try skipString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return
                    }
                default: break
                }
                index += 1
            }
            throw DevToolsError.invalidMessage("unterminated container")
        default:
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: return
                default: index += 1
                }
            }
        }
    }

    /// Compares bytes in place: building a String per key would cost an allocation per message.
    private func keyIs(_ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        return memcmp(bytes.baseAddress! + range.lowerBound, name.utf8Start, range.count) == 0
    }

    private func integer(in range: Range<Int>) -> Int? {
        var value = 0
        guard !range.isEmpty else { return nil }
        for position in range {
            let byte = bytes[position]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value &* 10 &+ Int(byte - 0x30)
        }
        return value
    }

    private func string(in range: Range<Int>) throws -> String? {
        guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        let inner = (range.lowerBound + 1)..<(range.upperBound - 1)
        let raw = UnsafeBufferPointer(rebasing: bytes[inner])
        if !raw.contains(UInt8(ascii: "\\")) { return String(decoding: raw, as: UTF8.self) }
        do {
            return try JSON.parse(bytes: UnsafeBufferPointer(rebasing: bytes[range])).stringValue
        } catch {
            throw DevToolsError.invalidMessage("bad string escape: \(error)")
        }
    }
}
