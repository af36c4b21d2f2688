import Foundation

/// Parses the shorthand strings people write for locators: `text=Create`, `role=button[name="Create Job"]`,
/// `css=.card`, `xpath=//a`, `label=Name`, `placeholder=...`, `testId=...`, `alt=...`, `title=...`;
/// a bare string is CSS, one starting with `//` is XPath. Parts joined by ` >> ` scope each other, and
/// `nth=N` picks from what the parts before it found. A quoted value matches exactly.
enum LocatorShorthand {
    static func parse(_ text: String) throws(FlowValueError) -> Locator {
        let parts = splitChain(text)
        if parts.count > Locator.maximumNesting {
            throw FlowValueError("locator `\(text.prefix(80))…` chains \(parts.count) parts with ` >> `; at most \(Locator.maximumNesting)")
        }
        var current: LocatorQuery?
        for part in parts {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("nth=") {
                guard var picked = current, let index = Int(trimmed.dropFirst(4)) else {
                    throw FlowValueError("`\(trimmed)` in locator `\(text)` must follow a locator and be an integer")
                }
                picked.nth = index
                current = picked
                continue
            }
            if trimmed == "first" || trimmed == "first=true", var picked = current {
                picked.first = true
                current = picked
                continue
            }
            var query = try parsePart(trimmed, whole: text)
            if let outer = current { query.within = .single(outer) }
            current = query
        }
        guard let current else { throw FlowValueError("empty locator") }
        return .single(current)
    }

    private static func parsePart(_ part: String, whole: String) throws(FlowValueError) -> LocatorQuery {
        if part.isEmpty { throw FlowValueError("empty part in locator `\(whole)`") }
        if part.hasPrefix("//") || part.hasPrefix("(//") || part.hasPrefix("..") {
            return LocatorQuery(.xpath(part))
        }
        guard let equals = part.firstIndex(of: "="),
            let engine = Engine(rawValue: String(part[..<equals]))
        else { return LocatorQuery(.css(part)) }
        let body = String(part[part.index(after: equals)...])
        let (value, quoted) = unquote(body)
        if value.isEmpty && engine != .role { throw FlowValueError("`\(engine.rawValue)=` needs a value in locator `\(whole)`") }
        switch engine {
        case .css: return LocatorQuery(.css(value))
        case .xpath: return LocatorQuery(.xpath(value))
        case .text: return LocatorQuery(.text(value), exact: quoted)
        case .label: return LocatorQuery(.label(value), exact: quoted)
        case .placeholder: return LocatorQuery(.placeholder(value), exact: quoted)
        case .testId: return LocatorQuery(.testId(value), exact: true)
        case .alt: return LocatorQuery(.alt(value), exact: quoted)
        case .title: return LocatorQuery(.title(value), exact: quoted)
        case .role: return try parseRole(body, whole: whole)
        }
    }

    private enum Engine: String {
        case css, xpath, text, role, label, placeholder, testId, alt, title
    }

    /// `button`, `button[name="Create Job"]`, `button[name='x' s]` / `[exact]` for an exact name, and ARIA
    /// filters: `heading[level=2]`, `checkbox[checked]`, `[checked=false]`, `[disabled]`, `[expanded]`,
    /// `[selected]`, `[pressed]`.
    private static func parseRole(_ body: String, whole: String) throws(FlowValueError) -> LocatorQuery {
        guard let bracket = body.firstIndex(of: "[") else {
            guard isRoleName(body) else { throw FlowValueError("`\(body)` is not a role in locator `\(whole)`") }
            return LocatorQuery(.role(body, name: nil))
        }
        let role = String(body[..<bracket])
        guard isRoleName(role) else { throw FlowValueError("`\(role)` is not a role in locator `\(whole)`") }
        var name: String?
        var exact = false
        var filters = RoleFilters()
        var rest = Substring(body[bracket...])
        while let open = rest.first, open == "[" {
            guard let close = closingBracket(in: rest) else {
                throw FlowValueError("unclosed `[` in locator `\(whole)`")
            }
            let attribute = rest[rest.index(after: rest.startIndex)..<close].trimmingCharacters(in: .whitespaces)
            rest = rest[rest.index(after: close)...]
            let key = String(attribute.prefix { $0 != "=" })
            let value = attribute.contains("=") ? String(attribute.drop { $0 != "=" }.dropFirst()).trimmingCharacters(in: .whitespaces) : nil
            switch key {
            case "exact":
                guard value == nil || value == "true" else { throw FlowValueError("`[\(attribute)]` in locator `\(whole)`: write [exact]") }
                exact = true
            case "name":
                guard var text = value else { throw FlowValueError("`[name]` needs a value in locator `\(whole)`: [name=\"...\"]") }
                for flag in [" s", " i"] where text.hasSuffix(flag) {
                    text.removeLast(2)
                    if flag == " s" { exact = true }
                }
                name = unquote(text.trimmingCharacters(in: .whitespaces)).0
            case "level":
                guard let text = value, let level = Int(unquote(text).0), level >= 1 else {
                    throw FlowValueError("`[\(attribute)]` in locator `\(whole)`: the level is a number from 1, as in [level=2]")
                }
                filters.level = level
            case "checked", "disabled", "expanded", "selected", "pressed":
                let flag: Bool
                switch value.map({ unquote($0).0 }) {
                case nil, "true": flag = true
                case "false": flag = false
                default: throw FlowValueError("`[\(attribute)]` in locator `\(whole)`: write [\(key)] or [\(key)=false]")
                }
                filters.setFlag(key, flag)
            default:
                throw FlowValueError(
                    "unknown role attribute `[\(attribute)]` in locator `\(whole)` (use [name=\"...\"], [exact], [level=N], [checked], [disabled], [expanded], [selected], [pressed], or one of these =false)")
            }
        }
        if !rest.trimmingCharacters(in: .whitespaces).isEmpty {
            throw FlowValueError("unexpected `\(rest)` in locator `\(whole)`")
        }
        return LocatorQuery(.role(role, name: name), exact: exact, roleFilters: filters)
    }

    private static func isRoleName(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isLetter || $0 == "-" }
    }

    /// The `]` that closes the `[` at the start, skipping brackets inside quotes.
    private static func closingBracket(in text: Substring) -> String.Index? {
        var quote: Character?
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == "\\" { index = text.index(after: index) } else if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "]" {
                return index
            }
            if index < text.endIndex { index = text.index(after: index) }
        }
        return nil
    }

    private static func unquote(_ value: String) -> (String, quoted: Bool) {
        guard value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first else {
            return (value, false)
        }
        var result = ""
        var escaping = false
        for character in value.dropFirst().dropLast() {
            if escaping {
                result.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return (result, true)
    }

    /// Splits on ` >> ` outside quotes and brackets.
    static func splitChain(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        var depth = 0
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "[" || character == "(" {
                depth += 1
            } else if character == "]" || character == ")" {
                depth -= 1
            } else if depth == 0, character == ">", index + 1 < characters.count, characters[index + 1] == ">" {
                parts.append(current)
                current = ""
                index += 2
                continue
            }
            current.append(character)
            index += 1
        }
        parts.append(current)
        return parts
    }
}
