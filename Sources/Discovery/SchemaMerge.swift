import JSONCore

/// Merges two JSON Schemas of the kind discovery writes (type, properties, required, items, oneOf,
/// format, enum), the way merging the samples behind them would have: a property missing from one
/// side becomes optional, different types become `oneOf`.
enum SchemaMerge {
    static func merge(_ a: JSON, _ b: JSON) -> JSON {
        if a == b { return a }
        if a.objectValue?.isEmpty ?? false { return b }
        if b.objectValue?.isEmpty ?? false { return a }
        let left = variants(a)
        let right = variants(b)
        var merged: [JSON] = left
        var nullable = left.contains { SchemaSketch.typeNames($0) == ["null"] }
        for variant in right {
            let type = SchemaSketch.typeNames(variant).first ?? ""
            if type == "null" {
                nullable = true
                continue
            }
            if let index = merged.firstIndex(where: { SchemaSketch.typeNames($0).first == type }) {
                merged[index] = mergeSameType(merged[index], variant)
            } else {
                merged.append(variant)
            }
        }
        merged.removeAll { SchemaSketch.typeNames($0) == ["null"] }
        if merged.count == 1, case .object(var only) = merged[0], let type = only["type"]?.stringValue {
            if nullable { only["type"] = [.string(type), "null"] }
            return .object(only)
        }
        if nullable { merged.append(["type": "null"]) }
        return ["oneOf": .array(merged)]
    }

    /// The alternatives a schema allows, each with one type (a nullable type splits in two).
    private static func variants(_ schema: JSON) -> [JSON] {
        if let list = schema["oneOf"]?.arrayValue { return list.flatMap(variants) }
        let types = SchemaSketch.typeNames(schema)
        guard types.count > 1, case .object(let members) = schema else { return [schema] }
        return types.map { type in
            if type == "null" { return ["type": "null"] }
            var copy = members
            copy["type"] = .string(type)
            if let values = copy["enum"]?.arrayValue { copy["enum"] = .array(values.filter { $0 != .null }) }
            return .object(copy)
        }
    }

    private static func mergeSameType(_ a: JSON, _ b: JSON) -> JSON {
        guard case .object(var left) = a, case .object(let right) = b else { return a }
        switch left["type"]?.stringValue {
        case "object":
            if let l = left["additionalProperties"], let r = right["additionalProperties"] {
                left["additionalProperties"] = merge(l, r)
                return .object(left)
            }
            let lp = left["properties"]?.objectValue ?? [:]
            let rp = right["properties"]?.objectValue ?? [:]
            var properties = lp
            for (key, value) in rp { properties[key] = lp[key].map { merge($0, value) } ?? value }
            let lr = Set(left["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            let rr = Set(right["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            if !properties.isEmpty { left["properties"] = .object(properties) }
            let required = lr.intersection(rr).sorted(by: JSON.keyOrder)
            if required.isEmpty { left.removeValue(forKey: "required") } else { left["required"] = .array(required.map(JSON.string)) }
        case "array":
            left["items"] = merge(left["items"] ?? [:], right["items"] ?? [:])
        default:
            if left["format"] != right["format"] { left["format"] = nil }
            if let l = left["enum"]?.arrayValue, let r = right["enum"]?.arrayValue {
                left["enum"] = .array(Array(Set(l + r)).sorted { $0.serialized() < $1.serialized() })
            } else {
                left["enum"] = nil
            }
            if let l = left["x-enum-candidates"]?.objectValue, let r = right["x-enum-candidates"]?.objectValue {
                let sum = l.merging(r) { .integer(($0.intValue ?? 0) + ($1.intValue ?? 0)) }
                if sum.count <= ShapeNode.enumLimit { left["x-enum-candidates"] = .object(sum) } else { left.removeValue(forKey: "x-enum-candidates") }
            } else {
                left["x-enum-candidates"] = nil
            }
        }
        return .object(left)
    }
}
