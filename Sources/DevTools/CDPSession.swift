import JSONCore

/// A flat session on a connection: commands carry its `sessionId`; nil is the browser itself.
public struct CDPSession: Sendable {
    public let connection: DevToolsConnection
    public let id: String?

    public init(connection: DevToolsConnection, id: String?) {
        self.connection = connection
        self.id = id
    }

    public func send(_ method: String, _ params: JSON = [:], timeout: Duration? = nil) async throws -> JSON {
        try await connection.send(method, params, sessionId: id, timeout: timeout)
    }

    /// This session's events, registered when called.
    public func events(_ methods: Set<String>? = nil) -> AsyncStream<CDPEvent> {
        connection.events(sessionId: id, methods: methods)
    }
}
