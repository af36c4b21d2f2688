import Foundation
import JSONCore
import Recording

/// A URL pattern from a flow file: a `/regex/` (with optional flags), or the project's one `URLGlob`.
struct URLPattern: Sendable, CustomStringConvertible {
    let description: String
    private let regex: NSRegularExpression?
    private let glob: URLGlob?

    init(_ pattern: String) throws {
        description = pattern
        if pattern.count > 2, pattern.hasPrefix("/"), let close = pattern.lastIndex(of: "/"), close != pattern.startIndex,
            pattern[pattern.index(after: close)...].allSatisfy({ "imsx".contains($0) }), pattern.contains(where: { "\\^$()|+[".contains($0) })
        {
            let body = String(pattern[pattern.index(after: pattern.startIndex)..<close])
            var options: NSRegularExpression.Options = []
            if pattern[close...].contains("i") { options.insert(.caseInsensitive) }
            regex = try NSRegularExpression(pattern: body, options: options)
            glob = nil
            return
        }
        regex = nil
        glob = URLGlob(pattern)
    }

    func matches(_ url: String) -> Bool {
        if let glob { return glob.matches(url) }
        guard let regex else { return false }
        return regex.firstMatch(in: url, range: NSRange(url.startIndex..., in: url)) != nil
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
