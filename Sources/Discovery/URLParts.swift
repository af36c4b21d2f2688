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
        // Every exchange of both passes comes through here: the bytes are scanned in place, and a URL
        // without a query or fragment is its own location (no copy).
        let bytes = url.utf8
        let count = bytes.count
        let scanned = bytes.withContiguousStorageIfAvailable { buffer -> (stop: Int, queryEnd: Int) in
            guard let stop = buffer.firstIndex(where: { $0 == 0x3F || $0 == 0x23 }) else { return (count, count) }
            guard buffer[stop] == 0x3F else { return (stop, stop) }
            return (stop, buffer[(stop + 1)...].firstIndex(of: 0x23) ?? count)
        }
        guard let found = scanned else {
            var contiguous = url
            contiguous.makeContiguousUTF8()
            return split(contiguous)
        }
        let stop = bytes.index(bytes.startIndex, offsetBy: found.stop)
        var query: Substring = ""
        if found.queryEnd > found.stop {
            query = url[bytes.index(after: stop)..<bytes.index(bytes.startIndex, offsetBy: found.queryEnd)]
        }
        var location = found.stop == count ? url : String(url[..<stop])
        if bytes.starts(with: "ws://".utf8) {
            location = "http://" + location.dropFirst(5)
        } else if bytes.starts(with: "wss://".utf8) {
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
