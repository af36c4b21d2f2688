/// A request URL cut into the parts discovery groups by. The path stays percent-encoded as sent, so
/// `%2Fdata%2Fx` remains one segment.
struct URLParts {
    var origin: String
    var path: String
    var query: [(name: String, value: String)]

    init(_ url: String) {
        var rest = Substring(url)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let scheme = rest.range(of: "://") {
            let afterScheme = rest[scheme.upperBound...]
            let pathStart = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
            // A WebSocket to the same host belongs to the same application.
            let written = rest[..<pathStart]
            if written.hasPrefix("ws://") {
                origin = "http://" + written.dropFirst(5)
            } else if written.hasPrefix("wss://") {
                origin = "https://" + written.dropFirst(6)
            } else {
                origin = String(written)
            }
            rest = rest[pathStart...]
        } else {
            origin = ""
        }
        var queryText: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            queryText = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        path = rest.isEmpty ? "/" : String(rest)
        query = URLParts.parseQuery(queryText)
    }

    static func parseQuery(_ text: Substring) -> [(name: String, value: String)] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (percentDecoded(String(pair[..<equals]), plusIsSpace: true), percentDecoded(String(pair[pair.index(after: equals)...]), plusIsSpace: true))
            }
            return (percentDecoded(String(pair), plusIsSpace: true), "")
        }
    }

    static func segments(of path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}
