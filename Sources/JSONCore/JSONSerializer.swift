import Foundation

extension JSON {
    public struct WriteOptions: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Two-space indentation and one member per line.
        public static let pretty = WriteOptions(rawValue: 1)
        /// Keep `/` unescaped (always on; present so callers can say it).
        public static let withoutEscapingSlashes = WriteOptions(rawValue: 2)
    }

    /// Serializes with object keys sorted by their UTF-8 bytes, so the same value always yields the
    /// same text: two runs that saw the same API produce byte-identical files.
    public func serialized(_ options: WriteOptions = []) -> String {
        var output = ""
        output.reserveCapacity(256)
        write(into: &output, pretty: options.contains(.pretty), indent: 0)
        return output
    }

    public func serializedData(_ options: WriteOptions = []) -> Data {
        Data(serialized(options).utf8)
    }

    private func write(into output: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .integer(let value): output += String(value)
        case .number(let value): output += JSON.format(number: value)
        case .string(let value): JSON.writeString(value, into: &output)
        case .array(let items):
            if items.isEmpty {
                output += "[]"
                return
            }
            output += "["
            for (position, item) in items.enumerated() {
                if position > 0 { output += "," }
                if pretty { JSON.newline(into: &output, indent: indent + 1) }
                item.write(into: &output, pretty: pretty, indent: indent + 1)
            }
            if pretty { JSON.newline(into: &output, indent: indent) }
            output += "]"
        case .object(let members):
            if members.isEmpty {
                output += "{}"
                return
            }
            output += "{"
            for (position, key) in members.keys.sorted(by: JSON.keyOrder).enumerated() {
                if position > 0 { output += "," }
                if pretty { JSON.newline(into: &output, indent: indent + 1) }
                JSON.writeString(key, into: &output)
                output += pretty ? ": " : ":"
                members[key]!.write(into: &output, pretty: pretty, indent: indent + 1)
            }
            if pretty { JSON.newline(into: &output, indent: indent) }
            output += "}"
        }
    }

    /// Byte-wise key order, independent of locale.
    public static func keyOrder(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    private static func newline(into output: inout String, indent: Int) {
        output += "\n"
        output += String(repeating: "  ", count: indent)
    }

    static func format(number value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    public static func writeString(_ value: String, into output: inout String) {
        output += "\""
        var needsEscaping = false
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            needsEscaping = true
            break
        }
        if !needsEscaping {
            output += value
            output += "\""
            return
        }
        // Escaped into a byte buffer and appended once: appending to a String scalar by scalar was the
        // writer's main cost for bodies that are themselves JSON.
        var escaped: [UInt8] = []
        escaped.reserveCapacity(value.utf8.count + value.utf8.count / 4 + 2)
        for byte in value.utf8 {
            switch byte {
            case 0x22: escaped.append(0x5C); escaped.append(0x22)
            case 0x5C: escaped.append(0x5C); escaped.append(0x5C)
            case 0x0A: escaped.append(0x5C); escaped.append(UInt8(ascii: "n"))
            case 0x0D: escaped.append(0x5C); escaped.append(UInt8(ascii: "r"))
            case 0x09: escaped.append(0x5C); escaped.append(UInt8(ascii: "t"))
            case 0x08: escaped.append(0x5C); escaped.append(UInt8(ascii: "b"))
            case 0x0C: escaped.append(0x5C); escaped.append(UInt8(ascii: "f"))
            case 0x00..<0x20:
                let hexDigits: StaticString = "0123456789abcdef"
                escaped.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                escaped.append(hexDigits.utf8Start[Int(byte >> 4)])
                escaped.append(hexDigits.utf8Start[Int(byte & 0xF)])
            default: escaped.append(byte)
            }
        }
        escaped.append(0x22)
        output += String(decoding: escaped, as: UTF8.self)
    }
}
