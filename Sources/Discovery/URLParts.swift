/// A request URL cut into the parts discovery groups by. The path stays percent-encoded as sent, so
/// `%2Fdata%2Fx` remains one segment. Works on UTF-8 bytes: it runs twice per exchange.
struct URLParts {
    /// `http://127.0.0.1:8675` (a WebSocket's `ws://` reads as `http://`: the same application).
    var origin: String
    var path: String
    /// Everything after `?`, undecoded (empty when none).
    var rawQuery: Substring

    init(_ url: String) {
        let (location, query) = URLParts.split(url)
        rawQuery = query
        let bytes = location.utf8
        var pathStart = bytes.startIndex
        if let colon = bytes.firstIndex(of: 0x3A), bytes[bytes.index(after: colon)...].starts(with: [0x2F, 0x2F]) {
            let hostStart = bytes.index(colon, offsetBy: 3)
            pathStart = bytes[hostStart...].firstIndex(of: 0x2F) ?? bytes.endIndex
        }
        origin = Self.withoutUserinfo(String(location[..<pathStart]))
        let rest = location[pathStart...]
        path = rest.isEmpty ? "/" : String(rest)
    }

    /// Origin and path (the route lookup key) and the raw query.
    static func split(_ url: String) -> (location: String, query: Substring) {
        let bytes = url.utf8
        let stop = bytes.firstIndex { $0 == 0x3F || $0 == 0x23 } ?? bytes.endIndex
        var query: Substring = ""
        if stop < bytes.endIndex, bytes[stop] == 0x3F {
            let queryStart = bytes.index(after: stop)
            let queryEnd = bytes[queryStart...].firstIndex(of: 0x23) ?? bytes.endIndex
            query = url[queryStart..<queryEnd]
        }
        var location = String(url[..<stop])
        if location.utf8.starts(with: "ws://".utf8) {
            location = "http://" + location.dropFirst(5)
        } else if location.utf8.starts(with: "wss://".utf8) {
            location = "https://" + location.dropFirst(6)
        }
        return (location, query)
    }

    /// `http://user:pass@host` is `http://host`: credentials in a URL name no other application.
    static func withoutUserinfo(_ origin: String) -> String {
        guard let at = origin.utf8.lastIndex(of: 0x40), let scheme = origin.range(of: "://") else { return origin }
        return String(origin[..<scheme.upperBound]) + String(origin[origin.index(after: at)...])
    }

    var query: [(name: String, value: String)] { URLParts.parseQuery(rawQuery) }

    static func parseQuery(_ text: Substring) -> [(name: String, value: String)] {
        guard !text.isEmpty else { return [] }
        var result: [(name: String, value: String)] = []
        for pair in text.utf8.split(separator: 0x26, omittingEmptySubsequences: true) {
            let pairText = Substring(pair)
            if let equals = pair.firstIndex(of: 0x3D) {
                let name = Substring(pair[..<equals])
                let value = Substring(pair[pair.index(after: equals)...])
                result.append((percentDecoded(String(name), plusIsSpace: true), percentDecoded(String(value), plusIsSpace: true)))
            } else {
                result.append((percentDecoded(String(pairText), plusIsSpace: true), ""))
            }
        }
        return result
    }

    static func segments(of path: String) -> [String] {
        path.utf8.split(separator: 0x2F, omittingEmptySubsequences: true).map { String(Substring($0)) }
    }
}
