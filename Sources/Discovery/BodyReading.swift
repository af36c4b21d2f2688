import JSONCore
import Recording

/// What kind of body a content type announces.
enum BodyFormat {
    case json, form, multipart, eventStream, ndjson, text, binary, none

    init(mimeType: String?) {
        guard let mime = bareMediaType(mimeType) else {
            self = .none
            return
        }
        if mime == "text/event-stream" {
            self = .eventStream
        } else if mime.hasSuffix("ndjson") || mime == "application/jsonl" || mime == "application/x-jsonlines" {
            self = .ndjson
        } else if mime == "application/json" || mime.hasSuffix("+json") || mime == "text/json" {
            self = .json
        } else if mime == "application/x-www-form-urlencoded" {
            self = .form
        } else if mime.hasPrefix("multipart/") {
            self = .multipart
        } else if mime.hasPrefix("text/") || mime.hasSuffix("xml") || mime == "application/javascript" {
            self = .text
        } else {
            self = .binary
        }
    }
}

extension BodyFormat {
    /// What a body really is: most SPAs `fetch` with a string body, which the browser labels
    /// `text/plain;charset=UTF-8` whatever it holds, and some send no type at all. JSON that parses is
    /// JSON, `a=1&b=2` is a form, whatever the label; a declared JSON, form or multipart type is kept.
    static func sniffed(declared: String?, text: String?, hasMultipartParts: Bool = false) -> BodyFormat {
        if hasMultipartParts { return .multipart }
        let format = BodyFormat(mimeType: declared)
        switch format {
        case .json, .form, .multipart, .eventStream, .ndjson: return format
        case .text, .none, .binary: break
        }
        // Media that are binary by nature are not sniffed; an odd label (`json`, `application/x-www-form`) is.
        if format == .binary, let mime = bareMediaType(declared),
            ["image/", "audio/", "video/", "font/", "application/pdf", "application/zip", "application/gzip"].contains(where: mime.hasPrefix)
        {
            return format
        }
        guard let text, !text.isEmpty, text.utf8.count <= 4 << 20 else { return format }
        if looksLikeJSONDocument(text), (try? JSON.parse(text)) != nil { return .json }
        if looksLikeForm(text) { return .form }
        return format
    }

    /// An object or an array: a bare string or number in a text body is text.
    private static func looksLikeJSONDocument(_ text: String) -> Bool {
        let first = text.utf8.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        return first == 0x7B || first == 0x5B
    }

    /// `name=value&name2=value2`: names of URL-safe characters, at least one `=`, no spaces or newlines.
    private static func looksLikeForm(_ text: String) -> Bool {
        var sawEquals = false
        for pair in text.utf8.split(separator: 0x26, omittingEmptySubsequences: false) {
            guard let equals = pair.firstIndex(of: 0x3D), equals > pair.startIndex else { return false }
            sawEquals = true
            let name = pair[..<equals]
            guard name.allSatisfy({ isLetter($0) || isDigit($0) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E || $0 == 0x25 || $0 == 0x5B || $0 == 0x5D })
            else { return false }
            guard !pair.contains(where: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return false }
        }
        return sawEquals
    }
}

/// The bare media type: `application/json` from `application/json; charset=utf-8`. Most types
/// arrive bare and lowercase already and are returned as they are.
func bareMediaType(_ mime: String?) -> String? {
    guard let mime else { return nil }
    if !mime.utf8.contains(where: { $0 == 0x3B || $0 == 0x20 || ($0 >= 0x41 && $0 <= 0x5A) }) { return mime }
    return mime.split(separator: ";").first.map { trimmedSpaces($0).lowercased() }
}

/// A header's first value; names compare ASCII case-insensitively (`lowercaseName` is lowercase).
func headerValue(_ headers: [Header], _ lowercaseName: String) -> String? {
    let wanted = lowercaseName.utf8
    for header in headers where header.name.utf8.count == wanted.count {
        if zip(header.name.utf8, wanted).allSatisfy({ ($0 | 0x20) == $1 || $0 == $1 }) { return header.value }
    }
    return nil
}

/// Foundation-free trimming of spaces and tabs (the hot path avoids NSString bridging).
func trimmedSpaces<S: StringProtocol>(_ text: S) -> String {
    var view = Substring(text)
    while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
    while let last = view.last, last == " " || last == "\t" { view.removeLast() }
    return String(view)
}

/// Parses JSON bodies once per distinct text: polling returns the same bytes again and again.
struct ParseCache {
    private var entries: [String: JSON?] = [:]
    private let limit: Int
    /// Distinct JSON bodies refused for nesting past `JSON.maximumNestingDepth`: kept raw in the capture,
    /// left undescribed, and counted in a note rather than failing the run.
    private(set) var tooDeep: Set<String> = []

    init(limit: Int = 4096) { self.limit = limit }

    mutating func json(_ text: String) -> JSON? {
        if let hit = entries[text] { return hit }
        let parsed: JSON?
        do {
            parsed = try JSON.parse(text)
        } catch {
            parsed = nil
            if error.isNestingTooDeep, tooDeep.count < 10_000 { tooDeep.insert(text) }
        }
        if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
        if text.utf8.count <= 64 * 1024 { entries[text] = .some(parsed) }
        return parsed
    }

    /// Another thread's refusals, for the note (which counts at most as many as one cache keeps).
    mutating func absorbTooDeep(_ other: ParseCache) {
        for text in other.tooDeep where tooDeep.count < 10_000 { tooDeep.insert(text) }
    }
}

extension Body {
    /// The body as text when it was recorded as text.
    var textValue: String? { encoding == .text ? text : nil }
}

/// Values that must not reach an output file even if the capture kept them.
enum ExampleRedaction {
    static func isSecretKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        return ["password", "passwd", "secret", "token", "authorization", "api_key", "apikey", "api-key", "cookie", "session"].contains { lower.contains($0) }
    }

    /// A trimmed, redacted copy: arrays cut to three items, long strings shortened, secrets replaced.
    static func example(_ value: JSON, depth: Int = 0) -> JSON {
        switch value {
        case .array(let items):
            if depth > 8 { return [] }
            return .array(items.prefix(3).map { example($0, depth: depth + 1) })
        case .object(let members):
            if depth > 8 { return [:] }
            var result: [String: JSON] = [:]
            for (key, member) in members {
                if isSecretKey(key), case .string(let text) = member, !text.isEmpty {
                    result[key] = "<redacted>"
                } else {
                    result[key] = example(member, depth: depth + 1)
                }
            }
            return .object(result)
        case .string(let text) where text.utf8.count > 300:
            return .string(String(text.prefix(200)) + "…")
        default:
            return value
        }
    }
}
