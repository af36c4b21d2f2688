import Foundation

/// A strict RFC 8259 parser over UTF-8 bytes. Errors carry the byte offset, line and column so a
/// caller can point at the place in a file.
public struct JSONParseError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public let offset: Int
    public let line: Int
    public let column: Int
    /// The document is well formed as far as it was read but nests deeper than `JSON.maximumNestingDepth`.
    public let isNestingTooDeep: Bool
    public var description: String { "\(line):\(column): \(message)" }

    public init(message: String, offset: Int, line: Int, column: Int, isNestingTooDeep: Bool = false) {
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
        self.isNestingTooDeep = isNestingTooDeep
    }
}

extension JSON {
    /// Arrays and objects nested deeper than this are refused with an error, never parsed. Every consumer
    /// of a `JSON` value (serializer, schema inference, the flow decoder) recurses once per level, on
    /// threads whose stacks hold a few thousand levels in a debug build: the limit sits far below that, and
    /// far above anything real (API bodies and flow files nest a few dozen levels at most).
    public static let maximumNestingDepth = 512

    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        var text = text
        return try text.withUTF8 { JSONByteParser.parse($0) }.get()
    }

    /// Parses in place when the collection has contiguous storage (arrays, slices, `Data`, buffers);
    /// anything else is copied once.
    public static func parse<Bytes: Collection>(bytes: Bytes) throws(JSONParseError) -> JSON where Bytes.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ JSONByteParser.parse($0) }) { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer { JSONByteParser.parse($0) }.get()
    }

    public static func parse(bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSON {
        try JSONByteParser.parse(bytes).get()
    }

    public static func parse(bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSON {
        try JSONByteParser.parse(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)).get()
    }

    public static func parse(bytes: [UInt8]) throws(JSONParseError) -> JSON {
        try bytes.withUnsafeBufferPointer { JSONByteParser.parse($0) }.get()
    }

    public static func parse(bytes: Data) throws(JSONParseError) -> JSON {
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            JSONByteParser.parse(UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count))
        }.get()
    }
}

struct JSONByteParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0
    /// The items and keys of the arrays and objects still open: each container is built once, when it
    /// closes, with exactly the capacity it needs, instead of growing (and rehashing) as it fills.
    var openItems = OpenItems<JSON>()
    var openMembers = OpenItems<(key: String, value: JSON)>()
    /// Reused for strings with escapes.
    var unescaped = OpenItems<UInt8>()

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<JSON, JSONParseError> {
        var parser = JSONByteParser(bytes: bytes)
        defer {
            parser.openItems.release()
            parser.openMembers.release()
            parser.unescaped.release()
        }
        do {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }

    mutating func parseDocument() throws(JSONParseError) -> JSON {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count { throw error("unexpected content after the JSON value") }
        return value
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        let position = min(offset ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        var i = 0
        while i < position {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        // Columns count characters, not bytes: skip UTF-8 continuation bytes.
        var column = 1
        i = lineStart
        while i < position {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return JSONParseError(message: message, offset: position, line: line, column: column)
    }

    // Called between every two tokens; compact JSON (every capture line) has no whitespace at all.
    @inline(__always)
    mutating func skipWhitespace() {
        guard index < bytes.count, bytes[index] <= 0x20 else { return }
        skipWhitespaceRun()
    }

    @inline(never)
    private mutating func skipWhitespaceRun() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSON {
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        default:
            throw error("unexpected character '\(String(decoding: [bytes[index]], as: UTF8.self))', expected a value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("invalid literal", at: start) }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] {
            throw error("invalid literal, expected '\(literal)'", at: start)
        }
        index += count
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > JSON.maximumNestingDepth {
            let place = error("")
            throw JSONParseError(
                message: "arrays and objects nested deeper than \(JSON.maximumNestingDepth) levels (the limit)",
                offset: place.offset, line: place.line, column: place.column, isNestingTooDeep: true)
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSON {
        try enter()
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object([:])
        }
        let first = openMembers.count
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a string key in object")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after object key") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            openMembers.push((key, value))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                break
            }
            throw error("expected ',' or '}' in object")
        }
        var members = [String: JSON](minimumCapacity: openMembers.count - first)
        // A repeated key keeps its last value.
        openMembers.moveOut(from: first) { member in members[member.key] = member.value }
        return .object(members)
    }

    mutating func parseArray() throws(JSONParseError) -> JSON {
        try enter()
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        let first = openItems.count
        while true {
            skipWhitespace()
            let value = try parseValue()
            openItems.push(value)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                break
            }
            throw error("expected ',' or ']' in array")
        }
        return .array(openItems.moveOut(from: first))
    }

    /// The index of the first quote, backslash or control byte at or after `from`, or `bytes.count`.
    /// Eight bytes at a time: each test below sets a byte's high bit where the byte matches (and
    /// possibly in bytes after a match, never before one), so the lowest set bit is the first match.
    @inline(__always) func endOfPlainRun(from: Int) -> Int {
        var position = from
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highBits: UInt64 = 0x8080_8080_8080_8080
            while position + 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                let matches = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (word &- ones &* 0x20) & ~word) & highBits
                if matches != 0 { return position + matches.trailingZeroBitCount / 8 }
                position += 8
            }
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return position }
            position += 1
        }
        return position
    }

    mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1
        var runEnd = endOfPlainRun(from: index)
        if runEnd < bytes.count, bytes[runEnd] == UInt8(ascii: "\"") {
            let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<runEnd]), as: UTF8.self)
            index = runEnd + 1
            return value
        }
        unescaped.removeAll()
        while true {
            unescaped.push(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<runEnd]))
            index = runEnd
            guard index < bytes.count else { throw error("unterminated string", at: start) }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return unescaped.decoded()
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("unterminated string", at: start) }
                try unescape()
            default:
                throw error("unescaped control character in string")
            }
            runEnd = endOfPlainRun(from: index)
        }
    }

    /// Decodes the escape whose backslash is just before `index`.
    mutating func unescape() throws(JSONParseError) {
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""): unescaped.push(0x22)
        case UInt8(ascii: "\\"): unescaped.push(0x5C)
        case UInt8(ascii: "/"): unescaped.push(0x2F)
        case UInt8(ascii: "b"): unescaped.push(0x08)
        case UInt8(ascii: "f"): unescaped.push(0x0C)
        case UInt8(ascii: "n"): unescaped.push(0x0A)
        case UInt8(ascii: "r"): unescaped.push(0x0D)
        case UInt8(ascii: "t"): unescaped.push(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    let low = try parseHex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        // An unpaired high surrogate, then whatever the second escape was on its own.
                        appendScalar(0xFFFD)
                        scalar = low
                    }
                } else {
                    scalar = 0xFFFD
                }
            } else if (0xDC00...0xDFFF).contains(scalar) {
                scalar = 0xFFFD
            }
            appendScalar(scalar)
        default:
            throw error("invalid escape sequence in string", at: index - 2)
        }
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// Appends the UTF-8 encoding of `value`; a surrogate (not a scalar) becomes U+FFFD.
    mutating func appendScalar(_ value: UInt32) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        UTF8.encode(scalar) { unescaped.push($0) }
    }

    mutating func parseNumber() throws(JSONParseError) -> JSON {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number", at: start) }
        // The decimal digits as one integer (up to 19 significant ones) and the power of ten to scale it by.
        var significand: UInt64 = 0
        var significantDigits = 0
        var allDigitsKept = true
        let integerStart = index
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                accumulate(bytes[index], into: &significand, &significantDigits, &allDigitsKept)
                index += 1
            }
        }
        let integerDigits = index - integerStart
        var isInteger = true
        var decimalExponent = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: digits expected after '.'", at: start) }
            while index < bytes.count, isDigit(bytes[index]) {
                accumulate(bytes[index], into: &significand, &significantDigits, &allDigitsKept)
                decimalExponent -= 1
                index += 1
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            var exponentIsNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentIsNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: digits expected in exponent", at: start) }
            var exponent = 0
            while index < bytes.count, isDigit(bytes[index]) {
                // Past this the value is 0 or infinite anyway; the slow path below decides which.
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[index] &- UInt8(ascii: "0")) } else { allDigitsKept = false }
                index += 1
            }
            decimalExponent += exponentIsNegative ? -exponent : exponent
        }
        if isInteger, integerDigits <= 18 {
            // Below 10^18, so it fits an Int with either sign.
            let magnitude = Int(significand)
            return .integer(negative ? -magnitude : magnitude)
        }
        // Exact when the significand and the power of ten are both exact doubles: one rounding.
        if !isInteger, allDigitsKept, significand <= 1 << 53, (-22...22).contains(decimalExponent) {
            let scale = Self.exactPowersOfTen[abs(decimalExponent)]
            let magnitude = decimalExponent < 0 ? Double(significand) / scale : Double(significand) * scale
            return .number(negative ? -magnitude : magnitude)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let value = Int(text) { return .integer(value) }
        guard let value = Double(text) else { throw error("invalid number", at: start) }
        return .number(value)
    }

    @inline(__always) func accumulate(_ digit: UInt8, into significand: inout UInt64, _ significantDigits: inout Int, _ allDigitsKept: inout Bool) {
        // Leading zeros of a fraction do not count against the 19 digits a UInt64 holds.
        if significantDigits == 0, digit == UInt8(ascii: "0") { return }
        if significantDigits < 19 {
            significand = significand &* 10 &+ UInt64(digit &- UInt8(ascii: "0"))
            significantDigits += 1
        } else {
            allDigitsKept = false
        }
    }

    static let exactPowersOfTen: [Double] = (0...22).map { exponent in (0..<exponent).reduce(1.0) { product, _ in product * 10 } }

    @inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}

/// A stack of values that are moved, not copied, into the container that closes over them.
struct OpenItems<Element> {
    private var storage: UnsafeMutablePointer<Element>?
    private var capacity = 0
    private(set) var count = 0

    mutating func push(_ item: consuming Element) {
        if count == capacity { grow() }
        (storage.unsafelyUnwrapped + count).initialize(to: item)
        count += 1
    }

    /// The items from `first` to the top, moved into an array; the stack ends at `first`.
    mutating func moveOut(from first: Int) -> [Element] {
        let moving = count - first
        count = first
        guard moving > 0 else { return [] }
        // Appending keeps this specialized; `Array(unsafeUninitializedCapacity:)` looked its type up on every call.
        var items: [Element] = []
        items.reserveCapacity(moving)
        let source = storage.unsafelyUnwrapped
        for position in first..<(first + moving) { items.append((source + position).move()) }
        return items
    }

    /// Hands each item from `first` to the top to `body`, in order; the stack ends at `first`.
    mutating func moveOut(from first: Int, _ body: (consuming Element) -> Void) {
        let end = count
        count = first
        var position = first
        while position < end {
            body((storage.unsafelyUnwrapped + position).move())
            position += 1
        }
    }

    private mutating func grow(toHold minimum: Int = 0) {
        let newCapacity = max(64, capacity * 2, minimum)
        let newStorage = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let storage {
            newStorage.moveInitialize(from: storage, count: count)
            storage.deallocate()
        }
        storage = newStorage
        capacity = newCapacity
    }

    /// Frees the stack; items left by a parse that failed half way are destroyed.
    mutating func release() {
        guard let storage else { return }
        storage.deinitialize(count: count)
        storage.deallocate()
        self.storage = nil
        capacity = 0
        count = 0
    }
}

extension OpenItems where Element == UInt8 {
    mutating func push(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(toHold: count + bytes.count) }
        (storage.unsafelyUnwrapped + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    /// The bytes as UTF-8, invalid sequences repaired.
    func decoded() -> String {
        String(decoding: UnsafeBufferPointer(start: storage, count: count), as: UTF8.self)
    }

    mutating func removeAll() { count = 0 }
}
