import Foundation
import JSONCore
import Wire

/// What a handler answers: a whole body, a stream it writes over time, or a WebSocket upgrade.
public struct HTTPResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// Sent with chunked transfer coding; the stream ends when the closure returns or throws.
        case stream(@Sendable (HTTPStreamWriter) async throws -> Void)
        /// Answered with 101 when the request is a valid upgrade (else 400/426); the closure owns the
        /// connection until it returns, then the server closes it.
        case webSocket(@Sendable (ServerWebSocket) async -> Void)
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body

    public init(status: Int = 200, headers: HTTPHeaders = .init(), body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int = 200, headers: HTTPHeaders = .init(), bytes: [UInt8]) {
        self.init(status: status, headers: headers, body: .bytes(bytes))
    }

    public static func json(_ value: JSON, status: Int = 200) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: headers, bytes: Array(value.serialized().utf8))
    }

    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", contentType)
        return HTTPResponse(status: status, headers: headers, bytes: Array(text.utf8))
    }

    public static func html(_ html: String, status: Int = 200) -> HTTPResponse {
        text(html, status: status, contentType: "text/html; charset=utf-8")
    }

    public static func redirect(to location: String, status: Int = 307) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Location", location)
        return HTTPResponse(status: status, headers: headers)
    }

    public static func stream(
        status: Int = 200, contentType: String, headers extra: HTTPHeaders = .init(),
        _ produce: @escaping @Sendable (HTTPStreamWriter) async throws -> Void
    ) -> HTTPResponse {
        var headers = extra
        headers.set("Content-Type", contentType)
        return HTTPResponse(status: status, headers: headers, body: .stream(produce))
    }

    /// Extra `headers` (such as `Sec-WebSocket-Protocol`) go into the 101 answer.
    public static func webSocket(
        headers: HTTPHeaders = .init(), _ handler: @escaping @Sendable (ServerWebSocket) async -> Void
    ) -> HTTPResponse {
        HTTPResponse(status: 101, headers: headers, body: .webSocket(handler))
    }

    public static func status(_ status: Int) -> HTTPResponse {
        text(HTTPStatus.reason(status), status: status)
    }
}

enum HTTPStatus {
    static func reason(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 411: return "Length Required"
        case 413: return "Payload Too Large"
        case 414: return "URI Too Long"
        case 416: return "Range Not Satisfiable"
        case 426: return "Upgrade Required"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(status)"
        }
    }
}
