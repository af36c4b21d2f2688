import HTTPServer

/// The names a request may address the replica by: DNS rebinding (a page whose own name now resolves
/// to 127.0.0.1) shows up as a foreign `Host`; a cross-site form or fetch shows up as a foreign `Origin`.
struct HostAllowList: Sendable {
    let names: Set<String>

    init(boundHost: String, extra: [String]) {
        let bound = boundHost.contains(":") && !boundHost.hasPrefix("[") ? "[\(boundHost)]" : boundHost
        names = Set((["localhost", "127.0.0.1", "[::1]", bound] + extra).compactMap(Self.normalized))
    }

    func allows(_ name: String) -> Bool { Self.normalized(name).map(names.contains) ?? false }

    /// 403 for a foreign `Host` or `Origin`; nil when both (where present) name the replica. A request
    /// without `Host` comes from no browser, so it cannot be a rebinding and passes.
    func refusal(of request: HTTPRequest) -> HTTPResponse? {
        if let host = request.headers["Host"], !allows(Self.hostPart(host)) {
            return .text("Forbidden: '\(Self.printable(host))' is not a name of this replica\n", status: 403)
        }
        if let origin = request.headers["Origin"], !allows(Self.hostPart(Self.authority(ofOrigin: origin))) {
            return .text("Forbidden: requests from origin '\(Self.printable(origin))' are not accepted\n", status: 403)
        }
        return nil
    }

    /// The name without port: `[::1]:8675` -> `[::1]`, `localhost:8675` -> `localhost`.
    static func hostPart(_ authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") { return String(authority[...close]) }
        return String(authority.prefix { $0 != ":" })
    }

    /// `http://name:port` -> `name:port`; `null` (and anything without a scheme) -> empty, which no list allows.
    static func authority(ofOrigin origin: String) -> String {
        guard let schemeEnd = origin.range(of: "://") else { return "" }
        return String(origin[schemeEnd.upperBound...].prefix { $0 != "/" })
    }

    /// Lowercased, a trailing root dot dropped; nil for an empty name.
    static func normalized(_ name: String) -> String? {
        var name = name.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name.isEmpty ? nil : name
    }

    private static func printable(_ text: String) -> String {
        String(text.prefix(200).map { $0.isASCII && !$0.isNewline ? $0 : "?" })
    }
}
