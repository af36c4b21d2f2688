/// The server's headers are the client's: fields in arrival order, names compared case-insensitively.
public typealias HTTPHeaders = HTTP1.Headers

extension StringProtocol {
    func caseInsensitiveEquals<Other: StringProtocol>(_ other: Other) -> Bool { caseInsensitiveASCIIEquals(other) }

    func trimmingASCIISpaces() -> String { String(trimmingHTTPWhitespace()) }
}
