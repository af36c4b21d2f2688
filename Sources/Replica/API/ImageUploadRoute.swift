import Foundation
import JSONCore
import HTTPServer
import Wire

/// `POST /api/img/upload` (`img/upload/route.ts`), the sample control images' upload: each `files` part
/// saved as `<data root>/images/<uuid>.<ext>`, answered with the absolute paths. Public, like everything
/// under `/api/img/`.
struct ImageUploadRoute: Sendable {
    let context: ReplicaContext

    func upload(_ request: HTTPRequest) -> HTTPResponse {
        let failure = HTTPResponse.json(["error": "Error uploading files"], status: 500)
        guard let parts = try? MultipartFormData.parse(request) else { return failure }
        let files = parts.filter { $0.name == "files" }
        guard !files.isEmpty else { return .json(["error": "No files provided"], status: 400) }
        let folder = context.dataRoot.appendingPathComponent("images")
        var saved: [JSON] = []
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in files {
                // `file.name.split('.').pop() || 'jpg'`: the whole name when it has no dot.
                let name = file.filename ?? "blob"
                let ext = name.split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) ?? ""
                // The real join would follow a `/` in the extension out of the folder; the replica refuses.
                guard let target = ConfinedPath.child("\(UUID().uuidString.lowercased()).\(ext.isEmpty ? "jpg" : ext)", of: folder.path) else {
                    return failure
                }
                try Data(file.body).write(to: target)
                saved.append(.string(target.path))
            }
        } catch {
            return failure
        }
        return .json(["message": "Files uploaded successfully", "files": .array(saved)])
    }
}
