import Foundation
import Recording

/// Turns raw bodies into `Body` values: text as text, binary as base64, anything above the spool
/// threshold into a file under `bodies/` beside the capture. Redacts before anything reaches a file.
public struct BodyStore: Sendable {
    public let folder: URL
    public let threshold: Int
    public let redactor: Redactor

    public init(folder: URL, threshold: Int, redactor: Redactor) {
        self.folder = folder
        self.threshold = threshold
        self.redactor = redactor
    }

    /// `base64` says how DevTools delivered `content`.
    public func body(exchangeID: String, role: String, content: String, base64: Bool, mimeType: String?) throws -> Body {
        var bytes: [UInt8]
        if base64 {
            guard let data = Data(base64Encoded: content) else {
                return Body(size: 0, mimeType: mimeType, unavailableReason: "DevTools returned invalid base64")
            }
            bytes = [UInt8](data)
        } else {
            bytes = Array(content.utf8)
        }
        return try body(exchangeID: exchangeID, role: role, bytes: bytes, mimeType: mimeType)
    }

    public func body(exchangeID: String, role: String, bytes rawBytes: [UInt8], mimeType: String?) throws -> Body {
        var bytes = rawBytes
        let size = bytes.count
        let isText = Self.isText(bytes, mimeType: mimeType)
        if isText {
            let text = redactor.redactText(String(decoding: bytes, as: UTF8.self), mimeType: mimeType)
            if size <= threshold { return Body(size: size, mimeType: mimeType, text: text) }
            bytes = Array(text.utf8)
        } else {
            redactor.replaceLiterals(&bytes)
            if size <= threshold { return Body(size: size, mimeType: mimeType, encoding: .base64, text: Data(bytes).base64EncodedString()) }
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = "\(exchangeID)-\(role)\(Self.fileExtension(mimeType: mimeType, isText: isText))"
        try Data(bytes).write(to: folder.appendingPathComponent(name))
        return Body(size: size, mimeType: mimeType, encoding: isText ? .text : .base64, file: folder.lastPathComponent + "/" + name)
    }

    static func isText(_ bytes: [UInt8], mimeType: String?) -> Bool {
        let mime = (mimeType ?? "").lowercased()
        let textual = mime.hasPrefix("text/") || mime.contains("json") || mime.contains("xml") || mime.contains("javascript")
            || mime.contains("x-www-form-urlencoded") || mime.contains("ndjson") || mime.contains("event-stream") || mime.contains("graphql")
        if textual || mime.isEmpty {
            // A "text" body that is not valid UTF-8 would be damaged by decoding: keep it binary.
            return String(validating: bytes, as: UTF8.self) != nil
        }
        return false
    }

    static func fileExtension(mimeType: String?, isText: Bool) -> String {
        let mime = (mimeType ?? "").lowercased()
        let known: [(String, String)] = [
            ("json", ".json"), ("html", ".html"), ("javascript", ".js"), ("css", ".css"), ("png", ".png"), ("jpeg", ".jpg"),
            ("gif", ".gif"), ("webp", ".webp"), ("svg", ".svg"), ("safetensors", ".safetensors"), ("zip", ".zip"), ("text/plain", ".txt"),
        ]
        for (fragment, ext) in known where mime.contains(fragment) { return ext }
        return isText ? ".txt" : ".bin"
    }
}
