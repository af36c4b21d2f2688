#if canImport(Glibc)
import Glibc
#endif

/// Reads one JSON document front to back without building a tree: the decoder asks for the value it
/// expects next, and what it does not want is skipped, not built. A capture line decoded this way
/// allocates the strings it keeps and nothing else (no dictionary per object), which is most of what
/// reading a capture cost. Same grammar, limits and errors as `JSON.parse`.
public struct JSONCursor: ~Copyable {
    public enum Kind: Sendable { case object, array, string, number, bool, null }

    var parser: JSONByteParser
    /// Shares repeated strings for `internedString()`, when the reader was given one.
    let interner: StringInterner?

    /// An object key, matched against literals without making a `String` of it (`case "id":`).
    public struct Key {
        @usableFromInline let raw: UnsafeBufferPointer<UInt8>
        @usableFromInline let escaped: String?

        /// The key as a string, for the rare keys a decoder keeps.
        public var string: String { escaped ?? String(decoding: raw, as: UTF8.self) }

        // Inlinable: a decoder's `switch` tries its cases in turn, and most fail on the length, which
        // costs a comparison inline and a call otherwise.
        @inlinable @inline(__always)
        public static func ~= (pattern: StaticString, key: Key) -> Bool {
            if let escaped = key.escaped { return escaped == pattern.description }
            guard key.raw.count == pattern.utf8CodeUnitCount else { return false }
            return key.raw.count == 0 || memcmp(key.raw.baseAddress!, pattern.utf8Start, key.raw.count) == 0
        }
    }

    init(bytes: UnsafeBufferPointer<UInt8>, interner: StringInterner?) {
        parser = JSONByteParser(bytes: bytes)
        self.interner = interner
    }

    /// Runs `body` over the document in `bytes`; the document must end where `body` stops reading.
    /// `interner` shares the strings `internedString()` reads with earlier documents' equal ones.
    public static func read<Value>(
        _ bytes: UnsafeBufferPointer<UInt8>, interner: StringInterner? = nil, _ body: (inout JSONCursor) throws -> Value
    ) throws -> Value {
        var cursor = JSONCursor(bytes: bytes, interner: interner)
        defer {
            cursor.parser.openItems.release()
            cursor.parser.openMembers.release()
            cursor.parser.unescaped.release()
        }
        cursor.parser.skipWhitespace()
        let value = try body(&cursor)
        cursor.parser.skipWhitespace()
        if cursor.parser.index < bytes.count { throw cursor.parser.error("unexpected content after the JSON value") }
        return value
    }

    /// What the next value is, without reading it.
    // Every read starts here (about fifty a capture line): inline, with the error made out of line.
    @inline(__always)
    public func peek() throws(JSONParseError) -> Kind {
        guard parser.index < parser.bytes.count else { throw endOfInput() }
        switch parser.bytes[parser.index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: return .number
        }
    }

    @inline(never)
    private func endOfInput() -> JSONParseError { parser.error("unexpected end of input, expected a value") }

    /// Calls `body` with each key of the object that comes next; `body` reads (or skips) its value.
    /// Anything but an object is skipped and reported as false.
    @discardableResult
    public mutating func members(_ body: (inout JSONCursor, Key) throws -> Void) throws -> Bool {
        guard try peek() == .object else {
            try skip()
            return false
        }
        try container(close: UInt8(ascii: "}"), name: "object") { cursor in
            guard cursor.parser.index < cursor.parser.bytes.count, cursor.parser.bytes[cursor.parser.index] == UInt8(ascii: "\"") else {
                throw cursor.parser.error("expected a string key in object")
            }
            let key = try cursor.readKey()
            cursor.parser.skipWhitespace()
            guard cursor.parser.index < cursor.parser.bytes.count, cursor.parser.bytes[cursor.parser.index] == UInt8(ascii: ":") else {
                throw cursor.parser.error("expected ':' after object key")
            }
            cursor.parser.index += 1
            cursor.parser.skipWhitespace()
            try cursor.readValue { cursor in try body(&cursor, key) }
        }
        return true
    }

    /// Calls `body` for each item of the array that comes next; `body` reads (or skips) the item.
    /// Anything but an array is skipped and reported as false.
    @discardableResult
    public mutating func items(_ body: (inout JSONCursor) throws -> Void) throws -> Bool {
        guard try peek() == .array else {
            try skip()
            return false
        }
        try container(close: UInt8(ascii: "]"), name: "array") { cursor in try cursor.readValue(body) }
        return true
    }

    /// The elements of the object or array whose opening bracket comes next, separated by commas;
    /// `element` reads one, from its first byte.
    private mutating func container(close: UInt8, name: String, _ element: (inout JSONCursor) throws -> Void) throws {
        try parser.enter()
        defer { parser.depth -= 1 }
        parser.index += 1
        parser.skipWhitespace()
        if parser.index < parser.bytes.count, parser.bytes[parser.index] == close {
            parser.index += 1
            return
        }
        while true {
            parser.skipWhitespace()
            try element(&self)
            parser.skipWhitespace()
            guard parser.index < parser.bytes.count else { throw parser.error("unexpected end of input in \(name)") }
            if parser.bytes[parser.index] == UInt8(ascii: ",") {
                parser.index += 1
                continue
            }
            if parser.bytes[parser.index] == close {
                parser.index += 1
                return
            }
            throw parser.error("expected ',' or '\(Character(Unicode.Scalar(close)))' in \(name)")
        }
    }

    /// Runs `read` on the value that comes next, and skips the value when `read` left it alone.
    private mutating func readValue(_ read: (inout JSONCursor) throws -> Void) throws {
        let before = parser.index
        try read(&self)
        if parser.index == before { try skip() }
    }

    /// A key without escapes is a slice of the document; one with escapes is decoded.
    private mutating func readKey() throws(JSONParseError) -> Key {
        let start = parser.index + 1
        let end = parser.endOfPlainRun(from: start)
        if end < parser.bytes.count, parser.bytes[end] == UInt8(ascii: "\"") {
            parser.index = end + 1
            return Key(raw: UnsafeBufferPointer(rebasing: parser.bytes[start..<end]), escaped: nil)
        }
        return Key(raw: UnsafeBufferPointer(start: nil, count: 0), escaped: try parser.parseString())
    }

    /// The next value when it is a string; any other value is skipped and gives nil.
    public mutating func string() throws(JSONParseError) -> String? {
        guard try peek() == .string else {
            try skip()
            return nil
        }
        return try parser.parseString()
    }

    /// `string()` for a value likely to repeat from document to document (a header, a MIME type, a
    /// polled body): shared with an equal one read before, when the reader has an interner.
    public mutating func internedString() throws(JSONParseError) -> String? {
        guard let interner else { return try string() }
        guard try peek() == .string else {
            try skip()
            return nil
        }
        let start = parser.index
        try skipString()
        let end = parser.index
        let raw = UnsafeBufferPointer(rebasing: parser.bytes[(start + 1)..<(end - 1)])
        return try interner.string(raw: raw) { () throws(JSONParseError) -> String in
            parser.index = start
            defer { parser.index = end }
            return try parser.parseString()
        }
    }

    /// The next value when it is a number (as `JSON.doubleValue` reads it); anything else gives nil.
    public mutating func double() throws(JSONParseError) -> Double? {
        guard try peek() == .number else {
            try skip()
            return nil
        }
        return try parser.parseNumber().doubleValue
    }

    /// The next value when it is an integer (as `JSON.intValue` reads it); anything else gives nil.
    public mutating func int() throws(JSONParseError) -> Int? {
        guard try peek() == .number else {
            try skip()
            return nil
        }
        return try parser.parseNumber().intValue
    }

    /// The next value when it is `true` or `false`; anything else gives nil.
    public mutating func bool() throws(JSONParseError) -> Bool? {
        guard try peek() == .bool else {
            try skip()
            return nil
        }
        return try parser.parseValue().boolValue
    }

    /// Consumes a `null` if one comes next.
    public mutating func null() throws(JSONParseError) -> Bool {
        guard try peek() == .null else { return false }
        try parser.expectLiteral("null")
        return true
    }

    /// The next value as a tree, for the rare parts a decoder keeps whole.
    public mutating func value() throws(JSONParseError) -> JSON {
        try parser.parseValue()
    }

    /// Steps over the next value, checking it as strictly as `JSON.parse` would (the same errors, the
    /// same nesting limit), without building it: no string, object or array is made.
    public mutating func skip() throws(JSONParseError) {
        guard parser.index < parser.bytes.count else { throw parser.error("unexpected end of input, expected a value") }
        switch parser.bytes[parser.index] {
        case UInt8(ascii: "\""): try skipString()
        // Each member and item is skipped in turn: `members` and `items` check the grammar and depth.
        case UInt8(ascii: "{"): try parseErrorsOnly { cursor in try cursor.members { cursor, _ in try cursor.skip() } }
        case UInt8(ascii: "["): try parseErrorsOnly { cursor in try cursor.items { cursor in try cursor.skip() } }
        // Numbers and literals are read without allocating.
        default: _ = try parser.parseValue()
        }
    }

    /// `members` and `items` throw untyped for their callers' errors; with `skip` inside, only parse
    /// errors can come out.
    private mutating func parseErrorsOnly(_ body: (inout JSONCursor) throws -> Void) throws(JSONParseError) {
        do {
            try body(&self)
        } catch let error as JSONParseError {
            throw error
        } catch {
            preconditionFailure("skip throws only JSONParseError, got \(error)")
        }
    }

    private mutating func skipString() throws(JSONParseError) {
        let start = parser.index
        parser.index += 1
        while true {
            parser.index = parser.endOfPlainRun(from: parser.index)
            guard parser.index < parser.bytes.count else { throw parser.error("unterminated string", at: start) }
            switch parser.bytes[parser.index] {
            case UInt8(ascii: "\""):
                parser.index += 1
                return
            case UInt8(ascii: "\\"):
                parser.index += 1
                guard parser.index < parser.bytes.count else { throw parser.error("unterminated string", at: start) }
                switch parser.bytes[parser.index] {
                // A JSON body inside a capture line escapes every quote: the one-letter escapes are
                // stepped over here, only `\u` is decoded to be checked (its bytes are dropped).
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                    UInt8(ascii: "r"), UInt8(ascii: "t"):
                    parser.index += 1
                default:
                    try parser.unescape()
                    parser.unescaped.removeAll()
                }
            default:
                throw parser.error("unescaped control character in string")
            }
        }
    }
}
