import Wire

/// DevTools over a WebSocket (one CDP message per text frame), for a browser started elsewhere.
public final class WebSocketTransport: DevToolsTransport {
    public let client: WebSocketClient

    public init(client: WebSocketClient) {
        self.client = client
    }

    /// Connects to `url` (`ws://host:port/devtools/browser/<id>`).
    public static func connect(url: String, timeout: Duration = .seconds(10)) async throws -> WebSocketTransport {
        WebSocketTransport(client: try await WebSocketClient.connect(url: url, timeout: timeout))
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
