import Wire

/// Single-range `Range: bytes=` requests (RFC 9110 14), the kind download managers and media send.
public enum ByteRange: Equatable, Sendable {
    case whole
    case partial(ClosedRange<Int>)
    case unsatisfiable

    /// Multiple ranges and unknown units are answered with the whole representation, as RFC 9110 allows.
    public static func resolve(_ header: String?, size: Int) -> ByteRange {
        guard let header = header?.trimmingASCIISpaces(), header.hasPrefix("bytes=") else { return .whole }
        let spec = header.dropFirst("bytes=".count)
        guard !spec.contains(",") else { return .whole }
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2 else { return .whole }
        let first = bounds[0].trimmingASCIISpaces(), last = bounds[1].trimmingASCIISpaces()
        if first.isEmpty {
            guard let suffix = Int(last), suffix >= 0 else { return .whole }
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .partial(max(0, size - suffix)...(size - 1))
        }
        guard let start = Int(first), start >= 0 else { return .whole }
        guard start < size else { return .unsatisfiable }
        if last.isEmpty { return .partial(start...(size - 1)) }
        guard let end = Int(last), end >= start else { return .whole }
        return .partial(start...min(end, size - 1))
    }
}

extension HTTPResponse {
    /// 200 with the bytes, 206 with the requested range, or 416; `Accept-Ranges: bytes` on each.
    /// `headers` (Content-Type, ETag, ...) are kept.
    public static func ranged(_ bytes: [UInt8], request: HTTPRequest, headers: HTTPHeaders = .init()) -> HTTPResponse {
        var headers = headers
        headers.set("Accept-Ranges", "bytes")
        switch ByteRange.resolve(request.headers["Range"], size: bytes.count) {
        case .whole:
            return HTTPResponse(status: 200, headers: headers, bytes: bytes)
        case .partial(let range):
            headers.set("Content-Range", "bytes \(range.lowerBound)-\(range.upperBound)/\(bytes.count)")
            return HTTPResponse(status: 206, headers: headers, bytes: Array(bytes[range]))
        case .unsatisfiable:
            headers.remove("Content-Type")
            headers.set("Content-Range", "bytes */\(bytes.count)")
            return HTTPResponse(status: 416, headers: headers, bytes: [])
        }
    }
}
