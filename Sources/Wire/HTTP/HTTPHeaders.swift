/// The server's headers are the client's: fields in arrival order, names compared case-insensitively.
public typealias HTTPHeaders = HTTP1.Headers

/// Header-value helpers for the HTTP server target and multipart parsing (package-wide, not public API).
extension StringProtocol {
    package func caseInsensitiveEquals<Other: StringProtocol>(_ other: Other) -> Bool { caseInsensitiveASCIIEquals(other) }

    package func trimmingASCIISpaces() -> String { String(trimmingHTTPWhitespace()) }
}
