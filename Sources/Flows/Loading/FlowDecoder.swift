import Browser
import Foundation
import JSONCore

/// Turns the JSON of a flow file into a `Flow`: the flow keys, modifiers and nested values here, each
/// step kind by its `FlowGrammar` entry. Messages name what is wrong in the words of the file format;
/// `FlowLoader` adds the file and step.
struct FlowDecoder {
    // The key lists and each step kind's decoding come from `FlowGrammar`, which the checker follows and
    // the schema is generated from; `LoaderGrammarAgreementTests` checks the values agree too.
    static let stepModifiers = Set(FlowGrammar.stepModifiers)
    static let actionOptions: [String: Set<String>] = Dictionary(
        uniqueKeysWithValues: FlowGrammar.steps.map { ($0.action, Set($0.options.keys)) })
    static let flowKeys = Set(FlowGrammar.flowKeys)
    static let maximumTimeoutMilliseconds = 86_400_000
    static let maximumTimeout = Double(maximumTimeoutMilliseconds)

    /// Resolves `include` steps to flows; given the path as written.
    var loadInclude: (String) throws -> Flow

    func decodeFlow(_ json: JSON, file: URL?) throws -> Flow {
        let fileName = file?.lastPathComponent ?? "<flow>"
        func problem(_ message: String) -> FlowFileError { FlowFileError(file: fileName, message: message) }
        guard let members = json.objectValue else { throw problem("a flow file holds a JSON object, found \(json.typeName)") }
        if let unknown = members.keys.sorted().first(where: { !Self.flowKeys.contains($0) }) {
            throw problem("unknown key `\(unknown)` (a flow has \(Self.flowKeys.filter { $0 != "$schema" }.sorted().joined(separator: ", ")))")
        }
        do {
            let defaultName = file.map { $0.lastPathComponent.replacingOccurrences(of: ".flow.json", with: "") } ?? "flow"
            let name = try optionalString(members["name"], "name") ?? defaultName
            guard let stepsJSON = members["steps"] else { throw FlowValueError("missing `steps`") }
            guard let stepList = stepsJSON.arrayValue else { throw FlowValueError("`steps` must be an array, found \(stepsJSON.typeName)") }
            var vars: [String: String] = [:]
            if let varsJSON = members["vars"] {
                guard let object = varsJSON.objectValue else { throw FlowValueError("`vars` must be an object of strings") }
                for (key, value) in object { vars[key] = try scalarText(value, "vars.\(key)") }
                try VariableExpansion.check(vars)
            }
            let flowWhen = try members["when"].map { try decodeWhen($0) }
            var steps: [Step] = []
            for (offset, stepJSON) in stepList.enumerated() {
                do {
                    steps.append(try decodeStep(stepJSON, index: offset + 1))
                } catch let failure as FlowValueError {
                    throw FlowFileError(file: fileName, step: offset + 1, message: failure.message)
                }
            }
            return Flow(
                name: name, description: try optionalString(members["description"], "description"),
                requires: try stringList(members["requires"], "requires"), secrets: try stringList(members["secrets"], "secrets"),
                prerequisites: try stringList(members["prerequisites"], "prerequisites"), when: flowWhen, vars: vars,
                steps: steps, file: file)
        } catch let failure as FlowValueError {
            throw problem(failure.message)
        }
    }

    func decodeStep(_ json: JSON, index: Int) throws -> Step {
        guard let members = json.objectValue else { throw FlowValueError("a step is an object, found \(json.typeName)") }
        var actions = members.keys.filter { Self.actionOptions[$0] != nil }.sorted()
        // `save` is an action and also an option of `evaluate` and `download`.
        if actions.count > 1 {
            actions = actions.filter { candidate in !actions.contains { Self.actionOptions[$0]!.contains(candidate) } }
        }
        guard actions.count == 1, let kind = actions.first else {
            if actions.isEmpty {
                throw FlowValueError("no action in step (keys: \(members.keys.sorted().joined(separator: ", ")); actions: \(Self.actionOptions.keys.sorted().joined(separator: ", ")))")
            }
            throw FlowValueError("a step has exactly one action, found \(actions.joined(separator: ", "))")
        }
        let allowed = Self.stepModifiers.union(Self.actionOptions[kind]!).union([kind])
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw FlowValueError("unknown key `\(unknown)` in a `\(kind)` step (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        let action = try FlowGrammar.stepKind(kind)!.decode(StepFields(action: kind, members: members, decoder: self))
        var timeout: Duration?
        if let milliseconds = members["timeout"] {
            // A day at most: also keeps `1e999999` (infinity) from trapping the conversion below.
            guard let number = milliseconds.doubleValue, number > 0, number <= Self.maximumTimeout else {
                throw FlowValueError("`timeout` is a positive number of milliseconds, at most \(Int(Self.maximumTimeout)) (a day)")
            }
            timeout = .milliseconds(Int64(number))
        }
        var optional = false
        if let flag = members["optional"] {
            guard let value = flag.boolValue else { throw FlowValueError("`optional` is true or false, found \(flag.typeName)") }
            optional = value
        }
        return Step(
            action: action, name: try optionalString(members["name"], "name"), timeout: timeout,
            when: try members["when"].map { try decodeWhen($0) }, optional: optional, written: json, index: index)
    }

    /// `"button": "right"`, `"modifiers": ["Shift"]` (or one name).
    func decodePress(_ members: [String: JSON]) throws(FlowValueError) -> PointerPress {
        var press = PointerPress.plain
        if let json = members["button"] {
            guard let name = json.stringValue, let button = PointerPress.Button(rawValue: name) else {
                throw FlowValueError("`button` is left, right or middle, found \(json.serialized())")
            }
            press.button = button
        }
        if let json = members["modifiers"] {
            let names = json.stringValue.map { [JSON.string($0)] } ?? json.arrayValue ?? [json]
            for name in names {
                guard let text = name.stringValue, let modifier = PointerPress.Modifier(rawValue: text) else {
                    throw FlowValueError("`modifiers` are Alt, Control, Meta and Shift, found \(name.serialized())")
                }
                press.modifiers.insert(modifier)
            }
        }
        return press
    }

    /// `{x, y}`: CSS pixels from the element's top-left corner.
    func decodePosition(_ json: JSON?) throws(FlowValueError) -> PointerPosition? {
        guard let json else { return nil }
        guard let object = json.objectValue else { throw FlowValueError("`position` takes {x, y}, found \(json.typeName)") }
        try rejectUnknown(object, ["x", "y"], in: "position")
        guard let x = object["x"]?.doubleValue, let y = object["y"]?.doubleValue else {
            throw FlowValueError("`position` needs numbers `x` and `y`")
        }
        return PointerPosition(x: x, y: y)
    }

    // MARK: Locators

    func decodeLocator(_ json: JSON) throws(FlowValueError) -> Locator {
        let locator = try decodeLocatorUnchecked(json)
        if locator.nesting > Locator.maximumNesting {
            throw FlowValueError("a locator nests \(locator.nesting) levels of scopes and alternatives; at most \(Locator.maximumNesting)")
        }
        return locator
    }

    private func decodeLocatorUnchecked(_ json: JSON) throws(FlowValueError) -> Locator {
        switch json {
        case .string(let text):
            return try LocatorShorthand.parse(text)
        case .array(let items):
            if items.isEmpty { throw FlowValueError("an empty list of locator alternatives") }
            var options: [Locator] = []
            for item in items { options.append(try decodeLocator(item)) }
            return options.count == 1 ? options[0] : .alternatives(options)
        case .object(let members):
            return .single(try decodeQuery(members))
        default:
            throw FlowValueError("a locator is a string, an object or an array of alternatives, found \(json.typeName)")
        }
    }

    static let strategyKeys = FlowGrammar.locatorKinds
    /// Keys that only a `role` locator takes.
    static let roleOnlyKeys = ["name"] + FlowGrammar.roleFilterKeys

    private func decodeQuery(_ members: [String: JSON]) throws(FlowValueError) -> LocatorQuery {
        try rejectUnknown(members, Set(Self.strategyKeys + FlowGrammar.locatorOptions), in: "locator")
        let present = Self.strategyKeys.filter { members[$0] != nil }
        guard present.count == 1, let key = present.first else {
            throw FlowValueError(
                present.isEmpty
                    ? "a locator object needs one of \(Self.strategyKeys.joined(separator: ", "))"
                    : "a locator object has one strategy, found \(present.joined(separator: ", "))")
        }
        let value = try string(members[key]!, key)
        if key != "role", let roleOnly = Self.roleOnlyKeys.first(where: { members[$0] != nil }) {
            throw FlowValueError("`\(roleOnly)` goes with `role`, not `\(key)`")
        }
        let strategy: LocatorStrategy
        switch key {
        case "css": strategy = .css(value)
        case "xpath": strategy = .xpath(value)
        case "text": strategy = .text(value)
        case "role": strategy = .role(value, name: try optionalString(members["name"], "name"))
        case "label": strategy = .label(value)
        case "placeholder": strategy = .placeholder(value)
        case "testId": strategy = .testId(value)
        case "alt": strategy = .alt(value)
        default: strategy = .title(value)
        }
        return LocatorQuery(
            strategy, exact: try optionalBool(members["exact"], "exact") ?? (key == "testId"),
            within: try members["within"].map { j throws(FlowValueError) in try decodeLocator(j) },
            has: try members["has"].map { j throws(FlowValueError) in try decodeLocator(j) },
            nth: try optionalInt(members["nth"], "nth"), first: try optionalBool(members["first"], "first") ?? false,
            frame: try members["frame"].map { j throws(FlowValueError) in try decodeLocator(j) },
            roleFilters: try decodeRoleFilters(members))
    }

    private func decodeRoleFilters(_ members: [String: JSON]) throws(FlowValueError) -> RoleFilters {
        let level = try optionalInt(members["level"], "level")
        if let level, level < 1 { throw FlowValueError("`level` is 1 or more, found \(level)") }
        return RoleFilters(
            level: level, checked: try optionalBool(members["checked"], "checked"), disabled: try optionalBool(members["disabled"], "disabled"),
            expanded: try optionalBool(members["expanded"], "expanded"), selected: try optionalBool(members["selected"], "selected"),
            pressed: try optionalBool(members["pressed"], "pressed"))
    }

    // MARK: Conditions and sources

    func decodeCondition(_ json: JSON) throws(FlowValueError) -> Condition {
        let kindNames = FlowGrammar.conditionKinds.keys.sorted()
        guard let members = json.objectValue else {
            throw FlowValueError("a condition is an object with one of \(kindNames.joined(separator: ", "))")
        }
        let kinds = kindNames.filter { members[$0] != nil }
        guard kinds.count == 1, let kind = kinds.first else {
            throw FlowValueError("a condition has exactly one of \(kindNames.joined(separator: ", ")); found \(kinds.isEmpty ? "none" : kinds.joined(separator: ", "))")
        }
        try rejectUnknown(members, Set([kind] + FlowGrammar.conditionKinds[kind, default: []]), in: "\(kind) condition")
        switch kind {
        case "element":
            var state: ElementState = members["count"] == nil ? .visible : .attached
            if let stateJSON = members["state"] {
                let text = try string(stateJSON, "state")
                guard let parsed = ElementState(rawValue: text) else {
                    throw FlowValueError("unknown state `\(text)` (one of \(ElementState.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                state = parsed
            }
            var count: ElementCount?
            if let value = try optionalInt(members["count"], "count") {
                if value < 0 { throw FlowValueError("`count` is 0 or more, found \(value)") }
                var comparison = ElementCount.Comparison.equal
                if let text = try optionalString(members["operator"], "operator") {
                    guard let parsed = ElementCount.Comparison(rawValue: text) else {
                        throw FlowValueError("unknown operator `\(text)` (one of \(ElementCount.Comparison.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    comparison = parsed
                }
                count = ElementCount(value, comparison)
            } else if members["operator"] != nil {
                throw FlowValueError("`operator` compares the `count`, which is missing")
            }
            return .element(try decodeLocator(members["element"]!), state: state, count: count)
        case "text":
            return .text(try string(members["text"]!, "text"), exact: try optionalBool(members["exact"], "exact") ?? false)
        case "url":
            return .url(try urlPattern(members["url"]!, "url"))
        case "expression":
            let expression = try string(members["expression"]!, "expression")
            if expression.isEmpty { throw FlowValueError("`expression` is empty") }
            return .expression(expression)
        case "response":
            var expectation: JSONExpectation?
            if let jsonCheck = members["json"] {
                guard let object = jsonCheck.objectValue else { throw FlowValueError("`json` takes {path, equals?, exists?}") }
                try rejectUnknown(object, ["path", "equals", "exists"], in: "json check")
                expectation = JSONExpectation(
                    path: try string(try required(object, "path", "json"), "path"), equals: object["equals"],
                    exists: try optionalBool(object["exists"], "exists"))
            }
            return .response(try decodeResponseMatcher(members["response"]!), count: try optionalInt(members["count"], "count"), json: expectation)
        case "message":
            guard let object = members["message"]!.objectValue else { throw FlowValueError("`message` takes {url, direction?, event?, contains?, matches?}") }
            try rejectUnknown(object, ["url", "direction", "event", "contains", "matches"], in: "message")
            var direction: MessageMatcher.Direction?
            if let text = try optionalString(object["direction"], "direction") {
                guard let parsed = MessageMatcher.Direction(rawValue: text) else { throw FlowValueError("`direction` is sent or received, found `\(text)`") }
                direction = parsed
            }
            return .message(
                MessageMatcher(
                    url: try urlPattern(try required(object, "url", "message"), "url"), direction: direction,
                    event: try optionalString(object["event"], "event"), contains: try optionalString(object["contains"], "contains"),
                    matches: try optionalString(object["matches"], "matches").map { r throws(FlowValueError) in try regularExpression(r, "matches") }),
                count: try optionalInt(members["count"], "count"))
        default:
            throw FlowValueError("the `\(kind)` condition is in the grammar but the loader cannot read it")
        }
    }

    /// A URL glob or `/regex/`, compiled now so a broken one fails here and not mid-run; text with a
    /// `${…}` reference is only known at run time.
    private func urlPattern(_ json: JSON, _ key: String) throws(FlowValueError) -> String {
        let text = try string(json, key)
        guard !text.contains("${") else { return text }
        do {
            _ = try URLPattern(text)
        } catch _ {
            throw FlowValueError("`\(key)` \(text) is not a valid URL pattern: \(Self.regexHint)")
        }
        return text
    }

    private func regularExpression(_ text: String, _ key: String) throws(FlowValueError) -> String {
        guard !text.contains("${") else { return text }
        do {
            _ = try NSRegularExpression(pattern: text)
        } catch _ {
            throw FlowValueError("`\(key)` /\(text)/ is not a valid regular expression: \(Self.regexHint)")
        }
        return text
    }

    /// Foundation's own text says only `The operation couldn't be completed. (NSCocoaErrorDomain error 2048.)`.
    private static let regexHint = "check the brackets, parentheses and escapes"

    func decodeResponseMatcher(_ json: JSON) throws(FlowValueError) -> ResponseMatcher {
        if json.stringValue != nil { return ResponseMatcher(url: try urlPattern(json, "response")) }
        guard let object = json.objectValue else { throw FlowValueError("`response` takes {method?, url, status?}") }
        try rejectUnknown(object, ["method", "url", "status"], in: "response")
        return ResponseMatcher(
            method: try optionalString(object["method"], "method")?.uppercased(), url: try urlPattern(try required(object, "url", "response"), "url"),
            status: try optionalInt(object["status"], "status"))
    }

    func decodeSource(_ json: JSON) throws(FlowValueError) -> Source {
        guard let members = json.objectValue else { throw FlowValueError("`from` is an object with one of response, element, url") }
        if let response = members["response"] {
            try rejectUnknown(members, ["response", "path"], in: "from")
            return .response(try decodeResponseMatcher(response), path: try string(try required(members, "path", "from"), "path"))
        }
        if let element = members["element"] {
            try rejectUnknown(members, ["element", "attribute"], in: "from")
            return .element(try decodeLocator(element), attribute: try optionalString(members["attribute"], "attribute"))
        }
        if let url = members["url"] {
            try rejectUnknown(members, ["url"], in: "from")
            if let regex = url["regex"]?.stringValue { return .urlRegex(try regularExpression(regex, "from.url.regex")) }
            if let segment = url["segment"]?.intValue { return .urlSegment(segment) }
            throw FlowValueError("`from.url` takes {regex} or {segment}")
        }
        throw FlowValueError("`from` needs one of response, element, url")
    }

    func decodeWhen(_ json: JSON) throws(FlowValueError) -> WhenCondition {
        guard let object = json.objectValue else { throw FlowValueError("`when` takes {var, in} or {var, equals}") }
        try rejectUnknown(object, ["var", "in", "equals"], in: "when")
        let variable = try string(try required(object, "var", "when"), "var")
        if let list = object["in"] {
            guard let items = list.arrayValue else { throw FlowValueError("`when.in` is an array") }
            var allowed: [String] = []
            for item in items { allowed.append(try scalarText(item, "when.in")) }
            return WhenCondition(variable: variable, allowed: allowed)
        }
        if let equals = object["equals"] { return WhenCondition(variable: variable, allowed: [try scalarText(equals, "when.equals")]) }
        throw FlowValueError("`when` needs `in` or `equals`")
    }

    // MARK: Scalars

    private func required(_ members: [String: JSON], _ key: String, _ context: String) throws(FlowValueError) -> JSON {
        guard let value = members[key] else { throw FlowValueError("`\(context)` needs `\(key)`") }
        return value
    }

    func rejectUnknown(_ members: [String: JSON], _ allowed: Set<String>, in context: String) throws(FlowValueError) {
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw FlowValueError("unknown key `\(unknown)` in \(context) (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ json: JSON, _ key: String) throws(FlowValueError) -> String {
        guard let text = json.stringValue else { throw FlowValueError("`\(key)` must be a string, found \(json.typeName)") }
        return text
    }

    func optionalString(_ json: JSON?, _ key: String) throws(FlowValueError) -> String? {
        guard let json else { return nil }
        return try string(json, key)
    }

    /// Strings, numbers and booleans as text: `"value": 2000` means "2000".
    func scalarText(_ json: JSON, _ key: String) throws(FlowValueError) -> String {
        switch json {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: throw FlowValueError("`\(key)` must be a string, found \(json.typeName)")
        }
    }

    func optionalInt(_ json: JSON?, _ key: String) throws(FlowValueError) -> Int? {
        guard let json else { return nil }
        guard let number = json.intValue else { throw FlowValueError("`\(key)` must be an integer, found \(json.typeName)") }
        return number
    }

    func optionalBool(_ json: JSON?, _ key: String) throws(FlowValueError) -> Bool? {
        guard let json else { return nil }
        guard let flag = json.boolValue else { throw FlowValueError("`\(key)` must be true or false, found \(json.typeName)") }
        return flag
    }

    func stringList(_ json: JSON?, _ key: String) throws(FlowValueError) -> [String] {
        guard let json else { return [] }
        guard let items = json.arrayValue else { throw FlowValueError("`\(key)` must be an array of strings") }
        var list: [String] = []
        for item in items { list.append(try string(item, key)) }
        return list
    }
}
