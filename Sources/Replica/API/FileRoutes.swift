import Foundation
import JSONCore
import Wire

/// The file server's `/api/img/*` and `/api/files/*`, and the caption and delete routes on those paths.
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

    // MARK: Captions and deletes

    private var roots: [String] { [context.datasetsFolder, context.trainingFolder] }

    /// A path from a request body, resolved, if it lies inside the datasets or training folder.
    private func allowedPath(_ value: JSON?) -> URL? {
        guard let text = value?.stringValue, !text.isEmpty else { return nil }
        return ConfinedPath.inside(text, roots: roots)
    }

    /// The caption beside `image`, as the real routes name it: the image's extension replaced by `ext`
    /// (leading dots dropped, `txt` when empty). Nil when an `ext` such as `/../../x` would put it
    /// outside the roots.
    private func captionURL(for image: URL, ext: JSON?) -> URL? {
        let trimmed = (ext?.stringValue ?? "").drop { $0 == "." }.trimmingCharacters(in: .whitespacesAndNewlines)
        let captionExtension = trimmed.isEmpty ? "txt" : trimmed
        var base = image.path
        if let dot = base.lastIndex(of: "."), !base[base.index(after: dot)...].contains("/"), base.index(after: dot) < base.endIndex {
            base = String(base[..<dot])
        }
        return ConfinedPath.inside(base + "." + captionExtension, roots: roots)
    }

    func caption(_ request: HTTPRequest) -> HTTPResponse {
        guard let body = request.jsonObject else { return .json(["error": "Invalid request"], status: 400) }
        guard let image = allowedPath(body["imgPath"]), let caption = captionURL(for: image, ext: body["ext"]) else {
            return .json(["error": "Access denied"], status: 403)
        }
        let text = (try? String(contentsOf: caption, encoding: .utf8)) ?? ""
        return .text(text, contentType: "text/plain")
    }

    func captionBatch(_ request: HTTPRequest) -> HTTPResponse {
        guard let body = request.jsonObject, let paths = body["imgPaths"]?.arrayValue else {
            return .json(["error": "imgPaths must be an array"], status: 400)
        }
        var captions: [String: JSON] = [:]
        for case .string(let path) in paths {
            guard let image = allowedPath(.string(path)), let caption = captionURL(for: image, ext: body["ext"]) else { continue }
            captions[path] = .string((try? String(contentsOf: caption, encoding: .utf8)) ?? "")
        }
        return .json(["captions": .object(captions)])
    }

    func saveCaption(_ request: HTTPRequest) -> HTTPResponse {
        guard let body = request.jsonObject, let caption = body["caption"]?.stringValue else {
            return .json(["error": "Failed to update caption"], status: 500)
        }
        guard let image = allowedPath(body["imgPath"]), let captionFile = captionURL(for: image, ext: body["ext"]) else {
            return .json(["error": "Access denied"], status: 403)
        }
        do {
            try caption.write(to: captionFile, atomically: true, encoding: .utf8)
        } catch {
            return .json(["error": "Failed to update caption"], status: 500)
        }
        return .json(["success": true])
    }

    func deleteImage(_ request: HTTPRequest) -> HTTPResponse {
        guard let body = request.jsonObject else { return .json(["error": "Failed to delete image"], status: 500) }
        guard let image = allowedPath(body["imgPath"]) else { return .json(["error": "Access denied"], status: 403) }
        guard fileManager.fileExists(atPath: image.path) else { return .json(["error": "Image does not exist"], status: 400) }
        try? fileManager.removeItem(at: image)
        if let caption = captionURL(for: image, ext: nil) { try? fileManager.removeItem(at: caption) }
        return .json(["success": true])
    }

    func deleteFile(_ request: HTTPRequest) -> HTTPResponse {
        guard let body = request.jsonObject else { return .json(["error": "Failed to delete file"], status: 500) }
        guard let file = allowedPath(body["filePath"]) else { return .json(["error": "Access denied"], status: 403) }
        guard fileManager.fileExists(atPath: file.path) else { return .json(["error": "File does not exist"], status: 400) }
        try? fileManager.removeItem(at: file)
        return .json(["success": true])
    }
}
