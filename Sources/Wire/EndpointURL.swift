/// The parts of an `http://` or `ws://` URL that a loopback client needs.
struct EndpointURL: Sendable, Equatable {
    var scheme: String
    var host: String
    var port: UInt16
    /// The path and query, at least `/`.
    var target: String

    /// `host` or `host:port` as the Host header wants it (IPv6 in brackets, default port left out).
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == Self.defaultPort(scheme) ? name : "\(name):\(port)"
    }

    /// `url` for error messages: a query may carry a gateway's token, so only its presence is shown.
    static func hidingQuery(_ url: String) -> String {
        guard let question = url.firstIndex(of: "?") else { return url }
        return url[..<question] + "?…"
    }

    static func defaultPort(_ scheme: String) -> UInt16 {
        switch scheme {
        case "https", "wss": 443
        default: 80
        }
    }

    struct Invalid: Error {
        let reason: String
    }

    /// Parses `scheme://host[:port][/path][?query]`; the error text says which part is wrong.
    static func parse(_ text: String) throws(Invalid) -> EndpointURL {
        guard let schemeEnd = text.range(of: "://") else { throw Invalid(reason: "\"\(text)\" has no scheme (expected scheme://host:port/path)") }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        var target = String(rest[authorityEnd...].prefix { $0 != "#" })
        if target.isEmpty || target.first == "?" { target = "/" + target }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }

        let host: Substring
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { throw Invalid(reason: "\"\(text)\" has an unclosed IPv6 bracket") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.first == ":" { portText = after.dropFirst() } else if !after.isEmpty { throw Invalid(reason: "\"\(text)\" has junk after the host") }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw Invalid(reason: "\"\(text)\" has no host") }
        var port = defaultPort(scheme)
        if let portText {
            guard let value = UInt16(portText), value > 0 else { throw Invalid(reason: "\"\(text)\" has an invalid port \"\(portText)\"") }
            port = value
        }
        return EndpointURL(scheme: scheme, host: String(host), port: port, target: target)
    }
}
