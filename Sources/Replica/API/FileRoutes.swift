import Foundation
import JSONCore
import HTTPServer
import Wire

/// The file server's `/api/img/*` and `/api/files/*` (`ui/cron/fileServer.ts`, in front of
/// `img/[...imagePath]/route.ts` and `files/[...filePath]/route.ts`).
struct FileRoutes: Sendable {
    let context: ReplicaContext
    private var fileManager: FileManager { .default }

    static let contentTypes: [String: String] = [
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
        "svg": "image/svg+xml", "bmp": "image/bmp", "safetensors": "application/octet-stream", "zip": "application/zip",
        "mp4": "video/mp4", "avi": "video/x-msvideo", "mov": "video/quicktime", "mkv": "video/x-matroska",
        "wmv": "video/x-ms-wmv", "m4v": "video/x-m4v", "flv": "video/x-flv", "mp3": "audio/mpeg", "wav": "audio/wav",
        "flac": "audio/flac", "ogg": "audio/ogg",
    ]

    /// GET/HEAD of a file by its absolute path, each segment URL-encoded: inline with an ETag for
    /// `/api/img/`, a forced download for `/api/files/`.
    func serve(_ request: HTTPRequest, prefix: String) -> HTTPResponse {
        let isImage = prefix == "/api/img/"
        let rest = request.rawPath.dropFirst(prefix.count)
        let decoded = rest.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.removingPercentEncoding ?? String($0) }.joined(separator: "/")
        var roots = [context.datasetsFolder, context.trainingFolder]
        if isImage { roots.append(context.dataRoot.path) }
        guard var url = ConfinedPath.inside(decoded.hasPrefix("/") ? decoded : "/" + decoded, roots: roots) else {
            return .text("Access denied", status: 403, contentType: "text/plain")
        }

        if isImage, request.query.contains(where: { $0.name == "thumb" }),
           let thumb = ConfinedPath.inside(url.deletingLastPathComponent().path + "/.thumbs/" + url.lastPathComponent + ".jpg", roots: roots),
           fileManager.fileExists(atPath: thumb.path) {
            url = thumb
        }
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            return .text("File not found", status: 404, contentType: "text/plain")
        }
        guard !isDirectory.boolValue, let bytes = try? Array(Data(contentsOf: url)) else {
            return .text("Not a file", status: 400, contentType: "text/plain")
        }
        var headers = HTTPHeaders()
        headers.add("Content-Type", Self.contentTypes[url.pathExtension.lowercased()] ?? "application/octet-stream")
        headers.add("Accept-Ranges", "bytes")
        if isImage {
            let attributes = try? fileManager.attributesOfItem(atPath: url.path)
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let inode = (attributes?[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
            let etag = "W/\"\(String(inode, radix: 36))-\(String(bytes.count, radix: 36))-\(String(Int(modified * 1000), radix: 36))\""
            headers.add("Cache-Control", "public, max-age=86400, immutable")
            headers.add("ETag", etag)
            if request.headers["If-None-Match"] == etag {
                var notModified = HTTPHeaders()
                notModified.add("ETag", etag)
                notModified.add("Cache-Control", "public, max-age=86400, immutable")
                return HTTPResponse(status: 304, headers: notModified)
            }
        } else {
            headers.add("Cache-Control", "public, max-age=86400")
            headers.add("Content-Disposition", "attachment; filename=\"\(Self.encodeURIComponent(url.lastPathComponent))\"")
            headers.add("X-Content-Type-Options", "nosniff")
        }
        return Self.rangeResponse(bytes, rangeHeader: request.headers["Range"], headers: headers)
    }

    /// The file server's own Range reading: `bytes=a-b` or `bytes=a-`; a suffix range (`bytes=-n`), a
    /// start past the end or an inverted range is 416, as there.
    static func rangeResponse(_ bytes: [UInt8], rangeHeader: String?, headers: HTTPHeaders) -> HTTPResponse {
        var headers = headers
        guard let rangeHeader else { return HTTPResponse(status: 200, headers: headers, bytes: bytes) }
        let spec = rangeHeader.replacingOccurrences(of: "bytes=", with: "")
        let parts = spec.split(separator: "-", omittingEmptySubsequences: false)
        let start = parts.first.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let end = parts.count > 1 && !parts[1].isEmpty ? Int(parts[1].trimmingCharacters(in: .whitespaces)) : bytes.count - 1
        guard let start, let end, start <= end, start < bytes.count else {
            var refused = HTTPHeaders()
            refused.add("Content-Range", "bytes */\(bytes.count)")
            return HTTPResponse(status: 416, headers: refused)
        }
        let last = min(end, bytes.count - 1)
        headers.add("Content-Range", "bytes \(start)-\(last)/\(bytes.count)")
        return HTTPResponse(status: 206, headers: headers, bytes: Array(bytes[start...last]))
    }

    /// JavaScript's `encodeURIComponent`.
    static func encodeURIComponent(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-_.!~*'()")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
