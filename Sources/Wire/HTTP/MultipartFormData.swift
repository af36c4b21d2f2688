import Glibc

/// One part of a `multipart/form-data` body (RFC 7578), as browsers send file uploads. (A capture keeps
/// parts as `Recording.MultipartPart`: sizes and field values, not the bytes.)
public struct FormDataPart: Sendable, Equatable {
    public var headers: HTTPHeaders
    /// The `name` parameter of Content-Disposition (the form field).
    public var name: String
    /// The `filename` parameter, present for file fields.
    public var filename: String?
    public var contentType: String?
    public var body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// The one multipart parser: the replica reads uploads with it strictly (a malformed body is an error),
/// the capture leniently (a recorded body may be cut short: what came before is kept).
public enum MultipartFormData {
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var description: String

        package init(description: String) { self.description = description }
    }

    /// The boundary parameter of a `multipart/form-data` Content-Type (of any `multipart/*` one with
    /// `anyMultipart`), or nil for any other type.
    public static func boundary(contentType: String, anyMultipart: Bool = false) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingASCIISpaces() }
        guard let type = parts.first,
            type.caseInsensitiveEquals("multipart/form-data") || anyMultipart && type.lowercased().hasPrefix("multipart/")
        else { return nil }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingASCIISpaces().caseInsensitiveEquals("boundary") else { continue }
            var value = pair[1].trimmingASCIISpaces()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty || value.count > 200 ? nil : value
        }
        return nil
    }

    public static func parse(body: [UInt8], boundary: String) throws(ParseError) -> [FormDataPart] {
        try walk(body, boundary: boundary, lenient: false) ?? []
    }

    /// The parts as far as they can be read; nil when the body has no boundary line at all (it is not
    /// multipart). A part cut short keeps what arrived; one without a name gets "".
    public static func parseLeniently(body: [UInt8], boundary: String) -> [FormDataPart]? {
        (try? walk(body, boundary: boundary, lenient: true)) ?? nil
    }

    private static func walk(_ body: [UInt8], boundary: String, lenient: Bool) throws(ParseError) -> [FormDataPart]? {
        let delimiter = Array("--\(boundary)".utf8)
        guard var cursor = firstIndex(of: delimiter, in: body, from: 0) else {
            if lenient { return nil }
            throw ParseError(description: "no boundary line in the body")
        }
        let nextDelimiter = [0x0D, 0x0A] + delimiter
        var parts: [FormDataPart] = []
        while true {
            cursor += delimiter.count
            if body.count >= cursor + 2, body[cursor] == 0x2D, body[cursor + 1] == 0x2D { return parts }
            // Transport padding, then the CRLF that ends the boundary line (a bare LF, leniently).
            while cursor < body.count, body[cursor] == 0x20 || body[cursor] == 0x09 { cursor += 1 }
            if body.count >= cursor + 2, body[cursor] == 0x0D, body[cursor + 1] == 0x0A {
                cursor += 2
            } else if lenient, cursor < body.count, body[cursor] == 0x0A {
                cursor += 1
            } else {
                if lenient { return parts }
                throw ParseError(description: "boundary line not followed by CRLF")
            }
            guard let headEnd = firstIndex(of: [0x0D, 0x0A, 0x0D, 0x0A], in: body, from: max(cursor - 2, 0)) else {
                if lenient { return parts }
                throw ParseError(description: "part headers not terminated")
            }
            let headers: HTTPHeaders
            do {
                headers = try parseHeaders(body[cursor..<max(cursor, headEnd)])
            } catch {
                if lenient { return parts }
                throw error
            }
            let contentStart = headEnd + 4
            let contentEnd = firstIndex(of: nextDelimiter, in: body, from: contentStart)
            if contentEnd == nil, !lenient { throw ParseError(description: "part not closed by a boundary (truncated body)") }
            let disposition = headers["Content-Disposition"]
            let name = disposition.flatMap { parameter("name", in: $0) }
            if name == nil, !lenient { throw ParseError(description: "part without Content-Disposition name") }
            parts.append(FormDataPart(
                headers: headers, name: name ?? "", filename: disposition.flatMap { parameter("filename", in: $0) },
                contentType: headers["Content-Type"], body: Array(body[min(contentStart, body.count)..<(contentEnd ?? body.count)])))
            guard let contentEnd else { return parts }
            cursor = contentEnd + 2
        }
    }

    private static func parseHeaders(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> HTTPHeaders {
        var headers = HTTPHeaders()
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { throw ParseError(description: "malformed part header") }
            headers.add(String(line[..<colon]).trimmingASCIISpaces(), String(line[line.index(after: colon)...]).trimmingASCIISpaces())
        }
        return headers
    }

    /// A parameter of a header value such as `form-data; name="files"; filename="a b.png"`.
    static func parameter(_ key: String, in value: String) -> String? {
        var index = value.startIndex
        while index < value.endIndex {
            guard let semicolon = value[index...].firstIndex(of: ";") else { return nil }
            index = value.index(after: semicolon)
            while index < value.endIndex, value[index] == " " || value[index] == "\t" { index = value.index(after: index) }
            guard let equals = value[index...].firstIndex(of: "=") else { return nil }
            let name = value[index..<equals].trimmingASCIISpaces()
            var valueStart = value.index(after: equals)
            var result = ""
            if valueStart < value.endIndex, value[valueStart] == "\"" {
                valueStart = value.index(after: valueStart)
                var cursor = valueStart
                while cursor < value.endIndex, value[cursor] != "\"" {
                    if value[cursor] == "\\", value.index(after: cursor) < value.endIndex { cursor = value.index(after: cursor) }
                    result.append(value[cursor])
                    cursor = value.index(after: cursor)
                }
                index = cursor < value.endIndex ? value.index(after: cursor) : cursor
            } else {
                let end = value[valueStart...].firstIndex(of: ";") ?? value.endIndex
                result = value[valueStart..<end].trimmingASCIISpaces()
                index = end
            }
            if name.caseInsensitiveEquals(key) { return result }
        }
        return nil
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard start >= 0, !needle.isEmpty, haystack.count - start >= needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                let first = pin[0], last = haystack.count - pin.count
                var index = start
                while index <= last {
                    if hay[index] == first, memcmp(hay.baseAddress! + index, pin.baseAddress!, pin.count) == 0 { return index }
                    index += 1
                }
                return nil
            }
        }
    }
}
