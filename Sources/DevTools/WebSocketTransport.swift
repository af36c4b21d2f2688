import Wire

/// DevTools over a WebSocket (one CDP message per text frame), for a browser started elsewhere.
public final class WebSocketTransport: DevToolsTransport {
    public let client: WebSocketClient

    public init(client: WebSocketClient) {
        self.client = client
    }

    /// Connects to `url` (`ws://` or `wss://host:port/devtools/browser/<id>`), with `options`' headers
    /// on the upgrade request and its TLS checks.
    public static func connect(url: String, options: ConnectOptions = ConnectOptions(), timeout: Duration = .seconds(10)) async throws -> WebSocketTransport {
        WebSocketTransport(client: try await WebSocketClient.connect(url: url, headers: options.headers, tls: options.tls, timeout: timeout))
    }

    public func send(_ message: String) throws {
        try client.sendText(message)
    }

    public func receive() throws -> [UInt8]? {
        do {
            return try client.readMessage().payload
        } catch WebSocketError.closed {
            return nil
        }
    }

    public func close() {
        client.closeBlocking(timeout: .seconds(1))
    }
}
