import Wire

/// The request line and header block, parsed from bytes without trusting any of them.
struct HTTPRequestHead: Sendable, Equatable {
    var method: String
    var target: String
    var version: String
    var headers: HTTPHeaders

    enum ParseResult: Equatable {
        case incomplete
        /// `length` bytes of the buffer were the head (through the blank line).
        case complete(HTTPRequestHead, length: Int)
        case invalid(status: Int, reason: String)
    }

    /// A few empty lines before a request are tolerated (RFC 9112 2.2: at least one); an endless stream
    /// of them is not a request.
    static let maximumLeadingEmptyLineBytes = 16

    /// Looks for a whole head at the start of `buffer`. Leading empty lines are skipped (RFC 9112 2.2)
    /// but count towards `maximumLength`. `searchFrom`: how many leading bytes an earlier call already
    /// searched for the head's end without finding it, so a head that arrives a byte at a time is not
    /// searched again from the start on every byte.
    static func parse(
        _ buffer: ArraySlice<UInt8>, maximumLength: Int, maximumFieldCount: Int = 256, searchFrom: Int = 0
    ) -> ParseResult {
        var start = buffer.startIndex
        while start < buffer.endIndex, buffer[start] == 0x0D || buffer[start] == 0x0A {
            start += 1
            if start - buffer.startIndex > maximumLeadingEmptyLineBytes {
                return .invalid(status: 400, reason: "more than \(maximumLeadingEmptyLineBytes) bytes of empty lines before the request")
            }
        }
        // The end is found at its first LF; the two bytes before the searched part may begin it.
        let resumeAt = max(start, min(buffer.endIndex, buffer.startIndex + searchFrom - 2))
        guard let end = headEnd(buffer, from: start, searchingFrom: resumeAt) else {
            if buffer.count > maximumLength {
                return .invalid(status: 431, reason: "request head longer than \(maximumLength) bytes")
            }
            return .incomplete
        }
        if end.headLength + (start - buffer.startIndex) > maximumLength {
            return .invalid(status: 431, reason: "request head longer than \(maximumLength) bytes")
        }
        let lines = splitLines(buffer[start..<end.contentEnd])
        guard let requestLine = lines.first, !requestLine.isEmpty else {
            return .invalid(status: 400, reason: "empty request line")
        }
        let parts = requestLine.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty,
              parts[0].allSatisfy(isTokenByte), parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return .invalid(status: 400, reason: "malformed request line") }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version.hasPrefix("HTTP/"), version.count == 8 else {
            return .invalid(status: 400, reason: "malformed HTTP version")
        }
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            return .invalid(status: 505, reason: "unsupported version \(version)")
        }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let first = line.first, first != 0x20, first != 0x09 else {
                return .invalid(status: 400, reason: "obsolete line folding in headers")
            }
            guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
                  line[line.startIndex..<colon].allSatisfy(isTokenByte)
            else { return .invalid(status: 400, reason: "malformed header line") }
            let value = line[(colon + 1)...]
            guard !value.contains(where: { $0 == 0x00 || $0 == 0x0D || $0 == 0x0A }) else {
                return .invalid(status: 400, reason: "control character in a header value")
            }
            headers.add(String(decoding: line[line.startIndex..<colon], as: UTF8.self),
                        String(decoding: value, as: UTF8.self).trimmingASCIISpaces())
            if headers.fields.count > maximumFieldCount {
                return .invalid(status: 431, reason: "more than \(maximumFieldCount) header fields")
            }
        }
        let head = HTTPRequestHead(
            method: String(decoding: parts[0], as: UTF8.self), target: String(decoding: parts[1], as: UTF8.self),
            version: version, headers: headers)
        return .complete(head, length: end.headLength + (start - buffer.startIndex))
    }

    /// The end of the header block: CRLF CRLF, or bare LF LF which lenient servers accept too.
    private static func headEnd(
        _ buffer: ArraySlice<UInt8>, from start: Int, searchingFrom resumeAt: Int
    ) -> (contentEnd: Int, headLength: Int)? {
        var index = resumeAt
        while index < buffer.endIndex {
            if buffer[index] == 0x0A {
                if index + 1 < buffer.endIndex, buffer[index + 1] == 0x0A {
                    return (index, index + 2 - start)
                }
                if index + 2 < buffer.endIndex, buffer[index + 1] == 0x0D, buffer[index + 2] == 0x0A {
                    let contentEnd = index > start && buffer[index - 1] == 0x0D ? index - 1 : index
                    return (contentEnd, index + 3 - start)
                }
            }
            index += 1
        }
        return nil
    }

    private static func splitLines(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? line.dropLast() : line
        }
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default: return false
        }
    }
}
