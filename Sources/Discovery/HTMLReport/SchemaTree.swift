import JSONCore

/// A JSON Schema as a tree a person reads (`name  string  required`), and one example beside it.
/// Depth and width are bounded: a schema inferred from a hostile body cannot make the page huge.
enum SchemaTree {
    static let maxDepth = 10
    static let maxMembers = 120
    static let maxExampleCharacters = 3_000  // bytes of the pretty-printed example

    static func write(_ schema: JSON, into html: inout HTMLText) {
        html.raw("<ul class=\"tree\">")
        node(name: nil, schema, required: false, depth: 0, into: &html)
        html.raw("</ul>")
    }

    private static func node(name: String?, _ schema: JSON, required: Bool, depth: Int, into html: inout HTMLText) {
        html.raw("<li>")
        if let name {
            html.raw("<span class=\"k\">")
            html.add(name)
            html.raw("</span> ")
        }
        // One lookup of the object, then of each keyword: a page draws thousands of these nodes.
        let object = schema.objectValue ?? [:]
        html.raw("<span class=\"t\">")
        html.add(typeText(object))
        html.raw("</span>")
        if required { html.raw(" <span class=\"req\">required</span>") }
        if let format = object["format"]?.stringValue {
            html.raw(" <span class=\"fmt\">")
            html.add(format)
            html.raw("</span>")
        }
        if let values = object["enum"]?.arrayValue, !values.isEmpty {
            html.raw(" <span class=\"enum\">one of ")
            html.add(values.prefix(12).map { $0.serialized() }.joined(separator: ", ") + (values.count > 12 ? ", …" : ""))
            html.raw("</span>")
        }
        var children: [(String, JSON, Bool)] = []
        if let properties = object["properties"]?.objectValue {
            let required = Set(object["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            children = properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value, required.contains($0.key)) }
        }
        if let items = object["items"], items.objectValue != nil { children.append(("[ ]", items, false)) }
        if let values = object["additionalProperties"], values.objectValue != nil { children.append(("{key}", values, false)) }
        for key in ["oneOf", "anyOf"] {
            for (index, variant) in (object[key]?.arrayValue ?? []).enumerated() { children.append(("\(key) \(index + 1)", variant, false)) }
        }
        if !children.isEmpty {
            if depth >= maxDepth {
                html.raw(" <span class=\"more\">… deeper levels in openapi.json</span>")
            } else {
                html.raw("<ul>")
                for (childName, child, isRequired) in children.prefix(maxMembers) {
                    node(name: childName, child, required: isRequired, depth: depth + 1, into: &html)
                }
                if children.count > maxMembers {
                    html.raw("<li class=\"more\">")
                    html.add("… \(children.count - maxMembers) more members in openapi.json")
                    html.raw("</li>")
                }
                html.raw("</ul>")
            }
        }
        html.raw("</li>")
    }

    /// `object`, `string | null`, `array of object`.
    static func typeText(_ schema: JSON) -> String { typeText(schema.objectValue ?? [:]) }

    static func typeText(_ schema: [String: JSON]) -> String {
        switch schema["type"] {
        case .string(let type)?: return type
        case .array(let list)? where !list.isEmpty: return list.compactMap(\.stringValue).joined(separator: " | ")
        default:
            if schema["oneOf"] != nil || schema["anyOf"] != nil { return "one of" }
            return schema["properties"] != nil ? "object" : "any"
        }
    }

    /// One redacted example (discovery keeps the capture's redacted bodies), cut at a readable size.
    static func example(_ value: JSON, into html: inout HTMLText, label: String = "example") {
        var text = value.serialized(.pretty)
        var cut = ""
        // Bytes, not characters: counting characters walks the whole text to find grapheme breaks.
        if text.utf8.count > maxExampleCharacters {
            cut = "\n… \(text.utf8.count) bytes in all; the whole body is in capture.jsonl"
            text = String(decoding: text.utf8.prefix(maxExampleCharacters), as: UTF8.self)
        }
        html.raw("<details class=\"example\"><summary>")
        html.add(label)
        html.raw("</summary><pre>")
        html.addText(text + cut)
        html.raw("</pre></details>")
    }
}
