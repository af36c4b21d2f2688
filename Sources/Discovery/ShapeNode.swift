import JSONCore

/// The merged shape of every JSON value seen at one place (a response body, a property, an array's
/// items). Samples are folded in as they come, so memory follows the shape, not the traffic.
final class ShapeNode {
    private(set) var samples = 0
    private var nulls = 0
    private var booleans = 0
    private var integers = 0
    private var numbers = 0
    private var strings = 0
    /// Distinct string values with counts, dropped (nil) once there are too many to be an enum.
    private var stringValues: [String: Int]? = [:]
    private var stringFormats = StringFormat.all
    /// The last string whose formats were checked: ids and dates repeat poll after poll.
    private var lastFormatChecked: String?
    private var arrays = 0
    private var items: ShapeNode?
    /// Objects with disjoint members (`GET /api/jobs?id=` answers a Job, without `id` `{jobs: [...]}`)
    /// are kept apart and become `oneOf` alternatives.
    private var objectShapes: [ObjectShape] = []

    static let enumLimit = 12
    static let objectVariantLimit = 4

    func add(_ value: JSON, weight: Int = 1) {
        samples += weight
        switch value {
        case .null: nulls += weight
        case .bool: booleans += weight
        case .integer: integers += weight
        case .number: numbers += weight
        case .string(let text):
            strings += weight
            if !stringFormats.isEmpty, text != lastFormatChecked {
                stringFormats = stringFormats.intersection(StringFormat.of(text))
                lastFormatChecked = text
            }
            if stringValues != nil {
                if text.utf8.count > 64 {
                    stringValues = nil
                } else {
                    stringValues![text, default: 0] += weight
                    if stringValues!.count > Self.enumLimit { stringValues = nil }
                }
            }
        case .array(let elements):
            arrays += weight
            if !elements.isEmpty {
                let node = items ?? ShapeNode()
                items = node
                for element in elements { node.add(element, weight: weight) }
            }
        case .object(let members):
            shape(for: members.keys).add(members, weight: weight)
        }
    }

    /// The kept object shape that shares a member with these keys, else a new one (up to a limit).
    private func shape<Keys: Collection<String>>(for keys: Keys) -> ObjectShape {
        if let first = objectShapes.first, objectShapes.count == 1, first.isMap || keys.isEmpty || first.isEmpty || first.sharesKey(keys) {
            return first
        }
        if let match = objectShapes.first(where: { $0.isMap || $0.sharesKey(keys) }) { return match }
        if keys.isEmpty, let first = objectShapes.first { return first }
        if objectShapes.count >= Self.objectVariantLimit { return objectShapes.max { $0.count < $1.count }! }
        let shape = ObjectShape()
        objectShapes.append(shape)
        return shape
    }

    /// Folds another node's samples into this one.
    func absorb(_ other: ShapeNode) {
        samples += other.samples
        nulls += other.nulls
        booleans += other.booleans
        integers += other.integers
        numbers += other.numbers
        if other.strings > 0 {
            stringFormats = strings == 0 ? other.stringFormats : stringFormats.intersection(other.stringFormats)
        }
        strings += other.strings
        if let mine = stringValues, let theirs = other.stringValues {
            let merged = mine.merging(theirs, uniquingKeysWith: +)
            stringValues = merged.count > Self.enumLimit ? nil : merged
        } else {
            stringValues = nil
        }
        arrays += other.arrays
        if let otherItems = other.items {
            if let items { items.absorb(otherItems) } else { items = otherItems.copy() }
        }
        for shape in other.objectShapes { self.shape(for: shape.keys).absorb(shape) }
    }

    func copy() -> ShapeNode {
        let node = ShapeNode()
        node.absorb(self)
        return node
    }

    /// JSON Schema 2020-12 for everything seen. `name` is the property name, used to decide whether a
    /// small set of strings is an enum for sure or only a candidate.
    func schema(name: String? = nil) -> JSON {
        var variants: [JSON] = []
        if booleans > 0 { variants.append(["type": "boolean"]) }
        if numbers > 0 {
            variants.append(["type": "number"])
        } else if integers > 0 {
            variants.append(["type": "integer"])
        }
        if strings > 0 { variants.append(stringSchema(name: name)) }
        if arrays > 0 {
            var schema: [String: JSON] = ["type": "array"]
            schema["items"] = items?.schema(name: name.map(Naming.singular)) ?? [:]
            variants.append(.object(schema))
        }
        for shape in objectShapes { variants.append(shape.schema()) }
        if variants.isEmpty { return nulls > 0 ? ["type": "null"] : [:] }
        if variants.count == 1 {
            guard nulls > 0, case .object(var only) = variants[0], let type = only["type"]?.stringValue else { return variants[0] }
            only["type"] = [.string(type), "null"]
            if let values = only["enum"]?.arrayValue { only["enum"] = .array(values + [.null]) }
            return .object(only)
        }
        if nulls > 0 { variants.append(["type": "null"]) }
        return ["oneOf": .array(variants)]
    }

    private func stringSchema(name: String?) -> JSON {
        var schema: [String: JSON] = ["type": "string"]
        if let format = stringFormats.name {
            schema["format"] = .string(format)
            return .object(schema)
        }
        if let values = stringValues, strings >= 3, values.count < strings, values.count <= 8, !(name.map(ExampleRedaction.isSecretKey) ?? false) {
            let sorted = values.keys.sorted()
            // Traffic only shows the values that happened; an enum is claimed only for a field named
            // like a category, seen often, each value repeatedly.
            if Self.isCategoryName(name), strings >= 30, values.values.allSatisfy({ $0 >= 3 }), values.count <= 6 {
                schema["enum"] = .array(sorted.map(JSON.string))
            } else {
                schema["x-enum-candidates"] = .object(values.mapValues(JSON.integer))
            }
        }
        return .object(schema)
    }

    private static func isCategoryName(_ name: String?) -> Bool {
        guard let last = name.flatMap({ Naming.words($0).last }) else { return false }
        return ["status", "state", "type", "kind", "mode", "level", "role", "phase", "category", "event", "action", "severity", "target"].contains(last)
    }
}

/// The members of one kind of object: named properties, or a map when the keys are data.
final class ObjectShape {
    private(set) var count = 0
    private var properties: [String: ShapeNode] = [:]
    /// Set when the keys are data (paths, ids, too many): the object is a map.
    private var mapValues: ShapeNode?

    static let propertyLimit = 64
    /// The property nodes of the members being added, reused from object to object.
    private var found: [ShapeNode?] = []

    var isMap: Bool { mapValues != nil }
    var isEmpty: Bool { properties.isEmpty && mapValues == nil }
    var keys: [String] { Array(properties.keys) }

    func sharesKey<Keys: Collection<String>>(_ keys: Keys) -> Bool {
        keys.contains { properties[$0] != nil }
    }

    func add(_ members: [String: JSON], weight: Int) {
        count += weight
        if mapValues == nil {
            // Whether this object turns the shape into a map is decided before anything is added: deciding
            // half way through would feed the map in the dictionary's order, which differs run to run.
            found.removeAll(keepingCapacity: true)
            var newKeys = 0
            var dataKey = false
            for key in members.keys {
                let node = properties[key]
                found.append(node)
                if node == nil {
                    newKeys += 1
                    if !dataKey, Self.isDataKey(key) { dataKey = true }
                }
            }
            if !dataKey, properties.count + newKeys <= Self.propertyLimit {
                for (index, (key, member)) in members.enumerated() {
                    if let node = found[index] {
                        node.add(member, weight: weight)
                    } else {
                        let node = ShapeNode()
                        properties[key] = node
                        node.add(member, weight: weight)
                    }
                }
                return
            }
            foldIntoMap()
        }
        // Map values in key order, so the shapes they form come out the same every run.
        for key in members.keys.sorted() { mapValues!.add(members[key]!, weight: weight) }
    }

    func absorb(_ other: ObjectShape) {
        count += other.count
        if let otherMap = other.mapValues {
            if mapValues == nil { foldIntoMap() }
            mapValues!.absorb(otherMap)
        } else if let map = mapValues {
            for key in other.properties.keys.sorted() { map.absorb(other.properties[key]!) }
        } else {
            for (key, node) in other.properties {
                if let mine = properties[key] { mine.absorb(node) } else { properties[key] = node.copy() }
            }
        }
    }

    private func foldIntoMap() {
        let map = ShapeNode()
        for key in properties.keys.sorted() { map.absorb(properties[key]!) }
        properties = [:]
        mapValues = map
    }

    /// Keys that are values: paths, identifiers, dates, e-mail addresses or `host:port`, and codes with
    /// a digit inside letters (`w4fxe-myqnj`: a Syncthing folder id). A digit suffix (`ipv4`,
    /// `sha256`) or a word is a property name.
    static func isDataKey(_ key: String) -> Bool {
        let bytes = key.utf8
        if bytes.contains(where: { $0 == 0x2F || $0 == 0x20 || $0 == 0x40 || $0 == 0x3A }) { return true }
        let shape = SegmentShape(key)
        if shape.isIdentifier { return true }
        if shape == .reserved, bytes.count == 10, bytes.contains(0x2D) { return true }
        for part in bytes.split(whereSeparator: { $0 == 0x2D || $0 == 0x5F }) {
            var sawDigit = false
            for byte in part {
                if isDigit(byte) {
                    sawDigit = true
                } else if sawDigit, byte >= 0x61 && byte <= 0x7A {
                    return true
                }
            }
        }
        return false
    }

    func schema() -> JSON {
        var schema: [String: JSON] = ["type": "object"]
        if let map = mapValues {
            schema["additionalProperties"] = map.schema()
            return .object(schema)
        }
        guard !properties.isEmpty else { return .object(schema) }
        var members: [String: JSON] = [:]
        var required: [String] = []
        for (key, node) in properties {
            members[key] = node.schema(name: key)
            if node.samples >= count { required.append(key) }
        }
        schema["properties"] = .object(members)
        if !required.isEmpty { schema["required"] = .array(required.sorted(by: JSON.keyOrder).map(JSON.string)) }
        return .object(schema)
    }
}

/// String formats every sample satisfied so far.
struct StringFormat: OptionSet {
    let rawValue: UInt8
    static let uuid = StringFormat(rawValue: 1)
    static let dateTime = StringFormat(rawValue: 2)
    static let date = StringFormat(rawValue: 4)
    static let uri = StringFormat(rawValue: 8)
    static let absolutePath = StringFormat(rawValue: 16)
    static let all: StringFormat = [.uuid, .dateTime, .date, .uri, .absolutePath]

    var name: String? {
        if contains(.uuid) { return "uuid" }
        if contains(.dateTime) { return "date-time" }
        if contains(.date) { return "date" }
        if contains(.uri) { return "uri" }
        if contains(.absolutePath) { return "absolute-path" }
        return nil
    }

    static func of(_ text: String) -> StringFormat {
        let utf8 = text.utf8
        guard let first = utf8.first else { return [] }
        // Most strings start with a letter: none of the formats but uri.
        if isLetter(first), first != 0x68, first != 0x77, !(utf8.count == 36 && isHexDigit(first)) { return [] }
        let b = Array(utf8.prefix(40))
        var result: StringFormat = []
        if b.count == 36, isUUIDBytes(b) { result.insert(.uuid) }
        if b.count >= 10, b[4] == 0x2D, b[7] == 0x2D, isDigit(b[0]), isDigit(b[3]), isDigit(b[5]), isDigit(b[8]), isDigit(b[9]) {
            if b.count == 10 {
                result.insert(.date)
            } else if b.count >= 16, b[10] == 0x54 || b[10] == 0x20, b[13] == 0x3A {
                result.insert(.dateTime)
            }
        }
        if text.hasPrefix("http://") || text.hasPrefix("https://") || text.hasPrefix("ws://") || text.hasPrefix("wss://") { result.insert(.uri) }
        if b.count > 1, b[0] == 0x2F, b[1] != 0x2F { result.insert(.absolutePath) }
        return result
    }
}
