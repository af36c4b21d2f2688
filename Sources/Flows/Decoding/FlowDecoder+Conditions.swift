import Foundation
import JSONCore

/// Conditions (`waitFor`, `expect`) and sources (`save`'s `from`), with the request, message and JSON
/// matches inside them.
extension FlowDecoder {
    func condition(_ value: JSON, at pointer: String) -> Condition {
        let placeholder = Condition.expression("")
        guard let object = expectObject(value, at: pointer) else { return placeholder }
        let all = members(object, at: pointer)
        let kinds = all.filter { FlowGrammar.conditionKinds[$0.key] != nil }
        guard let kind = kinds.first else {
            let names = FlowGrammar.conditionKinds.keys.sorted()
            let strangers = all.filter { !FlowGrammar.conditionKinds.values.joined().contains($0.key) }
            for stranger in strangers {
                keyError(stranger.pointer, "unknown condition kind '\(stranger.key)'\(Suggestion.hint(for: stranger.key, among: names))")
            }
            if strangers.isEmpty { error(pointer, "a condition needs one of: \(names.joined(separator: ", "))") }
            return placeholder
        }
        for extra in kinds.dropFirst() {
            keyError(extra.pointer, "a condition has one kind; this one has '\(kind.key)' and '\(extra.key)' (use two steps)")
        }
        var condition: Condition
        switch kind.key {
        case "element": condition = .element(locator(kind.value, at: kind.pointer), state: .visible, count: nil)
        case "text": condition = .text(nonEmptyString(kind.value, at: kind.pointer), exact: false)
        case "url": condition = .url(urlPattern(kind.value, at: kind.pointer, key: "url"))
        case "expression": condition = .expression(nonEmptyString(kind.value, at: kind.pointer))
        case "response": condition = .response(responseMatch(kind.value, at: kind.pointer), count: nil, json: nil)
        default: condition = .message(messageMatch(kind.value, at: kind.pointer), count: nil)
        }
        let allowed = FlowGrammar.conditionKinds[kind.key] ?? []
        var state: String?
        var count: Int?
        var comparison: String?
        for member in all where member.key != kind.key && FlowGrammar.conditionKinds[member.key] == nil {
            guard allowed.contains(member.key) else {
                unknownKey(member.key, at: member.pointer, in: "\(article(kind.key)) \(kind.key) condition", allowed: allowed)
                continue
            }
            switch member.key {
            case "state": state = oneOf(member.value, at: member.pointer, FlowGrammar.elementStates)
            case "operator": comparison = oneOf(member.value, at: member.pointer, FlowGrammar.countOperators)
            case "count": count = integer(member.value, at: member.pointer, minimum: 0)
            case "exact":
                if case .text(let text, _) = condition { condition = .text(text, exact: boolean(member.value, at: member.pointer)) }
            case "json":
                if case .response(let match, let count, _) = condition { condition = .response(match, count: count, json: jsonCheck(member.value, at: member.pointer)) }
            default: break
            }
        }
        if object["operator"] != nil, object["count"] == nil {
            keyError(PositionedJSON.pointer(pointer, "operator"), "\"operator\" compares the \"count\", which is missing")
        }
        switch condition {
        case .element(let locator, _, _):
            // Counting includes hidden elements, so a count alone waits for attached ones.
            let defaultState: ElementState = count == nil ? .visible : .attached
            let elementCount = count.map { ElementCount($0, comparison.flatMap(ElementCount.Comparison.init(rawValue:)) ?? .equal) }
            return .element(locator, state: state.flatMap(ElementState.init(rawValue:)) ?? defaultState, count: elementCount)
        case .response(let match, _, let json): return .response(match, count: count, json: json)
        case .message(let match, _): return .message(match, count: count)
        default: return condition
        }
    }

    /// A URL glob or `/regex/`, compiled now so a broken one is refused here and not mid-run; text with a
    /// `${…}` reference is only known at run time.
    private func urlPattern(_ value: JSON, at pointer: String, key: String) -> String {
        let before = errorCount
        let text = nonEmptyString(value, at: pointer)
        guard errorCount == before, !text.contains("${") else { return text }
        if (try? URLPattern(text)) == nil {
            error(pointer, "`\(key)` \(text) is not a valid URL pattern: \(Self.regexHint)")
        }
        return text
    }

    /// Foundation's own text says only `The operation couldn't be completed. (NSCocoaErrorDomain error 2048.)`.
    private static let regexHint = "check the brackets, parentheses and escapes"

    /// A request's `{method?, url, status?}`, or just its URL pattern.
    private func responseMatch(_ value: JSON, at pointer: String) -> ResponseMatcher {
        if value.stringValue != nil { return ResponseMatcher(url: urlPattern(value, at: pointer, key: "response")) }
        let fields = match(value, at: pointer, keys: FlowGrammar.responseMatchKeys, what: "a response match")
        return ResponseMatcher(method: fields.texts["method"], url: fields.texts["url"] ?? "", status: fields.status)
    }

    private func messageMatch(_ value: JSON, at pointer: String) -> MessageMatcher {
        let fields = match(value, at: pointer, keys: FlowGrammar.messageMatchKeys, what: "a message match")
        return MessageMatcher(
            url: fields.texts["url"] ?? "", direction: fields.texts["direction"].flatMap(MessageMatcher.Direction.init(rawValue:)),
            event: fields.texts["event"], contains: fields.texts["contains"], matches: fields.texts["matches"])
    }

    private func match(_ value: JSON, at pointer: String, keys: [String], what: String) -> (texts: [String: String], status: Int?) {
        guard let object = expectObject(value, at: pointer) else { return ([:], nil) }
        var texts: [String: String] = [:]
        var status: Int?
        for member in members(object, at: pointer) {
            guard keys.contains(member.key) else {
                unknownKey(member.key, at: member.pointer, in: what, allowed: keys)
                continue
            }
            switch member.key {
            case "status": status = integer(member.value, at: member.pointer, minimum: 100)
            case "direction": texts["direction"] = oneOf(member.value, at: member.pointer, FlowGrammar.messageDirections)
            case "method":
                guard let method = expectString(member.value, at: member.pointer) else { break }
                if method != method.uppercased() { error(member.pointer, "HTTP methods are upper case: '\(method.uppercased())'") }
                texts["method"] = method
            case "matches":
                guard let pattern = expectString(member.value, at: member.pointer) else { break }
                regex(pattern, at: member.pointer)
                texts["matches"] = pattern
            case "url": texts["url"] = urlPattern(member.value, at: member.pointer, key: "url")
            default: texts[member.key] = nonEmptyString(member.value, at: member.pointer)
            }
        }
        if object["url"] == nil { error(pointer, "\(what) needs \"url\" (a glob such as \"**/api/jobs\")") }
        return (texts, status)
    }

    private func jsonCheck(_ value: JSON, at pointer: String) -> JSONExpectation? {
        guard let object = expectObject(value, at: pointer) else { return nil }
        for member in members(object, at: pointer) where !FlowGrammar.jsonCheckKeys.contains(member.key) {
            unknownKey(member.key, at: member.pointer, in: "a json check", allowed: FlowGrammar.jsonCheckKeys)
        }
        var path = ""
        if let value = object["path"] {
            path = jsonPath(value, at: PositionedJSON.pointer(pointer, "path"))
        } else {
            error(pointer, "a json check needs \"path\" (such as \"$.status\")")
        }
        if let equals = object["equals"] { references(in: equals, at: PositionedJSON.pointer(pointer, "equals")) }
        let exists = object["exists"].map { boolean($0, at: PositionedJSON.pointer(pointer, "exists")) }
        return JSONExpectation(path: path, equals: object["equals"], exists: exists)
    }

    private func jsonPath(_ value: JSON, at pointer: String) -> String {
        guard let path = expectString(value, at: pointer) else { return "" }
        if !path.hasPrefix("$") { error(pointer, "a JSON path starts with '$' (such as \"$.id\"), found '\(path)'") }
        return path
    }

    func source(_ value: JSON, at pointer: String) -> Source {
        let placeholder = Source.urlSegment(0)
        guard let object = expectObject(value, at: pointer) else { return placeholder }
        let all = members(object, at: pointer)
        let names = FlowGrammar.sourceKinds.keys.sorted()
        let kinds = all.filter { FlowGrammar.sourceKinds[$0.key] != nil }
        guard let kind = kinds.first else {
            error(pointer, "a source needs one of: \(names.joined(separator: ", "))")
            return placeholder
        }
        for extra in kinds.dropFirst() {
            keyError(extra.pointer, "a source has one kind; this one has '\(kind.key)' and '\(extra.key)'")
        }
        let allowed = FlowGrammar.sourceKinds[kind.key] ?? []
        var path = ""
        var attribute: String?
        for member in all where FlowGrammar.sourceKinds[member.key] == nil {
            guard allowed.contains(member.key) else {
                unknownKey(member.key, at: member.pointer, in: "\(article(kind.key)) \(kind.key) source", allowed: allowed)
                continue
            }
            if member.key == "path" { path = jsonPath(member.value, at: member.pointer) } else { attribute = nonEmptyString(member.value, at: member.pointer) }
        }
        switch kind.key {
        case "response":
            let match = responseMatch(kind.value, at: kind.pointer)
            if object["path"] == nil { keyError(kind.pointer, "a response source needs \"path\" (such as \"$.id\")") }
            return .response(match, path: path)
        case "element": return .element(locator(kind.value, at: kind.pointer), attribute: attribute)
        default: return urlPart(kind.value, at: kind.pointer) ?? placeholder
        }
    }

    private func urlPart(_ value: JSON, at pointer: String) -> Source? {
        guard let object = expectObject(value, at: pointer) else { return nil }
        let parts = members(object, at: pointer)
        var source: Source?
        for member in parts {
            switch member.key {
            case "regex":
                guard let pattern = expectString(member.value, at: member.pointer) else { break }
                regex(pattern, at: member.pointer)
                source = .urlRegex(pattern)
            case "segment": source = integer(member.value, at: member.pointer, minimum: Int.min).map(Source.urlSegment)
            default: unknownKey(member.key, at: member.pointer, in: "a url source", allowed: FlowGrammar.urlPartKeys)
            }
        }
        let known = parts.filter { FlowGrammar.urlPartKeys.contains($0.key) }
        if known.count != 1 { error(pointer, "a url source takes one of \"regex\" (first group) or \"segment\" (index, negative from the end)") }
        return source
    }

    private func regex(_ pattern: String, at pointer: String) {
        if (try? NSRegularExpression(pattern: pattern)) == nil { error(pointer, "invalid regular expression '\(pattern)'") }
    }

    private func oneOf(_ value: JSON, at pointer: String, _ allowed: [String]) -> String? {
        guard let text = expectString(value, at: pointer) else { return nil }
        if !allowed.contains(text) {
            error(pointer, "'\(text)' is not one of \(allowed.joined(separator: ", "))\(Suggestion.hint(for: text, among: allowed))")
        }
        return text
    }
}
