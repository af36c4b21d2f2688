import JSONCore

/// Object shapes that recur across endpoints (the Job record returned by six routes) become named,
/// shared schemas: `components.schemas.Job` in OpenAPI, `interface Job` in the client.
struct SchemaComponents {
    /// Name -> merged schema.
    private(set) var schemas: [String: JSON] = [:]
    /// Property-name signature -> component name.
    private var nameOfSignature: [String: String] = [:]

    static let minimumProperties = 4

    init(_ api: DiscoveredAPI) {
        var occurrences: [String: [(hint: String, schema: JSON)]] = [:]
        for endpoint in api.endpoints {
            let resource = Self.resourceHint(endpoint.path)
            for response in endpoint.responses {
                if let schema = response.schema { Self.collect(schema, hint: resource, into: &occurrences, depth: 0) }
            }
            if let request = endpoint.request { Self.collect(request.schema, hint: resource, into: &occurrences, depth: 0) }
            for message in endpoint.stream?.messages ?? [] { Self.collect(message.schema, hint: message.name, into: &occurrences, depth: 0) }
        }
        var taken: Set<String> = []
        for signature in occurrences.keys.sorted() {
            let found = occurrences[signature]!
            guard found.count >= 2 else { continue }
            var hints: [String: Int] = [:]
            for item in found { hints[item.hint, default: 0] += 1 }
            let best = hints.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
            var name = Naming.pascalCase(Naming.singular(best))
            if name.isEmpty { name = "Item" }
            var candidate = name
            var counter = 2
            while taken.contains(candidate) {
                candidate = name + String(counter)
                counter += 1
            }
            taken.insert(candidate)
            nameOfSignature[signature] = candidate
            schemas[candidate] = found.dropFirst().reduce(found[0].schema) { SchemaMerge.merge($0, $1.schema) }
        }
    }

    private static func resourceHint(_ path: String) -> String {
        let literals = PathTemplate(parsing: path).tokens.compactMap { token -> String? in
            if case .literal(let value) = token, SegmentShape(value) != .reserved { return value }
            return nil
        }
        return literals.first(where: { Naming.isPlural($0) }) ?? literals.first ?? "item"
    }

    static func signature(_ schema: JSON) -> String? {
        guard SchemaSketch.typeNames(schema).contains("object"), let properties = schema["properties"]?.objectValue,
            properties.count >= minimumProperties
        else { return nil }
        return properties.keys.sorted().joined(separator: ",")
    }

    private static func collect(_ schema: JSON, hint: String, into occurrences: inout [String: [(hint: String, schema: JSON)]], depth: Int) {
        guard depth < 4 else { return }
        if let variants = schema["oneOf"]?.arrayValue {
            for variant in variants { collect(variant, hint: hint, into: &occurrences, depth: depth) }
            return
        }
        if let signature = signature(schema) { occurrences[signature, default: []].append((hint, schema)) }
        if let items = schema["items"] { collect(items, hint: hint, into: &occurrences, depth: depth + 1) }
        let properties = schema["properties"]?.objectValue ?? [:]
        for key in properties.keys.sorted() {
            let value = properties[key]!
            let childHint = SchemaSketch.typeNames(value).contains("array") ? key : (Naming.isPlural(key) ? hint : key)
            collect(value, hint: childHint, into: &occurrences, depth: depth + 1)
        }
    }

    /// The component name for a schema whose shape is shared.
    func name(for schema: JSON) -> String? {
        signature(schema).flatMap { nameOfSignature[$0] }
    }

    private func signature(_ schema: JSON) -> String? { Self.signature(schema) }

    /// Replaces shared shapes with `$ref`s to `prefix + name`.
    func referencing(_ schema: JSON, prefix: String = "#/components/schemas/", skipTop: Bool = false) -> JSON {
        if !skipTop, let name = name(for: schema) {
            let nullable = SchemaSketch.typeNames(schema).contains("null")
            let ref: JSON = ["$ref": .string(prefix + name)]
            return nullable ? ["oneOf": [ref, ["type": "null"]]] : ref
        }
        guard case .object(var members) = schema else { return schema }
        if let variants = members["oneOf"]?.arrayValue { members["oneOf"] = .array(variants.map { referencing($0, prefix: prefix) }) }
        if let items = members["items"] { members["items"] = referencing(items, prefix: prefix) }
        if let additional = members["additionalProperties"], additional.objectValue != nil {
            members["additionalProperties"] = referencing(additional, prefix: prefix)
        }
        if let properties = members["properties"]?.objectValue { members["properties"] = .object(properties.mapValues { referencing($0, prefix: prefix) }) }
        return .object(members)
    }

    /// The component schemas themselves, with their own nested shared shapes referenced.
    func resolvedSchemas(prefix: String = "#/components/schemas/") -> [String: JSON] {
        schemas.mapValues { referencing($0, prefix: prefix, skipTop: true) }
    }
}
