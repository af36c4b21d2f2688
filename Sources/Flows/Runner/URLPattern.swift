import Foundation
import JSONCore

/// A URL pattern from a flow file: a `/regex/` (with optional flags), or a glob where `**` matches
/// anything, `*` anything but `/`, `?` one character. A glob starting with `/` matches the path (with or
/// without the query); others match the whole URL.
struct URLPattern: Sendable, CustomStringConvertible {
    let description: String
    private let regex: NSRegularExpression
    private let pathOnly: Bool

    init(_ pattern: String) throws {
        description = pattern
        if pattern.count > 2, pattern.hasPrefix("/"), let close = pattern.lastIndex(of: "/"), close != pattern.startIndex,
            pattern[pattern.index(after: close)...].allSatisfy({ "imsx".contains($0) }), pattern.contains(where: { "\\^$()|+[".contains($0) })
        {
            let body = String(pattern[pattern.index(after: pattern.startIndex)..<close])
            var options: NSRegularExpression.Options = []
            if pattern[close...].contains("i") { options.insert(.caseInsensitive) }
            regex = try NSRegularExpression(pattern: body, options: options)
            pathOnly = false
            return
        }
        var expression = "^"
        var characters = Array(pattern)[...]
        while let character = characters.popFirst() {
            switch character {
            case "*":
                if characters.first == "*" {
                    characters.removeFirst()
                    expression += ".*"
                } else {
                    expression += "[^/]*"
                }
            case "?": expression += "."
            default: expression += NSRegularExpression.escapedPattern(for: String(character))
            }
        }
        expression += "$"
        regex = try NSRegularExpression(pattern: expression)
        pathOnly = pattern.hasPrefix("/")
    }

    func matches(_ url: String) -> Bool {
        if pathOnly, let components = URLComponents(string: url) {
            let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
            if test(path) { return true }
            if let query = components.percentEncodedQuery, test("\(path)?\(query)") { return true }
            return false
        }
        return test(url)
    }

    private func test(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

/// `$.a.b[0]["c d"]`: the small JSONPath subset flows need.
enum JSONPath {
    static func value(at path: String, in json: JSON) throws -> JSON? {
        var current: JSON? = json
        var rest = Substring(path)
        guard rest.first == "$" else { throw EngineError(message: "a JSON path starts with `$`: `\(path)`") }
        rest = rest.dropFirst()
        while let first = rest.first {
            if first == "." {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                rest = rest.dropFirst(name.count)
                current = current?[String(name)]
            } else if first == "[" {
                guard let close = rest.firstIndex(of: "]") else { throw EngineError(message: "unclosed `[` in JSON path `\(path)`") }
                let inside = rest[rest.index(after: rest.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                rest = rest[rest.index(after: close)...]
                if let index = Int(inside) {
                    if case .array(let items) = current {
                        let resolved = index < 0 ? items.count + index : index
                        current = items.indices.contains(resolved) ? items[resolved] : nil
                    } else {
                        current = nil
                    }
                } else {
                    current = current?[inside.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))]
                }
            } else {
                throw EngineError(message: "unexpected `\(first)` in JSON path `\(path)`")
            }
        }
        return current
    }
}

extension JSON {
    /// Strings as they are; other values as JSON text.
    var plainText: String {
        switch self {
        case .string(let text): return text
        case .null: return ""
        default: return serialized()
        }
    }
}
