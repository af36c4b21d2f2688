/// Why an HTTP/1.1 exchange failed; each case says what was expected and what was seen.
public enum HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A status line, request line or header that is not HTTP/1.x.
    case malformedHead(String)
    /// A chunked body that breaks the chunk syntax.
    case malformedChunkedBody(String)
    /// A head or body larger than the caller allows.
    case tooLarge(String)
    /// The URL cannot be fetched (scheme, host, port).
    case unsupportedURL(String)
    /// The peer closed before the message was complete.
    case incomplete(String)
    /// No complete response within the time allowed.
    case timeout(String)

    public var description: String {
        switch self {
        case .malformedHead(let detail): "malformed HTTP head: \(detail)"
        case .malformedChunkedBody(let detail): "malformed chunked body: \(detail)"
        case .tooLarge(let detail): "HTTP message too large: \(detail)"
        case .unsupportedURL(let detail): "unsupported URL: \(detail)"
        case .incomplete(let detail): "incomplete HTTP message: \(detail)"
        case .timeout(let detail): "HTTP timeout: \(detail)"
        }
    }
}
