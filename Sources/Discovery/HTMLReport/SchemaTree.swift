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
        // One walk over the schema's keywords (usually two or three) rather than a lookup of each
        // keyword it might have: a page draws thousands of these nodes.
        var type: JSON?, format: String?, enumValues: [JSON]?, properties: [String: JSON]?, requiredNames: [JSON]?
        var items: JSON?, additional: JSON?, oneOf: [JSON]?, anyOf: [JSON]?
        for (key, value) in schema.objectValue ?? [:] {
            switch key {
            case "type": type = value
            case "format": format = value.stringValue
            case "enum": enumValues = value.arrayValue
            case "properties": properties = value.objectValue
            case "required": requiredNames = value.arrayValue
            case "items": items = value.objectValue != nil ? value : nil
            case "additionalProperties": additional = value.objectValue != nil ? value : nil
            case "oneOf": oneOf = value.arrayValue
            case "anyOf": anyOf = value.arrayValue
            default: continue
            }
        }
        html.raw("<span class=\"t\">")
        html.add(typeText(type: type, variants: oneOf != nil || anyOf != nil, properties: properties != nil))
        html.raw("</span>")
        if required { html.raw(" <span class=\"req\">required</span>") }
        if let format {
            html.raw(" <span class=\"fmt\">")
            html.add(format)
            html.raw("</span>")
        }
        if let values = enumValues, !values.isEmpty {
            html.raw(" <span class=\"enum\">one of ")
            html.add(values.prefix(12).map { $0.serialized() }.joined(separator: ", ") + (values.count > 12 ? ", …" : ""))
            html.raw("</span>")
        }
        var children: [(String, JSON, Bool)] = []
        if let properties {
            let required = Set(requiredNames?.compactMap(\.stringValue) ?? [])
            children = properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value, required.contains($0.key)) }
        }
        if let items { children.append(("[ ]", items, false)) }
        if let additional { children.append(("{key}", additional, false)) }
        for (index, variant) in (oneOf ?? []).enumerated() { children.append(("oneOf \(index + 1)", variant, false)) }
        for (index, variant) in (anyOf ?? []).enumerated() { children.append(("anyOf \(index + 1)", variant, false)) }
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
    static func typeText(_ schema: JSON) -> String {
        typeText(type: schema["type"], variants: schema["oneOf"] != nil || schema["anyOf"] != nil, properties: schema["properties"] != nil)
    }

    static func typeText(type: JSON?, variants: Bool, properties: Bool) -> String {
        switch type {
        case .string(let type)?: return type
        case .array(let list)? where !list.isEmpty: return list.compactMap(\.stringValue).joined(separator: " | ")
        default: return variants ? "one of" : properties ? "object" : "any"
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
