extension HTTP1 {
    /// The status line and header fields of an HTTP/1.x response.
    public struct ResponseHead: Sendable, Equatable {
        public var version: String
        public var status: Int
        public var reason: String
        public var headers: Headers

        public init(version: String = "HTTP/1.1", status: Int, reason: String, headers: Headers = [:]) {
            self.version = version
            self.status = status
            self.reason = reason
            self.headers = headers
        }

        /// Parses a head: the bytes before the blank line (the blank line itself may be included).
        public static func parse(_ bytes: some Collection<UInt8>) throws -> ResponseHead {
            let (startLine, headers) = try HeadLines.split(bytes)
            // HTTP/1.1 200 OK  (the reason may be empty or contain spaces)
            let parts = startLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
                throw HTTPError.malformedHead("status line \"\(startLine)\" is not \"HTTP/1.x NNN reason\"")
            }
            return ResponseHead(version: String(parts[0]), status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers)
        }

        /// The head on the wire, ending with the blank line.
        public var serialized: [UInt8] { Array("\(version) \(status) \(reason)\r\n\(headers.serialized)\r\n".utf8) }
    }

    /// The request line and header fields of an HTTP/1.x request.
    public struct RequestHead: Sendable, Equatable {
        public var method: String
        /// The request target as sent: usually a path with an optional query (`/json/version?x=1`).
        public var target: String
        public var version: String
        public var headers: Headers

        public init(method: String, target: String, version: String = "HTTP/1.1", headers: Headers = [:]) {
            self.method = method
            self.target = target
            self.version = version
            self.headers = headers
        }

        public static func parse(_ bytes: some Collection<UInt8>) throws -> RequestHead {
            let (startLine, headers) = try HeadLines.split(bytes)
            let parts = startLine.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter || $0 == "-" }),
                !parts[1].isEmpty, parts[2].hasPrefix("HTTP/1.")
            else {
                throw HTTPError.malformedHead("request line \"\(startLine)\" is not \"METHOD target HTTP/1.x\"")
            }
            return RequestHead(method: String(parts[0]), target: String(parts[1]), version: String(parts[2]), headers: headers)
        }

        /// The path part of the target (before `?`).
        public var path: Substring { target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0] }
        /// The query part of the target (after `?`), or nil.
        public var query: Substring? {
            let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            return parts.count > 1 ? parts[1] : nil
        }

        /// The head on the wire, ending with the blank line.
        public var serialized: [UInt8] { Array("\(method) \(target) \(version)\r\n\(headers.serialized)\r\n".utf8) }
    }

    /// Where a head ends in a byte buffer, and splitting it into lines.
    public enum HeadLines {
        /// The index just past the blank line ending the head (CRLF CRLF, or a bare LF LF), or nil if the
        /// buffer does not hold a whole head yet. `from` lets a caller resume a search without rescanning.
        public static func endOfHead(in bytes: UnsafeRawBufferPointer, from: Int = 0) -> Int? {
            var index = max(from, 0)
            while index < bytes.count {
                if bytes[index] == 0x0A {
                    if index + 1 < bytes.count, bytes[index + 1] == 0x0A { return index + 2 }
                    if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A { return index + 3 }
                }
                index += 1
            }
            return nil
        }

        public static func endOfHead(in bytes: [UInt8], from: Int = 0) -> Int? {
            bytes.withUnsafeBytes { endOfHead(in: $0, from: from) }
        }

        static func split(_ bytes: some Collection<UInt8>) throws -> (startLine: Substring, headers: Headers) {
            // Split on bytes: as a String, "\r\n" is one Character and would never match "\n".
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
                Substring(String(decoding: line.last == 0x0D ? line.dropLast() : line[...], as: UTF8.self))
            }
            while lines.last?.isEmpty == true { lines.removeLast() }
            guard let startLine = lines.first, !startLine.isEmpty else { throw HTTPError.malformedHead("empty head") }
            var headers = Headers()
            for line in lines.dropFirst() {
                if line.first == " " || line.first == "\t" {
                    // Obsolete line folding: the line continues the previous field's value.
                    guard !headers.fields.isEmpty else { throw HTTPError.malformedHead("continuation line before any header") }
                    headers.continueLastValue(with: line.trimmingHTTPWhitespace())
                    continue
                }
                guard let colon = line.firstIndex(of: ":") else {
                    throw HTTPError.malformedHead("header line \"\(line)\" has no colon")
                }
                let name = line[..<colon]
                guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "\t" }) else {
                    throw HTTPError.malformedHead("header name \"\(name)\" is empty or contains whitespace")
                }
                // No space is required after the colon: Chromium writes `Content-Length:444`.
                headers.add(String(name), String(line[line.index(after: colon)...].trimmingHTTPWhitespace()))
            }
            return (startLine, headers)
        }
    }
}
