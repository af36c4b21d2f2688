import Foundation
import JSONCore
import Wire

/// Turns what a user may give for an attach into the browser's WebSocket URL.
public enum DevToolsEndpoint {
    /// Accepts `ws://host:port/devtools/browser/<id>` as is, `http://host:port` (asks `/json/version`
    /// over our own HTTP client), or a `DevToolsActivePort` file (or the profile folder holding it).
    public static func resolve(_ endpoint: String, timeout: Duration = .seconds(10)) async throws -> String {
        if endpoint.hasPrefix("ws://") || endpoint.hasPrefix("wss://") { return endpoint }
        if endpoint.hasPrefix("http://") {
            var base = endpoint
            while base.hasSuffix("/") { base.removeLast() }
            if base.hasSuffix("/json/version") { base.removeLast("/json/version".count) }
            let response = try await HTTPClient.get(url: base + "/json/version", timeout: timeout)
            guard response.status == 200 else {
                throw DevToolsError.invalidMessage("\(base)/json/version answered \(response.status): \(response.text.prefix(200))")
            }
            // Another server on the port answers with HTML or text: say what came back, not a JSON error.
            guard let version = try? JSON.parse(response.text) else {
                let type = response.head.headers["Content-Type"] ?? "no content type"
                throw DevToolsError.invalidMessage(
                    "\(base)/json/version is not a DevTools endpoint: it answered \(response.status) with \(type), not JSON: \(response.text.prefix(120))")
            }
            guard let url = version["webSocketDebuggerUrl"]?.stringValue else {
                throw DevToolsError.invalidMessage("\(base)/json/version has no webSocketDebuggerUrl: \(response.text.prefix(200))")
            }
            return url
        }
        if endpoint.hasPrefix("https://") {
            throw DevToolsError.invalidMessage("\(endpoint): https is not supported; give an http:// or ws:// endpoint")
        }
        return try fromActivePortFile(endpoint)
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
