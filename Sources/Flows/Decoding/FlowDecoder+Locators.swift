import Foundation
import JSONCore

/// Locators: a shorthand string, an object with one kind and its options, or a list of alternatives.
extension FlowDecoder {
    func locator(_ value: JSON, at pointer: String) -> Locator {
        let locator = locatorParts(value, at: pointer)
        // Measured once, at the outermost value: every enclosing locator of a too-deep one is too deep too.
        if locator.nesting > Locator.maximumNesting {
            error(pointer, "a locator nests \(locator.nesting) levels of scopes and alternatives; at most \(Locator.maximumNesting)")
        }
        return locator
    }

    private func locatorParts(_ value: JSON, at pointer: String) -> Locator {
        switch value {
        case .string(let text):
            references(inText: text, at: pointer)
            return shorthand(text, at: pointer)
        case .array(let alternatives):
            if alternatives.isEmpty { error(pointer, "a list of locator alternatives needs at least one") }
            var options: [Locator] = []
            for (index, alternative) in alternatives.enumerated() {
                let itemPointer = PositionedJSON.pointer(pointer, index)
                if case .array = alternative {
                    error(itemPointer, "locator alternatives do not nest; give each alternative as a string or an object")
                } else {
                    options.append(locatorParts(alternative, at: itemPointer))
                }
            }
            return options.count == 1 ? options[0] : .alternatives(options)
        case .object(let object): return .single(query(object, at: pointer))
        default:
            error(pointer, "expected a locator (a string such as \"text=Create\", an object, or a list of alternatives), found \(describe(value))")
            return StepFields.placeholderLocator
        }
    }

    private func query(_ object: [String: JSON], at pointer: String) -> LocatorQuery {
        let all = members(object, at: pointer)
        let kinds = all.filter { FlowGrammar.locatorKinds.contains($0.key) }
        if kinds.isEmpty {
            error(pointer, "a locator object needs one of: \(FlowGrammar.locatorKinds.joined(separator: ", "))")
        }
        for extra in kinds.dropFirst() {
            keyError(extra.pointer, "a locator has one kind; this one has '\(kinds[0].key)' and '\(extra.key)' (use \"within\" or \"has\" to combine)")
        }
        var query = LocatorQuery(.css("*"))
        var kindValue = ""
        var name: String?
        for member in all {
            switch member.key {
            case _ where FlowGrammar.locatorKinds.contains(member.key):
                let text = nonEmptyString(member.value, at: member.pointer)
                if member.key == kinds.first?.key { kindValue = text }
            case "name":
                if object["role"] == nil { keyError(member.pointer, "\"name\" goes with \"role\" (the accessible name of a role locator)") }
                name = expectString(member.value, at: member.pointer)
            case _ where FlowGrammar.roleFilterKeys.contains(member.key):
                if object["role"] == nil { keyError(member.pointer, "\"\(member.key)\" goes with \"role\" (an ARIA state a role locator requires)") }
                if member.key == "level" {
                    query.roleFilters.level = integer(member.value, at: member.pointer, minimum: 1)
                } else {
                    query.roleFilters.setFlag(member.key, boolean(member.value, at: member.pointer))
                }
            case "exact": query.exact = boolean(member.value, at: member.pointer)
            case "first": query.first = boolean(member.value, at: member.pointer)
            case "nth": query.nth = integer(member.value, at: member.pointer, minimum: Int.min)
            case "within": query.within = locatorParts(member.value, at: member.pointer)
            case "has": query.has = locatorParts(member.value, at: member.pointer)
            case "frame": query.frame = locatorParts(member.value, at: member.pointer)
            default:
                unknownKey(member.key, at: member.pointer, in: "a locator", allowed: FlowGrammar.locatorKinds + FlowGrammar.locatorOptions)
            }
        }
        let kind = kinds.first?.key ?? "css"
        // Test ids are exact unless the flow says otherwise.
        if object["exact"] == nil { query.exact = kind == "testId" }
        query.strategy = Self.strategy(kind, kindValue, name: name)
        return query
    }

    private static func strategy(_ kind: String, _ value: String, name: String?) -> LocatorStrategy {
        switch kind {
        case "xpath": .xpath(value)
        case "text": .text(value)
        case "role": .role(value, name: name)
        case "label": .label(value)
        case "placeholder": .placeholder(value)
        case "testId": .testId(value)
        case "alt": .alt(value)
        case "title": .title(value)
        default: .css(value)
        }
    }

    /// Shorthand strings as the runner reads them: parts joined by ` >> ` scope each other; `nth=N` and
    /// `first` pick from what the parts before found; `//...` is XPath; `kind=value`; anything else is CSS.
    /// The checks below word the common mistakes; `LocatorShorthand` then refuses what they let through.
    private func shorthand(_ text: String, at pointer: String) -> Locator {
        let before = errorCount
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            error(pointer, "the locator is empty")
            return StepFields.placeholderLocator
        }
        // Split as `LocatorShorthand` splits (outside quotes and brackets), so `name="A >> B"` is one part.
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
        guard errorCount == before else { return StepFields.placeholderLocator }
        do throws(FlowValueError) {
            return try LocatorShorthand.parse(text)
        } catch {
            self.error(pointer, error.message)
            return StepFields.placeholderLocator
        }
    }

    /// `role=ROLE` followed by `[name="..."]`, `[exact]`, `[level=N]` and `[checked]` / `[checked=false]` style filters.
    static let roleShorthand =
        #"^[A-Za-z-]+(\[(name=.*|exact|exact=true|level=[1-9][0-9]*|(checked|disabled|expanded|selected|pressed)(=(true|false))?)\])*$"#
}
