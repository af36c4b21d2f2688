import Foundation

/// The opening handshake of RFC 6455 section 4, for both sides.
public enum WebSocketHandshake {
    /// The GUID both sides append to the key before hashing (RFC 6455 section 1.3).
    public static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// A fresh `Sec-WebSocket-Key`: 16 random bytes, base64.
    public static func randomKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
    }

    /// The `Sec-WebSocket-Accept` value a server answers for `key`.
    public static func acceptValue(forKey key: String) -> String {
        SHA1.base64(Array((key.trimmingHTTPWhitespace() + acceptGUID).utf8))
    }

    /// The client's upgrade request. It carries no `Origin`: Chromium refuses a foreign origin with 403
    /// and accepts none.
    public static func clientRequest(host: String, target: String, key: String) -> HTTP1.RequestHead {
        HTTP1.RequestHead(method: "GET", target: target, headers: [
            "Host": host,
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": key,
            "Sec-WebSocket-Version": "13",
        ])
    }

    /// Checks a server's answer to `clientRequest`: 101, `Upgrade: websocket`, `Connection: Upgrade`, the
    /// accept value for `key`, and no extension or subprotocol (none was offered). `body` (what followed a
    /// refusal) is quoted in the error.
    public static func validate(response: HTTP1.ResponseHead, key: String, body: [UInt8] = []) throws(WebSocketError) {
        guard response.status == 101 else {
            let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw .handshakeFailed(
                "expected status 101 Switching Protocols, got \(response.status) \(response.reason)"
                    + (text.isEmpty ? "" : ": \(text)"))
        }
        guard response.headers.hasToken("websocket", in: "Upgrade") else {
            throw .handshakeFailed("the 101 response has Upgrade \(quoted(response.headers["Upgrade"])), expected websocket")
        }
        guard response.headers.hasToken("upgrade", in: "Connection") else {
            throw .handshakeFailed("the 101 response has Connection \(quoted(response.headers["Connection"])), expected Upgrade")
        }
        let expected = acceptValue(forKey: key)
        guard let accept = response.headers["Sec-WebSocket-Accept"], accept == expected else {
            throw .handshakeFailed(
                "Sec-WebSocket-Accept is \(quoted(response.headers["Sec-WebSocket-Accept"])), expected \"\(expected)\" for key \"\(key)\"")
        }
        if let extensions = response.headers["Sec-WebSocket-Extensions"] {
            throw .handshakeFailed("the server chose extensions \"\(extensions)\" that were not offered")
        }
        if let subprotocol = response.headers["Sec-WebSocket-Protocol"] {
            throw .handshakeFailed("the server chose subprotocol \"\(subprotocol)\" that was not offered")
        }
    }

    /// The server's 101 answer to a valid upgrade request, or an error naming what the request lacks.
    public static func serverResponse(to request: HTTP1.RequestHead) throws(WebSocketError) -> HTTP1.ResponseHead {
        guard request.method == "GET" else { throw .handshakeFailed("an upgrade request must be GET, not \(request.method)") }
        guard request.headers.hasToken("websocket", in: "Upgrade") else {
            throw .handshakeFailed("the request has Upgrade \(quoted(request.headers["Upgrade"])), expected websocket")
        }
        guard request.headers.hasToken("upgrade", in: "Connection") else {
            throw .handshakeFailed("the request has Connection \(quoted(request.headers["Connection"])), expected Upgrade")
        }
        guard request.headers["Sec-WebSocket-Version"]?.trimmingHTTPWhitespace() == "13" else {
            throw .handshakeFailed("the request has Sec-WebSocket-Version \(quoted(request.headers["Sec-WebSocket-Version"])), expected 13")
        }
        guard let key = request.headers["Sec-WebSocket-Key"], Data(base64Encoded: String(key.trimmingHTTPWhitespace()))?.count == 16 else {
            throw .handshakeFailed("the request has Sec-WebSocket-Key \(quoted(request.headers["Sec-WebSocket-Key"])), expected 16 bytes in base64")
        }
        return HTTP1.ResponseHead(status: 101, reason: "Switching Protocols", headers: [
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Accept": acceptValue(forKey: key),
        ])
    }

    private static func quoted(_ value: String?) -> String { value.map { "\"\($0)\"" } ?? "(missing)" }
}
