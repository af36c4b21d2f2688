import Wire

/// How to reach a browser started elsewhere (`discover run --connect`): the headers a gateway in front of
/// it wants (on `/json/version` and on the WebSocket upgrade), and how its TLS certificate is checked.
public struct ConnectOptions: Sendable, Equatable {
    public var headers: HTTP1.Headers
    public var tls: TLSOptions

    public init(headers: HTTP1.Headers = [:], tls: TLSOptions = TLSOptions()) {
        self.headers = headers
        self.tls = tls
    }
}
