import Foundation
import JSONCore

/// JSON Schema -> TypeScript type text, for the generated client.
struct TypeScriptTypes {
    let components: SchemaComponents

    /// A declaration: `export interface Name {...}` for objects with properties, else `export type Name = ...`.
    func declaration(_ name: String, _ schema: JSON, comment: String? = nil) -> String {
        var text = comment.map { "/** \($0) */\n" } ?? ""
        let resolved = components.referencing(schema, prefix: "", skipTop: true)
        if SchemaSketch.typeNames(resolved) == ["object"], resolved["properties"] != nil, resolved["additionalProperties"] == nil {
            text += "export interface \(name) " + type(resolved, indent: 0) + "\n"
        } else {
            text += "export type \(name) = " + type(resolved, indent: 0) + ";\n"
        }
        return text
    }

    func type(_ schema: JSON, indent: Int) -> String {
        if let ref = schema["$ref"]?.stringValue { return ref.split(separator: "/").last.map(String.init) ?? "unknown" }
        if let variants = schema["oneOf"]?.arrayValue { return union(variants.map { type($0, indent: indent) }) }
        let types = SchemaSketch.typeNames(schema)
        if types.isEmpty {
            if let values = schema["enum"]?.arrayValue { return union(values.map(literal)) }
            return "unknown"
        }
        return union(types.map { single($0, schema, indent: indent) })
    }

    private func single(_ typeName: String, _ schema: JSON, indent: Int) -> String {
        switch typeName {
        case "string":
            if schema["format"]?.stringValue == "binary" { return "Blob" }
            if let values = schema["enum"]?.arrayValue?.filter({ $0 != .null }), !values.isEmpty { return union(values.map(literal)) }
            return "string"
        case "integer", "number": return "number"
        case "boolean": return "boolean"
        case "null": return "null"
        case "array":
            let item = type(schema["items"] ?? [:], indent: indent)
            return "Array<\(item)>"
        case "object":
            if let additional = schema["additionalProperties"], additional.objectValue != nil {
                return "Record<string, \(type(additional, indent: indent))>"
            }
            guard let properties = schema["properties"]?.objectValue, !properties.isEmpty else { return "Record<string, unknown>" }
            let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            let pad = String(repeating: "  ", count: indent + 1)
            var lines = ["{"]
            for key in properties.keys.sorted(by: JSON.keyOrder) {
                let optional = required.contains(key) ? "" : "?"
                lines.append("\(pad)\(Self.propertyName(key))\(optional): \(type(properties[key]!, indent: indent + 1));")
            }
            lines.append(String(repeating: "  ", count: indent) + "}")
            return lines.joined(separator: "\n")
        default:
            return "unknown"
        }
    }

    private func union(_ parts: [String]) -> String {
        var seen: [String] = []
        for part in parts where !seen.contains(part) { seen.append(part) }
        if seen.isEmpty { return "unknown" }
        return seen.count == 1 ? seen[0] : seen.map { $0.contains("\n") || $0.contains("=>") ? "(\($0))" : $0 }.joined(separator: " | ")
    }

    private func literal(_ value: JSON) -> String {
        switch value {
        case .string(let text): return Self.quoted(text)
        case .null: return "null"
        default: return value.serialized()
        }
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func propertyName(_ key: String) -> String {
        isIdentifier(key) ? key : quoted(key)
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || first == "$" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || $0 == "$" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
