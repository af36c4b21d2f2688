extension HTTP1 {
    /// Header fields in arrival order, looked up case-insensitively (field names are ASCII). The client
    /// and the server (`HTTPHeaders`) share it.
    public struct Headers: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
        public private(set) var fields: [(name: String, value: String)]

        public init(_ fields: [(name: String, value: String)] = []) { self.fields = fields }
        public init(dictionaryLiteral elements: (String, String)...) { self.fields = elements.map { (name: $0.0, value: $0.1) } }

        public static func == (lhs: Headers, rhs: Headers) -> Bool {
            lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
        }

        public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

        /// The first value of the field `name`, any case.
        public subscript(name: String) -> String? {
            fields.first { $0.name.caseInsensitiveASCIIEquals(name) }?.value
        }

        /// Every value of the field `name`, in order.
        public func values(_ name: String) -> [String] {
            fields.filter { $0.name.caseInsensitiveASCIIEquals(name) }.map(\.value)
        }

        /// Whether a comma-separated field (Connection, Upgrade, Transfer-Encoding) lists `token`, any case.
        public func hasToken(_ token: String, in name: String) -> Bool {
            values(name).contains { value in
                value.split(separator: ",").contains { $0.trimmingHTTPWhitespace().caseInsensitiveASCIIEquals(token) }
            }
        }

        public func contains(_ name: String) -> Bool { self[name] != nil }

        public mutating func add(_ name: String, _ value: String) { fields.append((name: name, value: value)) }

        /// Replaces every field `name` with one field.
        public mutating func set(_ name: String, _ value: String) {
            fields.removeAll { $0.name.caseInsensitiveASCIIEquals(name) }
            fields.append((name: name, value: value))
        }

        mutating func continueLastValue(with text: Substring) {
            fields[fields.count - 1].value += " " + text
        }

        public mutating func remove(_ name: String) { fields.removeAll { $0.name.caseInsensitiveASCIIEquals(name) } }

        /// The body length from Content-Length; nil when absent. Differing repeated values are an error.
        public func contentLength() throws -> Int? {
            let lengths = values("Content-Length")
            guard let first = lengths.first else { return nil }
            guard let length = Int(first.trimmingHTTPWhitespace()), length >= 0, first.allSatisfy({ $0.isASCII }) else {
                throw HTTPError.malformedHead("Content-Length \"\(first)\" is not a non-negative integer")
            }
            if lengths.contains(where: { Int($0.trimmingHTTPWhitespace()) != length }) {
                throw HTTPError.malformedHead("conflicting Content-Length values \(lengths)")
            }
            return length
        }

        /// Whether the body uses chunked transfer coding (the last Transfer-Encoding is `chunked`).
        public var isChunked: Bool {
            guard let last = values("Transfer-Encoding").last?.split(separator: ",").last else { return false }
            return last.trimmingHTTPWhitespace().caseInsensitiveASCIIEquals("chunked")
        }

        /// The fields as they go on the wire, each followed by CRLF.
        var serialized: String { fields.map { "\($0.name): \($0.value)\r\n" }.joined() }
    }
}

extension StringProtocol {
    func caseInsensitiveASCIIEquals(_ other: some StringProtocol) -> Bool {
        utf8.count == other.utf8.count && zip(utf8, other.utf8).allSatisfy { $0 == $1 || ($0 | 0x20 == $1 | 0x20 && ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A) }
    }

    func trimmingHTTPWhitespace() -> Substring {
        let text = self[...]
        guard let first = text.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = text.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return Substring(text[first...last])
    }
}
