import Foundation
import JSONCore

/// Checks one parsed flow file against `FlowGrammar`: shapes, types, unknown keys, variables and the
/// files it names. Cross-file facts (variables saved by prerequisites, flows earlier in the folder)
/// arrive as `inheritedVariables` and `inheritedEnvironment`.
struct FlowChecker {
    typealias Shape = FlowGrammar.Shape

    let file: String
    let directory: String
    let document: PositionedJSON
    let inheritedVariables: Set<String>
    let inheritedEnvironment: Set<String>
    /// Variables a `${vars.NAME}` may name: defaults, values saved by steps, and inherited ones. Worked
    /// out once: per string it made a 50,000-step flow take minutes.
    private let knownVariables: Set<String>
    /// `requires` and the inherited environment, once.
    private let requiredEnvironment: Set<String>
    private(set) var diagnostics: [FlowDiagnostic] = []

    init(file: String, document: PositionedJSON, inheritedVariables: Set<String>, inheritedEnvironment: Set<String>) {
        self.file = file
        self.directory = (file as NSString).deletingLastPathComponent
        self.document = document
        self.inheritedVariables = inheritedVariables
        self.inheritedEnvironment = inheritedEnvironment
        knownVariables = inheritedVariables.union(FlowChecker.definedVariables(in: document.value))
        requiredEnvironment = FlowChecker.requiredEnvironment(in: document.value).union(inheritedEnvironment)
    }

    // MARK: Reporting

    private mutating func report(_ severity: FlowDiagnostic.Severity, at position: SourcePosition, _ message: String, pointer: String) {
        diagnostics.append(FlowDiagnostic(file: file, at: position, severity, message, pointer: pointer))
    }

    private mutating func error(_ pointer: String, _ message: String) {
        report(.error, at: document.position(of: pointer), message, pointer: pointer)
    }

    private mutating func keyError(_ pointer: String, _ message: String) {
        report(.error, at: document.keyPosition(of: pointer), message, pointer: pointer)
    }

    private mutating func warning(_ pointer: String, _ message: String) {
        report(.warning, at: document.position(of: pointer), message, pointer: pointer)
    }

    private func describe(_ value: JSON) -> String {
        switch value {
        case .string(let text): return "the string \"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
        case .null: return "null"
        default: return "\(article(value.typeName)) \(value.typeName)"
        }
    }

    private func article(_ word: String) -> String { "aeiou".contains(word.first ?? "x") ? "an" : "a" }

    /// Members in file order, so messages come out in reading order.
    private func members(_ object: [String: JSON], at pointer: String) -> [(key: String, value: JSON, pointer: String)] {
        object.map { (key: $0.key, value: $0.value, pointer: PositionedJSON.pointer(pointer, $0.key)) }
            .sorted { document.keyPosition(of: $0.pointer).isBefore(document.keyPosition(of: $1.pointer)) }
    }

    private mutating func unknownKey(_ key: String, at pointer: String, in what: String, allowed: [String]) {
        keyError(pointer, "unknown key '\(key)' in \(what)\(Suggestion.hint(for: key, among: allowed))")
    }

    // MARK: The flow

    mutating func check() {
        for duplicate in document.duplicateKeys {
            report(.error, at: duplicate.position, "duplicate key '\(lastToken(duplicate.pointer))': the earlier value is ignored", pointer: duplicate.pointer)
        }
        guard let root = document.value.objectValue else {
            error("", "a flow file holds one JSON object with \"name\" and \"steps\", found \(describe(document.value))")
            return
        }
        for member in members(root, at: "") {
            switch member.key {
            case "$schema", "description": expectString(member.value, at: member.pointer)
            case "name":
                if expectString(member.value, at: member.pointer), member.value.stringValue?.isEmpty == true {
                    error(member.pointer, "the flow name is empty")
                }
            case "requires": checkNames(member.value, at: member.pointer, what: "environment variable")
            case "secrets": checkSecrets(member.value, at: member.pointer, root: root)
            case "prerequisites":
                guard let items = expectArray(member.value, at: member.pointer) else { break }
                for (index, item) in items.enumerated() {
                    check(.flowFile, item, at: PositionedJSON.pointer(member.pointer, index))
                }
            case "when": checkWhen(member.value, at: member.pointer)
            case "vars": checkVars(member.value, at: member.pointer)
            case "steps":
                guard let steps = expectArray(member.value, at: member.pointer) else { break }
                if steps.isEmpty { warning(member.pointer, "the flow has no steps") }
                for (index, step) in steps.enumerated() { checkStep(step, at: PositionedJSON.pointer(member.pointer, index)) }
            default:
                unknownKey(member.key, at: member.pointer, in: "the flow", allowed: FlowGrammar.flowKeys)
            }
        }
        if root["name"] == nil { error("", "the flow has no \"name\"") }
        if root["steps"] == nil { error("", "the flow has no \"steps\"") }
        checkInterpolations(in: document.value, at: "", root: root)
    }

    private mutating func checkNames(_ value: JSON, at pointer: String, what: String) {
        guard let items = expectArray(value, at: pointer) else { return }
        for (index, item) in items.enumerated() {
            let itemPointer = PositionedJSON.pointer(pointer, index)
            if expectString(item, at: itemPointer), let name = item.stringValue, !isIdentifier(name) {
                error(itemPointer, "'\(name)' is not a valid \(what) name (letters, digits and '_', not starting with a digit)")
            }
        }
    }

    private mutating func checkSecrets(_ value: JSON, at pointer: String, root: [String: JSON]) {
        checkNames(value, at: pointer, what: "secret")
        let required = Set(root["requires"]?.arrayValue?.compactMap(\.stringValue) ?? []).union(inheritedEnvironment)
        let variables = Set(root["vars"]?.objectValue?.keys.map { $0 } ?? [])
        for (index, item) in (value.arrayValue ?? []).enumerated() {
            guard let name = item.stringValue, isIdentifier(name) else { continue }
            if !required.contains(name), !variables.contains(name) {
                warning(PositionedJSON.pointer(pointer, index), "secret '\(name)' is neither in requires nor in vars, so nothing is masked")
            }
        }
    }

    private mutating func checkVars(_ value: JSON, at pointer: String) {
        guard let object = expectObject(value, at: pointer) else { return }
        for member in members(object, at: pointer) {
            if !isIdentifier(member.key) {
                keyError(member.pointer, "'\(member.key)' is not a valid variable name (letters, digits and '_', not starting with a digit)")
            }
            switch member.value {
            case .string, .integer, .number, .bool: break
            default: error(member.pointer, "a variable's default is a string, number or boolean, found \(describe(member.value))")
            }
        }
    }

    private mutating func checkWhen(_ value: JSON, at pointer: String) {
        guard let object = expectObject(value, at: pointer) else { return }
        for member in members(object, at: pointer) where !["var", "in", "equals"].contains(member.key) {
            unknownKey(member.key, at: member.pointer, in: "a when", allowed: ["var", "in", "equals"])
        }
        if let name = object["var"] {
            let namePointer = PositionedJSON.pointer(pointer, "var")
            if expectString(name, at: namePointer), let name = name.stringValue, !knownVariables.contains(name) {
                warning(namePointer, "variable '\(name)' has no default in vars; it must be set with --var \(name)=...")
            }
        } else {
            error(pointer, "a when needs \"var\" and one of \"in\" or \"equals\"")
        }
        switch (object["in"], object["equals"]) {
        case (nil, nil): error(pointer, "a when needs one of \"in\" (a list of values) or \"equals\" (one value)")
        case (.some, .some): keyError(PositionedJSON.pointer(pointer, "equals"), "a when takes \"in\" or \"equals\", not both")
        case (.some(let list), nil):
            let listPointer = PositionedJSON.pointer(pointer, "in")
            for (index, item) in (expectArray(list, at: listPointer) ?? []).enumerated() {
                check(.scalar, item, at: PositionedJSON.pointer(listPointer, index))
            }
        case (nil, .some(let value)): check(.scalar, value, at: PositionedJSON.pointer(pointer, "equals"))
        }
    }

    // MARK: Steps

    private mutating func checkStep(_ value: JSON, at pointer: String) {
        guard let step = value.objectValue else {
            error(pointer, "a step is an object with one action key such as {\"click\": ...}, found \(describe(value))")
            return
        }
        let stepMembers = members(step, at: pointer)
        let actions = FlowChecker.actions(of: stepMembers.map(\.key)).compactMap { action in stepMembers.first { $0.key == action } }
        guard let action = actions.first, let kind = FlowGrammar.stepKind(action.key) else {
            let everyOption = Set(FlowGrammar.steps.flatMap(\.options.keys))
            let strangers = stepMembers.filter { !FlowGrammar.stepModifiers.contains($0.key) && !everyOption.contains($0.key) }
            if strangers.isEmpty {
                error(pointer, "the step has no action; a step has one of: \(FlowGrammar.stepKinds.joined(separator: ", "))")
            }
            for stranger in strangers {
                keyError(stranger.pointer, "unknown step kind '\(stranger.key)'\(Suggestion.hint(for: stranger.key, among: FlowGrammar.stepKinds))")
            }
            return
        }
        for extra in actions.dropFirst() {
            keyError(extra.pointer, "a step has exactly one action; this one has '\(action.key)' and '\(extra.key)'")
        }
        check(kind.value, action.value, at: action.pointer)
        for member in stepMembers where member.key != action.key && !actions.contains(where: { $0.key == member.key }) {
            switch member.key {
            case "name": expectString(member.value, at: member.pointer)
            case "timeout":
                // In the decoder's words: a day at most, so `1e999999` is refused, not trapped on.
                guard member.value.doubleValue != nil else {
                    check(.integer(minimum: 1), member.value, at: member.pointer)
                    break
                }
                if case .integer(let milliseconds) = member.value, milliseconds >= 1, milliseconds <= FlowDecoder.maximumTimeoutMilliseconds { break }
                error(member.pointer, "`timeout` is a positive number of milliseconds, at most \(FlowDecoder.maximumTimeoutMilliseconds) (a day), found \(describe(member.value))")
            case "when": checkWhen(member.value, at: member.pointer)
            case "optional": check(.boolean, member.value, at: member.pointer)
            default:
                if let shape = kind.options[member.key] {
                    check(shape, member.value, at: member.pointer)
                    continue
                }
                let owners = FlowGrammar.steps.filter { $0.options[member.key] != nil }.map(\.action)
                let allowed = FlowGrammar.stepModifiers + kind.options.keys.sorted()
                if !owners.isEmpty, Suggestion.closest(to: member.key, among: allowed) == nil {
                    keyError(member.pointer, "'\(member.key)' is not allowed in \(article(kind.action)) \(kind.action) step (it belongs to \(owners.joined(separator: ", ")))")
                } else {
                    unknownKey(member.key, at: member.pointer, in: "\(article(kind.action)) \(kind.action) step", allowed: allowed + FlowGrammar.stepKinds)
                }
            }
        }
        for required in kind.required where step[required] == nil {
            keyError(action.pointer, "\(article(kind.action)) \(kind.action) step needs \"\(required)\"")
        }
    }

    /// The action keys among a step's keys. `save` is both a step (`{"save": "name", "from": ...}`) and an
    /// option of `evaluate` and `download`; beside one of those it is the option.
    static func actions(of keys: [String]) -> [String] {
        let actions = keys.filter { FlowGrammar.stepKind($0) != nil }
        let saveIsAnOption = actions.contains { FlowGrammar.stepKind($0)?.options["save"] != nil }
        return saveIsAnOption ? actions.filter { $0 != "save" } : actions
    }

    private mutating func check(_ shape: Shape, _ value: JSON, at pointer: String) {
        switch shape {
        case .any: break
        case .string:
            if expectString(value, at: pointer), value.stringValue?.isEmpty == true { error(pointer, "the value is empty") }
        case .scalar:
            switch value {
            case .string, .integer, .number, .bool: break
            default: error(pointer, "expected a string, number or boolean, found \(describe(value))")
            }
        case .integer(let minimum):
            guard let number = value.intValue, case .integer = value else {
                error(pointer, "expected an integer, found \(describe(value))")
                return
            }
            if number < minimum { error(pointer, "expected an integer of at least \(minimum), found \(number)") }
        case .boolean:
            if value.boolValue == nil { error(pointer, "expected true or false, found \(describe(value))") }
        case .locator: checkLocator(value, at: pointer)
        case .condition: checkCondition(value, at: pointer)
        case .source: checkSource(value, at: pointer)
        case .stringOrLocator:
            if value.stringValue == nil { checkLocator(value, at: pointer) }
        case .stringOrStrings: checkUploadFiles(value, at: pointer)
        case .choice(let names): checkChoice(value, names, at: pointer)
        case .choices(let names):
            if let items = value.arrayValue {
                for (index, item) in items.enumerated() { checkChoice(item, names, at: PositionedJSON.pointer(pointer, index)) }
            } else {
                checkChoice(value, names, at: pointer)
            }
        case .viewport:
            checkNumbers(value, at: pointer, required: ["width", "height"], optional: ["deviceScaleFactor"], integers: ["width", "height"], positive: true)
        case .position: checkNumbers(value, at: pointer, required: ["x", "y"], optional: [], integers: [], positive: false)
        case .variableName:
            if expectString(value, at: pointer), let name = value.stringValue, !isIdentifier(name) {
                error(pointer, "'\(name)' is not a valid variable name (letters, digits and '_', not starting with a digit)")
            }
        case .flowFile:
            guard expectString(value, at: pointer), let path = value.stringValue, !path.contains("${") else { return }
            if !FileManager.default.fileExists(atPath: resolve(path)) {
                error(pointer, "flow file '\(path)' not found (looked for \(resolve(path)))")
            }
        }
    }

    private mutating func checkChoice(_ value: JSON, _ names: [String], at pointer: String) {
        guard expectString(value, at: pointer), let name = value.stringValue, !names.contains(name) else { return }
        error(pointer, "'\(name)' is not one of \(names.joined(separator: ", "))\(Suggestion.hint(for: name, among: names))")
    }

    private mutating func checkNumbers(
        _ value: JSON, at pointer: String, required: [String], optional: [String], integers: [String], positive: Bool
    ) {
        guard let object = expectObject(value, at: pointer) else { return }
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
        }
        for key in required where object[key] == nil { error(pointer, "missing \"\(key)\"") }
    }

    private mutating func checkUploadFiles(_ value: JSON, at pointer: String) {
        let patterns: [(String, String)]
        switch value {
        case .string(let pattern): patterns = [(pattern, pointer)]
        case .array(let items) where !items.isEmpty:
            patterns = items.enumerated().compactMap { index, item in
                let itemPointer = PositionedJSON.pointer(pointer, index)
                return item.stringValue.map { ($0, itemPointer) }
            }
            for (index, item) in items.enumerated() where item.stringValue == nil {
                error(PositionedJSON.pointer(pointer, index), "expected a file path or glob, found \(describe(item))")
            }
        default:
            error(pointer, "expected a file path or glob, or a non-empty list of them, found \(describe(value))")
            return
        }
        for (pattern, patternPointer) in patterns where !pattern.contains("${") {
            if Glob.matches(resolve(pattern)).isEmpty {
                error(patternPointer, "no file matches '\(pattern)' (relative to the flow file: \(resolve(pattern)))")
            }
        }
    }

    private func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }

    // MARK: Locators

    private mutating func checkLocator(_ value: JSON, at pointer: String) {
        switch value {
        case .string(let text): checkShorthand(text, at: pointer)
        case .array(let alternatives):
            if alternatives.isEmpty { error(pointer, "a list of locator alternatives needs at least one") }
            for (index, alternative) in alternatives.enumerated() {
                let itemPointer = PositionedJSON.pointer(pointer, index)
                if case .array = alternative {
                    error(itemPointer, "locator alternatives do not nest; give each alternative as a string or an object")
                } else {
                    checkLocator(alternative, at: itemPointer)
                }
            }
        case .object(let object):
            let kinds = members(object, at: pointer).filter { FlowGrammar.locatorKinds.contains($0.key) }
            if kinds.isEmpty {
                error(pointer, "a locator object needs one of: \(FlowGrammar.locatorKinds.joined(separator: ", "))")
            }
            for extra in kinds.dropFirst() {
                keyError(extra.pointer, "a locator has one kind; this one has '\(kinds[0].key)' and '\(extra.key)' (use \"within\" or \"has\" to combine)")
            }
            for member in members(object, at: pointer) {
                switch member.key {
                case _ where FlowGrammar.locatorKinds.contains(member.key): check(.string, member.value, at: member.pointer)
                case "name":
                    if object["role"] == nil { keyError(member.pointer, "\"name\" goes with \"role\" (the accessible name of a role locator)") }
                    expectString(member.value, at: member.pointer)
                case _ where FlowGrammar.roleFilterKeys.contains(member.key):
                    if object["role"] == nil { keyError(member.pointer, "\"\(member.key)\" goes with \"role\" (an ARIA state a role locator requires)") }
                    check(member.key == "level" ? .integer(minimum: 1) : .boolean, member.value, at: member.pointer)
                case "exact", "first": check(.boolean, member.value, at: member.pointer)
                case "nth": check(.integer(minimum: Int.min), member.value, at: member.pointer)
                case "within", "has", "frame": checkLocator(member.value, at: member.pointer)
                default:
                    unknownKey(member.key, at: member.pointer, in: "a locator", allowed: FlowGrammar.locatorKinds + FlowGrammar.locatorOptions)
                }
            }
        default:
            error(pointer, "expected a locator (a string such as \"text=Create\", an object, or a list of alternatives), found \(describe(value))")
        }
    }

    /// Shorthand strings as the runner reads them: parts joined by ` >> ` scope each other; `nth=N` and
    /// `first` pick from what the parts before found; `//...` is XPath; `kind=value`; anything else is CSS.
    private mutating func checkShorthand(_ text: String, at pointer: String) {
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            error(pointer, "the locator is empty")
            return
        }
        // Split as the loader splits (outside quotes and brackets), so `name="A >> B"` is one part for both.
        for (index, rawPart) in LocatorShorthand.splitChain(text).enumerated() {
            let part = rawPart.trimmingCharacters(in: .whitespaces)
            if part.isEmpty {
                error(pointer, "the locator '\(text)' has an empty part around ' >> '")
                continue
            }
            if part.hasPrefix("nth=") {
                if index == 0 || Int(part.dropFirst(4)) == nil {
                    error(pointer, "'\(part)' in '\(text)' must follow a locator and be an integer")
                }
                continue
            }
            if index > 0, part == "first" || part == "first=true" { continue }
            if part.hasPrefix("//") || part.hasPrefix("(//") || part.hasPrefix("..") { continue }
            guard let equals = part.firstIndex(of: "="), !part[..<equals].isEmpty, part[..<equals].allSatisfy({ $0.isLetter }) else {
                continue
            }
            let prefix = String(part[..<equals])
            let body = String(part[part.index(after: equals)...])
            guard FlowGrammar.locatorKinds.contains(prefix) else {
                error(pointer, "unknown locator prefix '\(prefix)='\(Suggestion.hint(for: prefix, among: FlowGrammar.locatorKinds)); known: \(FlowGrammar.locatorKinds.map { $0 + "=" }.joined(separator: " "))")
                continue
            }
            if body.isEmpty, prefix != "role" { error(pointer, "the locator '\(prefix)=' has nothing after '='") }
            if prefix == "role", body.range(of: Self.roleShorthand, options: .regularExpression) == nil {
                error(pointer, "a role locator reads role=ROLE, role=ROLE[name=\"Accessible name\"], with [exact] for an exact name and ARIA filters [level=N], [checked], [disabled], [expanded], [selected], [pressed] (or =false), found '\(part)'")
            }
        }
    }

    /// `role=ROLE` followed by `[name="..."]`, `[exact]`, `[level=N]` and `[checked]` / `[checked=false]` style filters.
    static let roleShorthand =
        #"^[A-Za-z-]+(\[(name=.*|exact|exact=true|level=[1-9][0-9]*|(checked|disabled|expanded|selected|pressed)(=(true|false))?)\])*$"#

    // MARK: Conditions and sources

    private mutating func checkCondition(_ value: JSON, at pointer: String) {
        guard let object = expectObject(value, at: pointer) else { return }
        let all = members(object, at: pointer)
        let kinds = all.filter { FlowGrammar.conditionKinds[$0.key] != nil }
        guard let kind = kinds.first else {
            let names = FlowGrammar.conditionKinds.keys.sorted()
            let strangers = all.filter { !FlowGrammar.conditionKinds.values.joined().contains($0.key) }
            for stranger in strangers {
                keyError(stranger.pointer, "unknown condition kind '\(stranger.key)'\(Suggestion.hint(for: stranger.key, among: names))")
            }
            if strangers.isEmpty { error(pointer, "a condition needs one of: \(names.joined(separator: ", "))") }
            return
        }
        for extra in kinds.dropFirst() {
            keyError(extra.pointer, "a condition has one kind; this one has '\(kind.key)' and '\(extra.key)' (use two steps)")
        }
        let allowed = FlowGrammar.conditionKinds[kind.key] ?? []
        switch kind.key {
        case "element": checkLocator(kind.value, at: kind.pointer)
        case "text", "url", "expression": check(.string, kind.value, at: kind.pointer)
        case "response": checkMatch(kind.value, at: kind.pointer, keys: FlowGrammar.responseMatchKeys, what: "a response match")
        default: checkMatch(kind.value, at: kind.pointer, keys: FlowGrammar.messageMatchKeys, what: "a message match")
        }
        for member in all where member.key != kind.key && FlowGrammar.conditionKinds[member.key] == nil {
            guard allowed.contains(member.key) else {
                unknownKey(member.key, at: member.pointer, in: "\(article(kind.key)) \(kind.key) condition", allowed: allowed)
                continue
            }
            switch member.key {
            case "state": checkEnum(member.value, at: member.pointer, FlowGrammar.elementStates)
            case "operator": checkEnum(member.value, at: member.pointer, FlowGrammar.countOperators)
            case "count": check(.integer(minimum: 0), member.value, at: member.pointer)
            case "exact": check(.boolean, member.value, at: member.pointer)
            case "json": checkJSONCheck(member.value, at: member.pointer)
            default: break
            }
        }
        if object["operator"] != nil, object["count"] == nil {
            keyError(PositionedJSON.pointer(pointer, "operator"), "\"operator\" compares the \"count\", which is missing")
        }
    }

    private mutating func checkMatch(_ value: JSON, at pointer: String, keys: [String], what: String) {
        // A response match may be just its URL pattern.
        if what == "a response match", value.stringValue != nil {
            check(.string, value, at: pointer)
            return
        }
        guard let object = expectObject(value, at: pointer) else { return }
        for member in members(object, at: pointer) {
            guard keys.contains(member.key) else {
                unknownKey(member.key, at: member.pointer, in: what, allowed: keys)
                continue
            }
            switch member.key {
            case "status": check(.integer(minimum: 100), member.value, at: member.pointer)
            case "direction": checkEnum(member.value, at: member.pointer, FlowGrammar.messageDirections)
            case "method":
                if expectString(member.value, at: member.pointer), let method = member.value.stringValue, method != method.uppercased() {
                    error(member.pointer, "HTTP methods are upper case: '\(method.uppercased())'")
                }
            case "matches":
                if expectString(member.value, at: member.pointer), let pattern = member.value.stringValue {
                    checkRegex(pattern, at: member.pointer)
                }
            default: check(.string, member.value, at: member.pointer)
            }
        }
        if object["url"] == nil { error(pointer, "\(what) needs \"url\" (a glob such as \"**/api/jobs\")") }
    }

    private mutating func checkJSONCheck(_ value: JSON, at pointer: String) {
        guard let object = expectObject(value, at: pointer) else { return }
        for member in members(object, at: pointer) where !FlowGrammar.jsonCheckKeys.contains(member.key) {
            unknownKey(member.key, at: member.pointer, in: "a json check", allowed: FlowGrammar.jsonCheckKeys)
        }
        if let path = object["path"] {
            checkJSONPath(path, at: PositionedJSON.pointer(pointer, "path"))
        } else {
            error(pointer, "a json check needs \"path\" (such as \"$.status\")")
        }
        if let exists = object["exists"] { check(.boolean, exists, at: PositionedJSON.pointer(pointer, "exists")) }
    }

    private mutating func checkJSONPath(_ value: JSON, at pointer: String) {
        if expectString(value, at: pointer), let path = value.stringValue, !path.hasPrefix("$") {
            error(pointer, "a JSON path starts with '$' (such as \"$.id\"), found '\(path)'")
        }
    }

    private mutating func checkSource(_ value: JSON, at pointer: String) {
        guard let object = expectObject(value, at: pointer) else { return }
        let all = members(object, at: pointer)
        let names = FlowGrammar.sourceKinds.keys.sorted()
        let kinds = all.filter { FlowGrammar.sourceKinds[$0.key] != nil }
        guard let kind = kinds.first else {
            error(pointer, "a source needs one of: \(names.joined(separator: ", "))")
            return
        }
        for extra in kinds.dropFirst() {
            keyError(extra.pointer, "a source has one kind; this one has '\(kind.key)' and '\(extra.key)'")
        }
        let allowed = FlowGrammar.sourceKinds[kind.key] ?? []
        for member in all where FlowGrammar.sourceKinds[member.key] == nil {
            guard allowed.contains(member.key) else {
                unknownKey(member.key, at: member.pointer, in: "\(article(kind.key)) \(kind.key) source", allowed: allowed)
                continue
            }
            if member.key == "path" { checkJSONPath(member.value, at: member.pointer) } else { check(.string, member.value, at: member.pointer) }
        }
        switch kind.key {
        case "response":
            checkMatch(kind.value, at: kind.pointer, keys: FlowGrammar.responseMatchKeys, what: "a response match")
            if object["path"] == nil { keyError(kind.pointer, "a response source needs \"path\" (such as \"$.id\")") }
        case "element": checkLocator(kind.value, at: kind.pointer)
        default: checkURLPart(kind.value, at: kind.pointer)
        }
    }

    private mutating func checkURLPart(_ value: JSON, at pointer: String) {
        guard let object = expectObject(value, at: pointer) else { return }
        let parts = members(object, at: pointer)
        for member in parts {
            switch member.key {
            case "regex":
                if expectString(member.value, at: member.pointer), let pattern = member.value.stringValue {
                    checkRegex(pattern, at: member.pointer)
                }
            case "segment": check(.integer(minimum: Int.min), member.value, at: member.pointer)
            default: unknownKey(member.key, at: member.pointer, in: "a url source", allowed: FlowGrammar.urlPartKeys)
            }
        }
        let known = parts.filter { FlowGrammar.urlPartKeys.contains($0.key) }
        if known.count != 1 { error(pointer, "a url source takes one of \"regex\" (first group) or \"segment\" (index, negative from the end)") }
    }

    private mutating func checkRegex(_ pattern: String, at pointer: String) {
        if (try? NSRegularExpression(pattern: pattern)) == nil { error(pointer, "invalid regular expression '\(pattern)'") }
    }

    private mutating func checkEnum(_ value: JSON, at pointer: String, _ allowed: [String]) {
        guard expectString(value, at: pointer), let text = value.stringValue else { return }
        if !allowed.contains(text) {
            error(pointer, "'\(text)' is not one of \(allowed.joined(separator: ", "))\(Suggestion.hint(for: text, among: allowed))")
        }
    }

    // MARK: Interpolation


    static func definedVariables(in flow: JSON) -> Set<String> {
        var names = Set(flow["vars"]?.objectValue?.keys.map { $0 } ?? [])
        for step in flow["steps"]?.arrayValue ?? [] {
            if let name = step["save"]?.stringValue { names.insert(name) }
        }
        return names
    }

    static func requiredEnvironment(in flow: JSON) -> Set<String> {
        Set(flow["requires"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    private mutating func checkInterpolations(in value: JSON, at pointer: String, root: [String: JSON]) {
        switch value {
        case .string(let text): checkInterpolation(text, at: pointer, root: root)
        case .array(let items):
            for (index, item) in items.enumerated() {
                checkInterpolations(in: item, at: PositionedJSON.pointer(pointer, index), root: root)
            }
        case .object(let object):
            for (key, item) in object where !(pointer.isEmpty && ["$schema", "description"].contains(key)) {
                checkInterpolations(in: item, at: PositionedJSON.pointer(pointer, key), root: root)
            }
        default: break
        }
    }

    private mutating func checkInterpolation(_ text: String, at pointer: String, root: [String: JSON]) {
        var searchStart = text.startIndex
        // Worked out once per string, and positions only for what is reported: a value with 100,000
        // references took minutes when each one was located from the start of the string.
        let required = requiredEnvironment
        let known = knownVariables
        let document = self.document
        func positionOf(_ open: Range<String.Index>) -> SourcePosition {
            let offset = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: open.lowerBound)
            return document.position(inString: pointer, scalarOffset: offset)
        }
        while let open = text.range(of: "${", range: searchStart..<text.endIndex) {
            var position: SourcePosition { positionOf(open) }
            guard let close = text.range(of: "}", range: open.upperBound..<text.endIndex) else {
                report(.error, at: position, "'${' is not closed with '}'", pointer: pointer)
                return
            }
            searchStart = close.upperBound
            let reference = String(text[open.upperBound..<close.lowerBound])
            let parts = reference.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, FlowGrammar.interpolationNamespaces.contains(parts[0]), !parts[1].isEmpty else {
                report(.error, at: position, "'${\(reference)}' is not a variable; write ${env.NAME}, ${vars.name} or ${run.id|date|baseURL}", pointer: pointer)
                continue
            }
            let name = parts[1]
            switch parts[0] {
            case "env":
                if !required.contains(name) {
                    report(.error, at: position, "environment variable '\(name)' is used but not listed in \"requires\"\(Suggestion.hint(for: name, among: required))", pointer: pointer)
                }
            case "vars":
                if !known.contains(name) {
                    report(.error, at: position, "unknown variable '\(name)': not defined in \"vars\" and saved by no step before it\(Suggestion.hint(for: name, among: known))", pointer: pointer)
                }
            default:
                if !FlowGrammar.runVariables.contains(name) {
                    report(.error, at: position, "unknown run variable '\(name)'\(Suggestion.hint(for: name, among: FlowGrammar.runVariables)); known: \(FlowGrammar.runVariables.joined(separator: ", "))", pointer: pointer)
                }
            }
        }
    }

    // MARK: Small checks

    @discardableResult
    private mutating func expectString(_ value: JSON, at pointer: String) -> Bool {
        if value.stringValue != nil { return true }
        error(pointer, "expected a string, found \(describe(value))")
        return false
    }

    private mutating func expectArray(_ value: JSON, at pointer: String) -> [JSON]? {
        if let items = value.arrayValue { return items }
        error(pointer, "expected a list, found \(describe(value))")
        return nil
    }

    private mutating func expectObject(_ value: JSON, at pointer: String) -> [String: JSON]? {
        if let object = value.objectValue { return object }
        error(pointer, "expected an object, found \(describe(value))")
        return nil
    }

    private func isIdentifier(_ name: String) -> Bool {
        name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil
    }

    private func lastToken(_ pointer: String) -> String {
        String(pointer.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
            .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
}

extension SourcePosition {
    func isBefore(_ other: SourcePosition) -> Bool {
        line != other.line ? line < other.line : column < other.column
    }
}
