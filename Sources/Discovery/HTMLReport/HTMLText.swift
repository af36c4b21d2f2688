import Foundation

/// The page is built as one string; every piece of data goes through `escape`, so a body, a path or a
/// step name can never become markup, and nothing in the page can ask for a URL it was not given.
struct HTMLText {
    private(set) var text = ""

    init() { text.reserveCapacity(256 << 10) }

    /// Markup written by this module.
    mutating func raw(_ markup: String) { text += markup }

    /// Data: escaped for text and for double-quoted attribute values alike.
    mutating func add(_ value: String) { HTMLText.escape(value, into: &text) }

    static func escape(_ value: String) -> String {
        var out = ""
        escape(value, into: &out)
        return out
    }

    static func escape(_ value: String, into out: inout String) {
        // The common case has nothing to escape: copy it whole.
        if !value.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) {
            out += value
            return
        }
        for character in value.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
    }

    /// A fraction of a span as a CSS percentage, two decimals: the same input gives the same bytes.
    static func percent(_ value: Double) -> String {
        String(format: "%.2f%%", min(max(value, 0), 100))
    }

    /// `120 ms`, `4.2 s`, `<1 ms`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 0.0005 { return "<1 ms" }
        return seconds < 1 ? String(format: "%.0f ms", seconds * 1000) : String(format: "%.1f s", seconds)
    }

    /// An id attribute from any text: letters and digits kept, the rest `-`.
    static func anchor(_ prefix: String, _ text: String) -> String {
        var out = prefix
        for scalar in text.unicodeScalars {
            out.unicodeScalars.append(CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII ? scalar : "-")
        }
        return out
    }
}
