import Foundation
import JSONCore
import Wire

/// Turns what a user may give for an attach into the browser's WebSocket URL.
public enum DevToolsEndpoint {
    /// Accepts `ws://` and `wss://` URLs as they are, `http(s)://host:port[?query]` (asks `/json/version`
    /// over our own HTTP client, with `options`' headers and TLS checks), or a `DevToolsActivePort` file
    /// (or the profile folder holding it).
    public static func resolve(_ endpoint: String, options: ConnectOptions = ConnectOptions(), timeout: Duration = .seconds(10)) async throws -> String {
        if endpoint.hasPrefix("ws://") || endpoint.hasPrefix("wss://") { return endpoint }
        if endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") {
            return try await fromVersionEndpoint(endpoint, options: options, timeout: timeout)
        }
        return try fromActivePortFile(endpoint)
    }

    /// Asks `<endpoint>/json/version` for the browser's WebSocket URL. The query (a gateway's token) goes
    /// on that request too. The error texts name the endpoint without its query: it may hold a secret.
    private static func fromVersionEndpoint(_ endpoint: String, options: ConnectOptions, timeout: Duration) async throws -> String {
        let withoutFragment = endpoint.prefix { $0 != "#" }
        let query = withoutFragment.firstIndex(of: "?").map { String(withoutFragment[withoutFragment.index(after: $0)...]) }
        var base = String(withoutFragment.prefix { $0 != "?" })
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/json/version") { base.removeLast("/json/version".count) }
        let versionURL = base + "/json/version" + (query.map { "?" + $0 } ?? "")
        let response = try await HTTPClient.get(url: versionURL, headers: options.headers, tls: options.tls, timeout: timeout)
        guard response.status == 200 else {
            throw DevToolsError.invalidMessage("\(base)/json/version answered \(response.status): \(response.text.prefix(200))")
        }
        // Another server on the port answers with HTML or text: say what came back, not a JSON error.
        guard let version = try? JSON.parse(response.text) else {
            let type = response.head.headers["Content-Type"] ?? "no content type"
            throw DevToolsError.invalidMessage(
                "\(base)/json/version is not a DevTools endpoint: it answered \(response.status) with \(type), not JSON: \(response.text.prefix(120))")
        }
        guard let reported = version["webSocketDebuggerUrl"]?.stringValue else {
            throw DevToolsError.invalidMessage("\(base)/json/version has no webSocketDebuggerUrl: \(response.text.prefix(200))")
        }
        return try webSocketURL(reported: reported, base: base, query: query)
    }

    /// The WebSocket URL to dial for what `/json/version` reported. Chromium builds `webSocketDebuggerUrl`
    /// from the Host header it was sent and always says `ws://`, so behind a TLS terminator or a gateway
    /// only its path is the browser's own: the scheme follows the one given (`https` -> `wss`), the host,
    /// port and any path prefix are the ones given, and the given query (a gateway's token) is carried on.
    static func webSocketURL(reported: String, base: String, query: String?) throws -> String {
        guard let schemeEnd = reported.range(of: "://"), let baseSchemeEnd = base.range(of: "://") else {
            throw DevToolsError.invalidMessage("\(base)/json/version reported a webSocketDebuggerUrl that is not a URL: \(reported.prefix(200))")
        }
        let afterAuthority = reported[schemeEnd.upperBound...].drop { $0 != "/" && $0 != "?" }
        var target = String(afterAuthority.prefix { $0 != "#" })
        if let query, !query.isEmpty { target += (target.contains("?") ? "&" : "?") + query }
        let scheme = base[..<baseSchemeEnd.lowerBound] == "https" ? "wss" : "ws"
        return scheme + "://" + base[baseSchemeEnd.upperBound...] + target
    }

    /// Reads `DevToolsActivePort`: the port on line 1, the browser target path on line 2.
    public static func fromActivePortFile(_ path: String, host: String = "127.0.0.1") throws -> String {
        var isDirectory: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? path + "/DevToolsActivePort" : path
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw DevToolsError.invalidMessage("\(file): cannot read a DevToolsActivePort file (expected a ws:// or http:// endpoint or that file)")
        }
        let lines = text.split(whereSeparator: \.isNewline)
        guard lines.count >= 2, let port = UInt16(lines[0]), lines[1].hasPrefix("/") else {
            throw DevToolsError.invalidMessage("\(file): expected a port and a /devtools/browser/<id> path, found \(text.debugDescription)")
        }
        return "ws://\(host):\(port)\(lines[1])"
    }
}
