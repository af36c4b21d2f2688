import Foundation
import Recording
import Wire

/// `multipart/form-data` request bodies as a capture keeps them: names, file names, content types and
/// sizes; field values as text; file bytes only when asked (as base64). Parsed by the one multipart
/// parser, `Wire.MultipartFormData`, leniently: a recorded body cut short keeps the parts before the cut.
public enum MultipartParser {
    public static func boundary(fromContentType contentType: String) -> String? {
        MultipartFormData.boundary(contentType: contentType, anyMultipart: true)
    }

    /// Nil when the body is not multipart with the given boundary (then the caller keeps it as text).
    public static func parse(_ body: [UInt8], boundary: String, keepFileBytes: Bool) -> [MultipartPart]? {
        guard let parts = MultipartFormData.parseLeniently(body: body, boundary: boundary) else { return nil }
        return parts.map { part in
            if part.filename != nil {
                return MultipartPart(
                    name: part.name, filename: part.filename, contentType: part.contentType, size: part.body.count,
                    value: keepFileBytes ? Data(part.body).base64EncodedString() : nil, base64: keepFileBytes)
            }
            return MultipartPart(name: part.name, contentType: part.contentType, size: part.body.count, value: part.text)
        }
    }
}
