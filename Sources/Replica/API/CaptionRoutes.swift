import Foundation
import JSONCore
import HTTPServer

/// Captions and single-file deletes: `/api/caption/get|getBatch`, `/api/img/caption|delete`,
/// `/api/files/delete`. Each real route checks the path against its own folders, by its own rule; the
/// replica keeps those folders and statuses, but also resolves `..` and symlinks, so no request reaches a
/// file outside them (the real `startsWith` checks let `<datasets>/../x` through).
struct CaptionRoutes: Sendable {
    let context: ReplicaContext
    private var fileManager: FileManager { .default }

    /// What `new NextResponse(text)` is sent as.
    private static func text(_ text: String, _ status: Int = 200) -> HTTPResponse {
        .text(text, status: status, contentType: "text/plain;charset=UTF-8")
    }

    /// The caption beside `image`: its extension replaced by `ext` (leading dots dropped, `txt` when
    /// empty), as `imgPath.replace(/\.[^/.]+$/, '') + '.' + captionExt`.
    static func captionPath(for image: String, ext: JSON?) -> String {
        let trimmed = (ext?.stringValue ?? "").drop { $0 == "." }.trimmingCharacters(in: .whitespacesAndNewlines)
        var base = image
        if let dot = base.lastIndex(of: "."), !base[base.index(after: dot)...].contains("/"), base.index(after: dot) < base.endIndex {
            base = String(base[..<dot])
        }
        return base + "." + (trimmed.isEmpty ? "txt" : trimmed)
    }

    /// The request's `ext`; c9843692's caption routes always use `.txt`.
    private func captionExtension(_ body: JSON) -> JSON? {
        context.version.isOctober2025 ? nil : body["ext"]
    }

    private func inside(_ path: String?, _ roots: [String]) -> URL? {
        guard let path, !path.isEmpty else { return nil }
        return ConfinedPath.inside(path, roots: roots)
    }

    /// `caption/get/route.ts`: the caption as text (empty when there is none), datasets folder only;
    /// 499 with no body when the body is not JSON.
    /// (c9843692 read the body before its try: a bare 500.)
    func caption(_ request: HTTPRequest) -> HTTPResponse {
        guard let body = request.jsonBody else { return context.version.isOctober2025 ? JobRoutes.unhandledError : HTTPResponse(status: 499) }
        // A missing `imgPath` makes the route's `.replace` throw inside its try.
        guard let path = body["imgPath"]?.stringValue else { return Self.text("Error getting caption", 500) }
        guard inside(path, [context.datasetsFolder]) != nil,
              let caption = inside(Self.captionPath(for: path, ext: captionExtension(body)), [context.datasetsFolder]) else {
            return Self.text("Access denied", 403)
        }
        guard fileManager.fileExists(atPath: caption.path) else { return Self.text("") }
        guard let text = try? String(contentsOf: caption, encoding: .utf8) else { return Self.text("Error getting caption", 500) }
        return Self.text(text)
    }

    /// `caption/getBatch/route.ts`: `{captions: {path: text}}` for the paths inside the datasets folder.
    func captionBatch(_ request: HTTPRequest) -> HTTPResponse {
        guard let body = request.jsonBody else { return HTTPResponse(status: 499) }
        guard let paths = body["imgPaths"]?.arrayValue else { return .json(["error": "imgPaths must be an array"], status: 400) }
        var captions: [String: JSON] = [:]
        for case .string(let path) in paths where inside(path, [context.datasetsFolder]) != nil {
            let caption = inside(Self.captionPath(for: path, ext: captionExtension(body)), [context.datasetsFolder])
            captions[path] = .string(caption.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? "")
        }
        return .json(["captions": .object(captions)])
    }

    /// `img/caption/route.ts`: 400 outside the datasets folder, 404 for a missing image, else the caption
    /// written. Its catch-all error text really is "Failed to create dataset".
    func saveCaption(_ request: HTTPRequest) -> HTTPResponse {
        let failure = HTTPResponse.json(["error": "Failed to create dataset"], status: 500)
        guard let body = request.jsonObject, let path = body["imgPath"]?.stringValue else { return failure }
        guard let image = inside(path, [context.datasetsFolder]),
              let caption = inside(Self.captionPath(for: path, ext: captionExtension(body)), [context.datasetsFolder]) else {
            return .json(["error": "Invalid image path"], status: 400)
        }
        guard fileManager.fileExists(atPath: image.path) else { return .json(["error": "Image does not exist"], status: 404) }
        guard let text = body["caption"]?.stringValue, (try? text.write(to: caption, atomically: true, encoding: .utf8)) != nil else {
            return failure
        }
        return .json(["success": true])
    }

    /// `img/delete/route.ts`: datasets or training folder (else 400), an image or audio extension (else
    /// 400 `Not an image`); a missing image is a success; the `.txt` caption goes with it.
    static let deletableExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "gif", "tiff", "webp", "mp4", "mp3", "wav", "flac", "ogg"]
    /// c9843692: images only (`/\.(jpg|jpeg|png|bmp|gif|tiff|webp)$/i`).
    static let deletableExtensionsOfOctober2025: Set<String> = ["jpg", "jpeg", "png", "bmp", "gif", "tiff", "webp"]

    func deleteImage(_ request: HTTPRequest) -> HTTPResponse {
        let failure = HTTPResponse.json(["error": "Failed to create dataset"], status: 500)
        guard let body = request.jsonObject, let path = body["imgPath"]?.stringValue else { return failure }
        let roots = [context.datasetsFolder, context.trainingFolder]
        guard let image = inside(path, roots) else { return .json(["error": "Invalid image path"], status: 400) }
        let deletable = context.version.isOctober2025 ? Self.deletableExtensionsOfOctober2025 : Self.deletableExtensions
        guard deletable.contains(image.pathExtension.lowercased()) else { return .json(["error": "Not an image"], status: 400) }
        guard fileManager.fileExists(atPath: image.path) else { return .json(["success": true]) }
        do { try fileManager.removeItem(at: image) } catch { return failure }
        if let caption = inside(Self.captionPath(for: path, ext: nil), roots), fileManager.fileExists(atPath: caption.path) {
            try? fileManager.removeItem(at: caption)
        }
        return .json(["success": true])
    }

    /// `files/delete/route.ts`: `filePath` percent-decoded first; its errors are plain text.
    func deleteFile(_ request: HTTPRequest) -> HTTPResponse {
        guard let body = request.jsonBody else { return Self.text("Internal Server Error", 500) }
        guard let raw = body["filePath"]?.stringValue, !raw.isEmpty else { return Self.text("filePath is required", 400) }
        // `decodeURIComponent` throws on a malformed escape: the route's catch-all 500.
        guard let decoded = raw.removingPercentEncoding else { return Self.text("Internal Server Error", 500) }
        guard let file = inside(decoded, [context.datasetsFolder, context.trainingFolder]) else { return Self.text("Access denied", 403) }
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: file.path, isDirectory: &isDirectory) else { return Self.text("File not found", 404) }
        guard !isDirectory.boolValue else { return Self.text("Not a file", 400) }
        do { try fileManager.removeItem(at: file) } catch { return Self.text("Internal Server Error", 500) }
        return .json(["success": true])
    }
}
