import Browser
import Foundation
import JSONCore

/// Plain values: strings, numbers, names, choices, `{x, y}` and viewports, file paths and globs.
extension FlowDecoder {
    /// `references: false` for text no one interpolates (`$schema`, the flow's description).
    func expectString(_ value: JSON, at pointer: String, references: Bool = true) -> String? {
        if let text = value.stringValue {
            if references { self.references(inText: text, at: pointer) }
            return text
        }
        error(pointer, "expected a string, found \(describe(value))")
        return nil
    }

    func expectArray(_ value: JSON, at pointer: String) -> [JSON]? {
        if let items = value.arrayValue { return items }
        error(pointer, "expected a list, found \(describe(value))")
        return nil
    }

    func expectObject(_ value: JSON, at pointer: String) -> [String: JSON]? {
        if let object = value.objectValue { return object }
        error(pointer, "expected an object, found \(describe(value))")
        return nil
    }

    func nonEmptyString(_ value: JSON, at pointer: String) -> String {
        guard let text = expectString(value, at: pointer) else { return "" }
        if text.isEmpty { error(pointer, "the value is empty") }
        return text
    }

    /// Strings, numbers and booleans as text: `"value": 2000` means "2000".
    func scalarText(_ value: JSON, at pointer: String) -> String {
        switch value {
        case .string(let text):
            references(inText: text, at: pointer)
            return text
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .bool(let flag): return String(flag)
        default:
            error(pointer, "expected a string, number or boolean, found \(describe(value))")
            return ""
        }
    }

    func integer(_ value: JSON, at pointer: String, minimum: Int) -> Int? {
        guard let number = value.intValue, case .integer = value else {
            error(pointer, "expected an integer, found \(describe(value))")
            return nil
        }
        if number < minimum { error(pointer, "expected an integer of at least \(minimum), found \(number)") }
        return number
    }

    func boolean(_ value: JSON, at pointer: String) -> Bool {
        if let flag = value.boolValue { return flag }
        error(pointer, "expected true or false, found \(describe(value))")
        return false
    }

    func choice(_ value: JSON, _ names: [String], at pointer: String) -> String {
        guard let name = expectString(value, at: pointer) else { return "" }
        if !names.contains(name) { error(pointer, "'\(name)' is not one of \(names.joined(separator: ", "))\(Suggestion.hint(for: name, among: names))") }
        return name
    }

    func variableName(_ value: JSON, at pointer: String) -> String {
        guard let name = expectString(value, at: pointer) else { return "" }
        if !Self.isIdentifier(name) {
            error(pointer, "'\(name)' is not a valid variable name (letters, digits and '_', not starting with a digit)")
        }
        return name
    }

    /// Another flow file, relative to this one; an interpolated path is only known at run time.
    func flowFile(_ value: JSON, at pointer: String) -> String {
        guard let path = expectString(value, at: pointer) else { return "" }
        if reach.contains(.files), !path.contains("${"), !FileManager.default.fileExists(atPath: resolve(path)) {
            error(pointer, "flow file '\(path)' not found (looked for \(resolve(path)))")
        }
        return path
    }

    func position(_ value: JSON, at pointer: String) -> PointerPosition {
        let numbers = numbers(value, at: pointer, required: ["x", "y"], optional: [], integers: [], positive: false)
        return PointerPosition(x: numbers["x"] ?? 0, y: numbers["y"] ?? 0)
    }

    func viewport(_ value: JSON, at pointer: String) -> Viewport {
        let numbers = numbers(
            value, at: pointer, required: ["width", "height"], optional: ["deviceScaleFactor"], integers: ["width", "height"], positive: true)
        return Viewport(width: Int(numbers["width"] ?? 1), height: Int(numbers["height"] ?? 1), deviceScaleFactor: numbers["deviceScaleFactor"])
    }

    private func numbers(
        _ value: JSON, at pointer: String, required: [String], optional: [String], integers: [String], positive: Bool
    ) -> [String: Double] {
        guard let object = expectObject(value, at: pointer) else { return [:] }
        var numbers: [String: Double] = [:]
        for member in members(object, at: pointer) {
            guard required.contains(member.key) || optional.contains(member.key) else {
                unknownKey(member.key, at: member.pointer, in: "this object", allowed: required + optional)
                continue
            }
            guard let number = member.value.doubleValue else {
                error(member.pointer, "expected a number, found \(describe(member.value))")
                continue
            }
            if integers.contains(member.key), case .number = member.value {
                error(member.pointer, "expected an integer, found \(number)")
                continue
            }
            if positive, number <= 0 { error(member.pointer, "expected a number above 0, found \(number)") }
            numbers[member.key] = number
        }
        for key in required where object[key] == nil { error(pointer, "missing \"\(key)\"") }
        return numbers
    }

    /// A path or glob, or a non-empty list of them; each must match a file when they are read from disk.
    func uploadFiles(_ value: JSON, at pointer: String) -> [String] {
        let patterns: [(String, String)]
        switch value {
        case .string(let pattern): patterns = [(pattern, pointer)]
        case .array(let items) where !items.isEmpty:
            patterns = items.enumerated().compactMap { index, item in
                item.stringValue.map { ($0, PositionedJSON.pointer(pointer, index)) }
            }
            for (index, item) in items.enumerated() where item.stringValue == nil {
                error(PositionedJSON.pointer(pointer, index), "expected a file path or glob, found \(describe(item))")
            }
        default:
            error(pointer, "expected a file path or glob, or a non-empty list of them, found \(describe(value))")
            return []
        }
        for (pattern, patternPointer) in patterns { references(inText: pattern, at: patternPointer) }
        for (pattern, patternPointer) in patterns where reach.contains(.files) && !pattern.contains("${") {
            if Glob.matches(resolve(pattern)).isEmpty {
                error(patternPointer, "no file matches '\(pattern)' (relative to the flow file: \(resolve(pattern)))")
            }
        }
        return patterns.map(\.0)
    }

    static func isIdentifier(_ name: String) -> Bool {
        name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil
    }
}
