import Foundation
import JSONCore
import Wire

/// One parsed request as the server hands it to a handler.
public struct HTTPRequest: Sendable {
    public struct QueryItem: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public var method: String
    /// The request-target exactly as sent (`/api/jobs?id=1`).
    public var target: String
    public var version: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String, target: String, version: String = "HTTP/1.1", headers: HTTPHeaders = .init(), body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// The path part of the target, still percent-encoded (`/api/img/a%20b/c.png`).
    public var rawPath: String {
        var path = target
        if let mark = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<mark]) }
        // An absolute-form target (a proxy request) carries scheme and authority first.
        if path.hasPrefix("http://") || path.hasPrefix("https://") {
            let afterScheme = path[path.index(path.firstIndex(of: ":")!, offsetBy: 3)...]
            path = afterScheme.firstIndex(of: "/").map { String(afterScheme[$0...]) } ?? "/"
        }
        return path
    }

    /// The decoded path; a malformed escape leaves the raw text in place.
    public var path: String { rawPath.removingPercentEncoding ?? rawPath }

    /// The raw query string after `?`, without a fragment.
    public var rawQuery: String {
        guard let mark = target.firstIndex(of: "?") else { return "" }
        var query = target[target.index(after: mark)...]
        if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
        return String(query)
    }

    /// Query items decoded as `application/x-www-form-urlencoded` (`+` is a space).
    public var query: [QueryItem] {
        rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return QueryItem(name: Self.formDecode(parts[0]), value: parts.count > 1 ? Self.formDecode(parts[1]) : "")
        }
    }

    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON, or nil when it is not JSON.
    public var jsonBody: JSON? { try? JSON.parse(bytes: body) }

    public var isHead: Bool { method == "HEAD" }

    private static func formDecode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
