import Foundation
import JSONCore

/// The flow's own keys: name, requires, secrets, prerequisites, when, vars and the list of steps.
extension FlowDecoder {
    /// The flow, or nil when anything was refused (every refusal is in `diagnostics`).
    func decodeFlow(file url: URL?) -> Flow? {
        for duplicate in document.duplicateKeys {
            report(.error, at: duplicate.position, "duplicate key '\(Self.lastToken(duplicate.pointer))': the earlier value is ignored", pointer: duplicate.pointer)
        }
        guard let root = document.value.objectValue else {
            error("", "a flow file holds one JSON object with \"name\" and \"steps\", found \(describe(document.value))")
            return nil
        }
        var flow = Flow(name: "", steps: [], file: url)
        for member in members(root, at: "") {
            switch member.key {
            case "$schema": _ = expectString(member.value, at: member.pointer, references: false)
            case "description": flow.description = expectString(member.value, at: member.pointer, references: false)
            case "name":
                flow.name = expectString(member.value, at: member.pointer) ?? ""
                if member.value.stringValue?.isEmpty == true { error(member.pointer, "the flow name is empty") }
            case "requires": flow.requires = names(member.value, at: member.pointer, what: "environment variable")
            case "secrets": flow.secrets = secrets(member.value, at: member.pointer, root: root)
            case "prerequisites":
                for (index, item) in (expectArray(member.value, at: member.pointer) ?? []).enumerated() {
                    flow.prerequisites.append(flowFile(item, at: PositionedJSON.pointer(member.pointer, index)))
                }
            case "when": flow.when = when(member.value, at: member.pointer)
            case "vars": flow.vars = vars(member.value, at: member.pointer)
            case "steps":
                guard let steps = expectArray(member.value, at: member.pointer) else { break }
                if steps.isEmpty { warning(member.pointer, "the flow has no steps") }
                for (offset, step) in steps.enumerated() {
                    if let decoded = decodeStep(step, at: PositionedJSON.pointer(member.pointer, offset), index: offset + 1) {
                        flow.steps.append(decoded)
                    }
                }
            default:
                unknownKey(member.key, at: member.pointer, in: "the flow", allowed: FlowGrammar.flowKeys)
            }
        }
        if root["name"] == nil { error("", "the flow has no \"name\"") }
        if root["steps"] == nil { error("", "the flow has no \"steps\"") }
        return errorCount == 0 ? flow : nil
    }

    private func names(_ value: JSON, at pointer: String, what: String) -> [String] {
        var names: [String] = []
        for (index, item) in (expectArray(value, at: pointer) ?? []).enumerated() {
            let itemPointer = PositionedJSON.pointer(pointer, index)
            guard let name = expectString(item, at: itemPointer) else { continue }
            if !Self.isIdentifier(name) {
                error(itemPointer, "'\(name)' is not a valid \(what) name (letters, digits and '_', not starting with a digit)")
            }
            names.append(name)
        }
        return names
    }

    private func secrets(_ value: JSON, at pointer: String, root: [String: JSON]) -> [String] {
        let secrets = names(value, at: pointer, what: "secret")
        let required = Set(root["requires"]?.arrayValue?.compactMap(\.stringValue) ?? []).union(inheritedEnvironment)
        let variables = Set(root["vars"]?.objectValue?.keys.map { $0 } ?? [])
        for (index, item) in (value.arrayValue ?? []).enumerated() {
            guard let name = item.stringValue, Self.isIdentifier(name) else { continue }
            if !required.contains(name), !variables.contains(name) {
                warning(PositionedJSON.pointer(pointer, index), "secret '\(name)' is neither in requires nor in vars, so nothing is masked")
            }
        }
        return secrets
    }

    private func vars(_ value: JSON, at pointer: String) -> [String: String] {
        guard let object = expectObject(value, at: pointer) else { return [:] }
        var vars: [String: String] = [:]
        let before = errorCount
        for member in members(object, at: pointer) {
            if !Self.isIdentifier(member.key) {
                keyError(member.pointer, "'\(member.key)' is not a valid variable name (letters, digits and '_', not starting with a digit)")
            }
            switch member.value {
            case .string, .integer, .number, .bool: vars[member.key] = scalarText(member.value, at: member.pointer)
            default: error(member.pointer, "a variable's default is a string, number or boolean, found \(describe(member.value))")
            }
        }
        // Defaults that refer to each other are about all of them, so the refusal points at `vars`.
        if errorCount == before {
            do throws(FlowValueError) {
                try VariableExpansion.check(vars)
            } catch {
                self.error(pointer, error.message)
            }
        }
        return vars
    }

    func when(_ value: JSON, at pointer: String) -> WhenCondition? {
        guard let object = expectObject(value, at: pointer) else { return nil }
        for member in members(object, at: pointer) where !["var", "in", "equals"].contains(member.key) {
            unknownKey(member.key, at: member.pointer, in: "a when", allowed: ["var", "in", "equals"])
        }
        var variable = ""
        if let name = object["var"] {
            let namePointer = PositionedJSON.pointer(pointer, "var")
            if let name = expectString(name, at: namePointer) {
                variable = name
                if reach.contains(.references), !knownVariables.contains(name) {
                    warning(namePointer, "variable '\(name)' has no default in vars; it must be set with --var \(name)=...")
                }
            }
        } else {
            error(pointer, "a when needs \"var\" and one of \"in\" or \"equals\"")
        }
        switch (object["in"], object["equals"]) {
        case (nil, nil):
            error(pointer, "a when needs one of \"in\" (a list of values) or \"equals\" (one value)")
            return nil
        case (.some, .some):
            keyError(PositionedJSON.pointer(pointer, "equals"), "a when takes \"in\" or \"equals\", not both")
            return nil
        case (.some(let list), nil):
            let listPointer = PositionedJSON.pointer(pointer, "in")
            let allowed = (expectArray(list, at: listPointer) ?? []).enumerated().map { index, item in
                scalarText(item, at: PositionedJSON.pointer(listPointer, index))
            }
            return WhenCondition(variable: variable, allowed: allowed)
        case (nil, .some(let value)):
            return WhenCondition(variable: variable, allowed: [scalarText(value, at: PositionedJSON.pointer(pointer, "equals"))])
        }
    }

    static func lastToken(_ pointer: String) -> String {
        String(pointer.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
            .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
}
