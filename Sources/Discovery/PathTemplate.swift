/// A route such as `/api/jobs/{jobId}/start`: literal segments and named parameters.
public struct PathTemplate: Hashable, Sendable, CustomStringConvertible {
    public enum Token: Hashable, Sendable {
        case literal(String)
        case parameter(String)
    }
    public var tokens: [Token]

    public init(tokens: [Token]) { self.tokens = tokens }

    /// Parses `/api/jobs/{job}/start` (also `:job` and `<job>` spellings).
    public init(parsing text: String) {
        tokens = URLParts.segments(of: text).map { segment in
            if segment.hasPrefix("{"), segment.hasSuffix("}") { return .parameter(String(segment.dropFirst().dropLast())) }
            if segment.hasPrefix("<"), segment.hasSuffix(">") { return .parameter(String(segment.dropFirst().dropLast())) }
            if segment.hasPrefix(":"), segment.count > 1 { return .parameter(String(segment.dropFirst())) }
            return .literal(segment)
        }
    }

    public var description: String {
        if tokens.isEmpty { return "/" }
        return tokens.map { token in
            switch token {
            case .literal(let value): return "/" + value
            case .parameter(let name): return "/{" + name + "}"
            }
        }.joined()
    }

    /// The shape without parameter names: `/api/jobs/{}/start`. Two templates that differ only in
    /// naming are the same route.
    public var normalized: String {
        if tokens.isEmpty { return "/" }
        return tokens.map { token in
            switch token {
            case .literal(let value): return "/" + value
            case .parameter: return "/{}"
            }
        }.joined()
    }

    public var parameterNames: [String] {
        tokens.compactMap { if case .parameter(let name) = $0 { return name } else { return nil } }
    }

    func matches(_ segments: [String]) -> Bool {
        guard segments.count == tokens.count else { return false }
        for (token, segment) in zip(tokens, segments) {
            if case .literal(let value) = token, value != segment, value != percentDecoded(segment) { return false }
        }
        return true
    }

    var literalCount: Int { tokens.filter { if case .literal = $0 { return true } else { return false } }.count }
}
