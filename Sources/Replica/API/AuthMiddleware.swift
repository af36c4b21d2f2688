import HTTPServer

/// `ui/src/middleware.ts`: `/api/*` needs the token unless the path is under a public prefix. Only the
/// head is looked at, so `RequestGate` runs it before any body is read.
struct AuthMiddleware: Sendable {
    let password: String?

    func check(_ request: HTTPRequest) -> HTTPResponse? {
        guard let password, !password.isEmpty else { return nil }
        let path = request.rawPath
        guard path.hasPrefix("/api/") else { return nil }
        if path.hasPrefix("/api/img/") || path.hasPrefix("/api/files/") { return nil }
        // The token is the second whitespace-separated word; the scheme itself is never checked.
        let words = (request.headers["Authorization"] ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" })
        if words.count >= 2, String(words[1]) == password { return nil }
        return .json(["error": "Unauthorized"], status: 401)
    }
}
