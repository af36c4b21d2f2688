import JSONCore

/// The seed's compact body notation (`{ "name": "string" }`), to and from JSON Schema.
enum SchemaSketch {
    /// `{ "name": "string", "tags": ["string"], "note": "string?" }`: optional properties end in `?`.
    static func sketch(_ schema: JSON) -> JSON {
        if let variants = schema["oneOf"]?.arrayValue {
            return .string(variants.map { typeText(sketch($0)) }.joined(separator: " | "))
        }
        let types = typeNames(schema)
        let nullable = types.contains("null")
        let main = types.first { $0 != "null" }
        switch main {
        case "object":
            if let additional = schema["additionalProperties"], additional.objectValue != nil {
                return ["{key}": sketch(additional)]
            }
            let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            var members: [String: JSON] = [:]
            for (key, value) in schema["properties"]?.objectValue ?? [:] {
                var inner = sketch(value)
                if !required.contains(key), case .string(let text) = inner { inner = .string(text + "?") }
                members[key] = inner
            }
            return nullable && members.isEmpty ? "object | null" : .object(members)
        case "array":
            return .array([sketch(schema["items"] ?? [:])])
        case let type?:
            var text = schema["format"]?.stringValue == "binary" ? "file" : type
            if nullable { text += " | null" }
            return .string(text)
        case nil:
            return .string(nullable ? "null" : "any")
        }
    }

    private static func typeText(_ sketch: JSON) -> String {
        if case .string(let text) = sketch { return text }
        if sketch.arrayValue != nil { return "array" }
        return "object"
    }

    static func typeNames(_ schema: JSON) -> [String] {
        if let one = schema["type"]?.stringValue { return [one] }
        return schema["type"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Reads a hand-written sketch back: strings naming a type become that type, other values are examples.
    static func schema(fromSketch sketch: JSON) -> JSON {
        switch sketch {
        case .string(let text):
            var name = text
            let optional = name.hasSuffix("?")
            if optional { name.removeLast() }
            switch name {
            case "string", "number", "integer", "boolean", "object", "array", "null": return ["type": .string(name)]
            case "file": return ["type": "string", "format": "binary"]
            case "any": return [:]
            default: return ["type": "string"]
            }
        case .object(let members):
            var properties: [String: JSON] = [:]
            var required: [String] = []
            for (key, value) in members {
                properties[key] = schema(fromSketch: value)
                if !(value.stringValue?.hasSuffix("?") ?? false) { required.append(key) }
            }
            var result: [String: JSON] = ["type": "object", "properties": .object(properties)]
            if !required.isEmpty { result["required"] = .array(required.sorted(by: JSON.keyOrder).map(JSON.string)) }
            return .object(result)
        case .array(let items):
            return ["type": "array", "items": items.first.map(schema(fromSketch:)) ?? [:]]
        default:
            return schema(fromExample: sketch)
        }
    }

    static func schema(fromExample example: JSON) -> JSON {
        let node = ShapeNode()
        node.add(example)
        return node.schema()
    }
}
