import Foundation
import HTTPServer
import Wire

/// GET `/api/img/*` and `/api/files/*` at c9843692, before the file server: the Next routes
/// `img/[...imagePath]/route.ts` and `files/[...filePath]/route.ts`. The UI of then sends the whole
/// absolute path as one encoded segment; the routes `decodeURIComponent` the catch-all array, whose
/// string form joins segments with `,`, so the later `<folder>/<file>` form is not found.
extension FileRoutes {
    /// The content types both routes knew then (no audio yet).
    static let contentTypesOfOctober2025 = contentTypes.filter { !["mp3", "wav", "flac", "ogg"].contains($0.key) }

    /// The files route cut an open-ended range (`bytes=a-`) to 10 MB chunks.
    static let openRangeChunk = 10 * 1024 * 1024

    func serveByNextRoute(_ request: HTTPRequest, segments: [String]) -> HTTPResponse {
        let isImage = request.rawPath.hasPrefix("/api/img/")
        let joined = segments.joined(separator: ",")
        let path = joined.removingPercentEncoding ?? joined
        var roots = [context.datasetsFolder, context.trainingFolder]
        if isImage { roots.append(context.dataRoot.path) }
        // `startsWith(allowedDir) && !includes('..')`; the replica also resolves symlinks (ConfinedPath).
        guard !path.contains(".."), let url = ConfinedPath.inside(path, roots: roots) else {
            return .text("Access denied", status: 403, contentType: "text/plain")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            return .text("File not found", status: 404, contentType: "text/plain")
        }
        guard !isDirectory.boolValue, let bytes = try? Array(Data(contentsOf: url)) else {
            return .text("Not a file", status: 400, contentType: "text/plain")
        }
        var headers = HTTPHeaders()
        headers.add("Content-Type", Self.contentTypesOfOctober2025[url.pathExtension.lowercased()] ?? "application/octet-stream")
        guard !isImage else {
            // The whole file, no Range, no ETag.
            headers.add("Cache-Control", "public, max-age=86400")
            return HTTPResponse(status: 200, headers: headers, bytes: bytes)
        }
        headers.add("Accept-Ranges", "bytes")
        headers.add("Cache-Control", "public, max-age=86400")
        headers.add("Content-Disposition", "attachment; filename=\"\(Self.encodeURIComponent(url.lastPathComponent))\"")
        headers.add("X-Content-Type-Options", "nosniff")
        var range = request.headers["Range"]
        if let open = range, open.hasSuffix("-"), let start = Int(open.replacingOccurrences(of: "bytes=", with: "").dropLast()) {
            range = "bytes=\(start)-\(min(start + Self.openRangeChunk, bytes.count - 1))"
        }
        return Self.rangeResponse(bytes, rangeHeader: range, headers: headers)
    }
}
