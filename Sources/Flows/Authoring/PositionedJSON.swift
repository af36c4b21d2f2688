import JSONCore

/// A 1-based place in a text file; columns count characters, as `JSONParseError` does.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public static let start = SourcePosition(line: 1, column: 1)
    public var description: String { "\(line):\(column)" }
}

/// A JSON document with the position of every value and every object key, addressed by JSON Pointer
/// (`/steps/3/click`; `""` is the root), so messages about values can point into the file.
public struct PositionedJSON: Sendable {
    public struct DuplicateKey: Sendable, Hashable {
        public let pointer: String
        public let position: SourcePosition
    }

    public let value: JSON
    public let valuePositions: [String: SourcePosition]
    /// Byte offsets of the values, to find characters inside strings.
    let valueOffsets: [String: Int]
    let bytes: [UInt8]
    public let keyPositions: [String: SourcePosition]
    /// Keys given twice in one object; the parser keeps the last, so the earlier ones are silently lost.
    public let duplicateKeys: [DuplicateKey]

    /// Syntax errors are JSONCore's, with their line and column.
    public static func parse(_ text: String) throws(JSONParseError) -> PositionedJSON {
        let bytes = Array(text.utf8)
        let value = try JSON.parse(bytes: bytes)
        var scanner = PositionScanner(bytes: bytes)
        scanner.scanValue(pointer: "")
        return PositionedJSON(
            value: value, valuePositions: scanner.valuePositions, valueOffsets: scanner.valueOffsets, bytes: bytes,
            keyPositions: scanner.keyPositions, duplicateKeys: scanner.duplicateKeys)
    }

    /// Where the value at `pointer` starts; for a pointer that names nothing, its nearest ancestor.
    public func position(of pointer: String) -> SourcePosition {
        var current = pointer
        while true {
            if let position = valuePositions[current] { return position }
            guard let slash = current.lastIndex(of: "/") else { return .start }
            current = String(current[..<slash])
        }
    }

    /// Where the character `scalarOffset` Unicode scalars into the string value at `pointer` is written,
    /// counting an escape sequence (`\n`, `\u00e9`, a surrogate pair) as the one scalar it stands for.
    public func position(inString pointer: String, scalarOffset: Int) -> SourcePosition {
        let start = position(of: pointer)
        guard var index = valueOffsets[pointer], index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return start }
        index += 1
        var column = start.column + 1
        var remaining = scalarOffset
        while remaining > 0, index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") {
                let escapeLength = bytes[index + 1] == UInt8(ascii: "u") ? 6 : 2
                let isHighSurrogate = escapeLength == 6 && index + 2 < bytes.count
                    && (bytes[index + 2] | 0x20) == UInt8(ascii: "d") && (UInt8(ascii: "8")...UInt8(ascii: "b")).contains(bytes[index + 3] | 0x20)
                let isPair = isHighSurrogate && index + 7 < bytes.count && bytes[index + 6] == UInt8(ascii: "\\") && bytes[index + 7] == UInt8(ascii: "u")
                let length = isPair ? 12 : escapeLength
                index += length
                column += length
            } else {
                index += 1
                while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
                column += 1
            }
            remaining -= 1
        }
        return SourcePosition(line: start.line, column: column)
    }

    /// Where the key of the member at `pointer` starts, else where its value starts.
    public func keyPosition(of pointer: String) -> SourcePosition {
        keyPositions[pointer] ?? position(of: pointer)
    }

    /// One JSON Pointer reference token, escaped (RFC 6901).
    public static func pointer(_ parent: String, _ token: String) -> String {
        parent + "/" + token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    public static func pointer(_ parent: String, _ index: Int) -> String { parent + "/\(index)" }
}

extension PositionedJSON {
    /// A value built in memory: every position is the start, so findings about it carry their pointers.
    init(unpositioned value: JSON) {
        self.init(value: value, valuePositions: [:], valueOffsets: [:], bytes: [], keyPositions: [:], duplicateKeys: [])
    }
}

/// Walks text that JSONCore already accepted, so it needs no error handling, and records positions.
private struct PositionScanner {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var column = 1
    var valuePositions: [String: SourcePosition] = [:]
    var valueOffsets: [String: Int] = [:]
    var keyPositions: [String: SourcePosition] = [:]
    var duplicateKeys: [PositionedJSON.DuplicateKey] = []

    init(bytes: [UInt8]) { self.bytes = bytes }

    var position: SourcePosition { SourcePosition(line: line, column: column) }

    mutating func advance() {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            // UTF-8 continuation bytes belong to the character their lead byte counted.
            column += 1
        }
    }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { advance() }
    }

    mutating func scanValue(pointer: String) {
        skipWhitespace()
        guard index < bytes.count else { return }
        valuePositions[pointer] = position
        valueOffsets[pointer] = index
        switch bytes[index] {
        case UInt8(ascii: "{"): scanObject(pointer: pointer)
        case UInt8(ascii: "["): scanArray(pointer: pointer)
        case UInt8(ascii: "\""): _ = scanString()
        default:
            while index < bytes.count, !isDelimiter(bytes[index]) { advance() }
        }
    }

    func isDelimiter(_ byte: UInt8) -> Bool {
        [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(byte)
    }

    mutating func scanObject(pointer: String) {
        advance()
        var seen: Set<String> = []
        while true {
            skipWhitespace()
            if bytes[index] == UInt8(ascii: "}") { advance(); return }
            if bytes[index] == UInt8(ascii: ",") { advance(); continue }
            let keyPosition = position
            let key = scanString()
            let member = PositionedJSON.pointer(pointer, key)
            if !seen.insert(key).inserted {
                duplicateKeys.append(.init(pointer: member, position: keyPosition))
            }
            keyPositions[member] = keyPosition
            skipWhitespace()
            advance()  // ':'
            scanValue(pointer: member)
        }
    }

    mutating func scanArray(pointer: String) {
        advance()
        var count = 0
        while true {
            skipWhitespace()
            if bytes[index] == UInt8(ascii: "]") { advance(); return }
            if bytes[index] == UInt8(ascii: ",") { advance(); continue }
            scanValue(pointer: PositionedJSON.pointer(pointer, count))
            count += 1
        }
    }

    /// Returns the decoded string; escapes are rare in keys, so JSONCore decodes only those.
    mutating func scanString() -> String {
        let start = index
        var escaped = false
        advance()
        while bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") {
                escaped = true
                advance()
            }
            advance()
        }
        advance()
        let raw = bytes[start..<index]
        if !escaped { return String(decoding: raw.dropFirst().dropLast(), as: UTF8.self) }
        return (try? JSON.parse(bytes: raw))?.stringValue ?? ""
    }
}
