/// A route such as `/api/jobs/{jobId}/start`: literal segments and named parameters. A parameter
/// written `{+path}` (RFC 6570's reserved expansion) takes one segment or more, `/` included, up to
/// the literals after it, and may follow a literal inside its segment: Gradio's
/// `/gradio_api/file={+path}` serves `/gradio_api/file=/tmp/x/y.txt`, Jupyter's
/// `/api/contents/{+path}/checkpoints` serves `/api/contents/a/b.txt/checkpoints`.
public struct PathTemplate: Hashable, Sendable, CustomStringConvertible {
    public enum Token: Hashable, Sendable {
        case literal(String)
        case parameter(String)
        /// The rest of the path, one segment or more, after `prefix` in its first segment.
        case rest(String, prefix: String)
    }
    public var tokens: [Token]

    public init(tokens: [Token]) { self.tokens = tokens }

    /// Parses `/api/jobs/{job}/start` (also `:job` and `<job>` spellings), and `{+path}` or
    /// `file={+path}` for a parameter that spans segments.
    public init(parsing text: String) {
        tokens = URLParts.segments(of: text).map { segment in
            if let open = segment.range(of: "{+"), segment.hasSuffix("}"), open.upperBound < segment.index(before: segment.endIndex) {
                return .rest(String(segment[open.upperBound..<segment.index(before: segment.endIndex)]), prefix: String(segment[..<open.lowerBound]))
            }
            if segment.hasPrefix("{"), segment.hasSuffix("}") { return .parameter(String(segment.dropFirst().dropLast())) }
            if segment.hasPrefix("<"), segment.hasSuffix(">") { return .parameter(String(segment.dropFirst().dropLast())) }
            if segment.hasPrefix(":"), segment.count > 1 { return .parameter(String(segment.dropFirst())) }
            return .literal(segment)
        }
    }

    public var description: String {
        rendered(parameter: { "{" + $0 + "}" }, rest: { "{+" + $0 + "}" })
    }

    /// The shape without parameter names: `/api/jobs/{}/start`. Two templates that differ only in
    /// naming are the same route.
    public var normalized: String { rendered(parameter: { _ in "{}" }, rest: { _ in "{+}" }) }

    /// OpenAPI's spelling: `{+path}` becomes `{path}` (OpenAPI has no multi-segment parameter; the
    /// parameter says it may hold `/`).
    public var openAPIPath: String { rendered(parameter: { "{" + $0 + "}" }, rest: { "{" + $0 + "}" }) }

    private func rendered(parameter: (String) -> String, rest: (String) -> String) -> String {
        if tokens.isEmpty { return "/" }
        return tokens.map { token in
            switch token {
            case .literal(let value): return "/" + value
            case .parameter(let name): return "/" + parameter(name)
            case .rest(let name, let prefix): return "/" + prefix + rest(name)
            }
        }.joined()
    }

    public var parameterNames: [String] {
        tokens.compactMap { token in
            switch token {
            case .literal: return nil
            case .parameter(let name), .rest(let name, _): return name
            }
        }
    }

    /// Whether the parameter spans segments.
    public func isRest(_ name: String) -> Bool { tokens.contains { if case .rest(name, _) = $0 { return true } else { return false } } }

    func matches(_ segments: [String]) -> Bool { values(in: segments) != nil }

    /// The raw (still encoded) value of each parameter in a request's segments, nil when the path is
    /// not this route. A `{+rest}` value keeps its `/`.
    func values(in segments: [String]) -> [String]? {
        var values: [String] = []
        var index = 0
        for (position, token) in tokens.enumerated() {
            switch token {
            case .literal(let value):
                guard index < segments.count, value == segments[index] || value == percentDecoded(segments[index]) else { return nil }
                index += 1
            case .parameter:
                guard index < segments.count else { return nil }
                values.append(segments[index])
                index += 1
            case .rest(_, let prefix):
                // It takes what the tokens after it leave (`{+path}/checkpoints`: all but the last).
                let end = segments.count - (tokens.count - position - 1)
                guard index < end, segments[index].hasPrefix(prefix) else { return nil }
                let first = String(segments[index].dropFirst(prefix.count))
                let tail = segments[(index + 1)..<end]
                // `file=` + `/tmp/x` splits into `file=`, `tmp`, `x`: the slash after the prefix is the value's.
                values.append(first.isEmpty ? "/" + tail.joined(separator: "/") : ([first] + tail).joined(separator: "/"))
                index = end
            }
        }
        return index == segments.count ? values : nil
    }

    var literalCount: Int { tokens.filter { if case .literal = $0 { return true } else { return false } }.count }
}
