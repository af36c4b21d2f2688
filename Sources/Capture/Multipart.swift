import Foundation
import Recording

/// `multipart/form-data` request bodies, kept as their parts: names, file names, content types and
/// sizes; field values as text; file bytes only when asked (as base64).
public enum MultipartParser {
    public static func boundary(fromContentType contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let kind = pieces.first, kind.lowercased().hasPrefix("multipart/") else { return nil }
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            guard piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// Nil when the body is not multipart with the given boundary (then the caller keeps it as text).
    public static func parse(_ body: [UInt8], boundary: String, keepFileBytes: Bool) -> [MultipartPart]? {
        let delimiter = Array(("--" + boundary).utf8)
        guard var cursor = ByteSearch.find(delimiter, in: body, from: 0) else { return nil }
        var parts: [MultipartPart] = []
        while true {
            cursor += delimiter.count
            if cursor + 1 < body.count, body[cursor] == UInt8(ascii: "-"), body[cursor + 1] == UInt8(ascii: "-") { break }
            guard let headerStart = skipLineEnd(body, cursor) else { break }
            guard let headerEnd = ByteSearch.find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: headerStart) else { return parts.isEmpty ? nil : parts }
            let headers = String(decoding: body[headerStart..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            let next = ByteSearch.find([0x0D, 0x0A] + delimiter, in: body, from: contentStart)
            let contentEnd = next ?? body.count
            parts.append(part(headers: headers, content: body[contentStart..<contentEnd], keepFileBytes: keepFileBytes))
            guard let next else { break }
            cursor = next + 2
        }
        return parts
    }

    private static func part(headers: String, content: ArraySlice<UInt8>, keepFileBytes: Bool) -> MultipartPart {
        var name = ""
        var filename: String?
        var contentType: String?
        for line in headers.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if field == "content-type" { contentType = value }
            if field == "content-disposition" {
                let parameters = dispositionParameters(value)
                name = parameters["name"] ?? ""
                filename = parameters["filename"]
            }
        }
        let size = content.count
        if filename != nil {
            return MultipartPart(
                name: name, filename: filename, contentType: contentType, size: size,
                value: keepFileBytes ? Data(content).base64EncodedString() : nil, base64: keepFileBytes)
        }
        return MultipartPart(name: name, contentType: contentType, size: size, value: String(decoding: content, as: UTF8.self))
    }

    /// `form-data; name="files"; filename="a b.png"`: quoted values may contain `;`.
    static func dispositionParameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var scalars = Substring(value)
        while let semicolon = scalars.firstIndex(of: ";") {
            scalars = scalars[scalars.index(after: semicolon)...].drop { $0 == " " }
            guard let equals = scalars.firstIndex(of: "=") else { break }
            let key = scalars[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var rest = scalars[scalars.index(after: equals)...]
            var parsed = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                var end = rest.endIndex
                for index in rest.indices {
                    let character = rest[index]
                    if escaped {
                        parsed.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        end = index
                        break
                    } else {
                        parsed.append(character)
                    }
                }
                scalars = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[rest.endIndex...]
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                parsed = rest[..<end].trimmingCharacters(in: .whitespaces)
                scalars = rest[end...]
            }
            result[key] = parsed
        }
        return result
    }

    private static func skipLineEnd(_ body: [UInt8], _ index: Int) -> Int? {
        if index + 1 < body.count, body[index] == 0x0D, body[index + 1] == 0x0A { return index + 2 }
        if index < body.count, body[index] == 0x0A { return index + 1 }
        return nil
    }
}
