import Foundation
import JSONCore
import HTTPServer
import Wire

/// `/api/datasets/*`.
struct DatasetRoutes: Sendable {
    let context: ReplicaContext
    private var fileManager: FileManager { .default }

    /// `findImagesRecursively` in `datasets/listImages/route.ts`.
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "webp", "mp4", "avi", "mov", "mkv", "wmv", "m4v", "flv", "mp3", "wav", "flac", "ogg"]

    /// `datasets/list/route.ts`: the folders, hidden ones left out, in directory (readdir) order, unsorted.
    func list() -> HTTPResponse {
        let folder = context.datasetsFolder
        try? fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let names = ((try? fileManager.contentsOfDirectory(atPath: folder)) ?? []).filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".") && fileManager.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        return .json(.array(names.map { .string($0) }))
    }

    /// Lowercased, every run of characters outside `[a-z0-9]` replaced by one `_`.
    static func sanitizedDatasetName(_ name: String) -> String {
        var result = ""
        var inRun = false
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                result.unicodeScalars.append(scalar)
                inRun = false
            } else if !inRun {
                result += "_"
                inRun = true
            }
        }
        return result
    }

    /// `datasets/create/route.tsx`.
    func create(_ request: HTTPRequest) -> HTTPResponse {
        guard let name = request.jsonObject?["name"]?.stringValue else {
            return .json(["error": "Failed to create dataset"], status: 500)
        }
        let sanitized = Self.sanitizedDatasetName(name)
        do {
            // Sanitized to `[a-z0-9_]`, so only a symlink could lead it elsewhere.
            guard let folder = ConfinedPath.child(sanitized, of: context.datasetsFolder) else { throw CocoaError(.fileWriteNoPermission) }
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            return .json(["error": "Failed to create dataset"], status: 500)
        }
        return .json(["success": true, "name": .string(sanitized)])
    }

    /// `datasets/delete/route.tsx`.
    func delete(_ request: HTTPRequest) -> HTTPResponse {
        guard let name = request.jsonObject?["name"]?.stringValue else {
            return .json(["error": "Failed to delete dataset"], status: 500)
        }
        if let folder = datasetFolder(name) { try? fileManager.removeItem(at: folder) }
        return .json(["success": true])
    }

    /// `datasets/listImages/route.ts`: `{root, images}`, compressed as the client accepts (brotli first,
    /// then gzip). c9843692: `{images: [{img_path}]}`, uncompressed, in the order its walk found them.
    func listImages(_ request: HTTPRequest) -> HTTPResponse {
        // A body that is not JSON, or no name, throws before the route's try: a bare 500.
        guard let name = request.jsonObject?["datasetName"]?.stringValue else { return JobRoutes.unhandledError }
        guard let folder = datasetFolder(name), fileManager.fileExists(atPath: folder.path) else {
            return .json(["error": .string("Folder '\(name)' not found")], status: 404)
        }
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .json(["error": "Failed to process request"], status: 500)
        }
        guard !context.version.isOctober2025 else {
            let images = Self.mediaFilesOfOctober2025(under: folder.standardizedFileURL.path)
            return .json(["images": .array(images.map { ["img_path": .string($0)] })])
        }
        let images = Self.mediaFiles(under: folder)
        let json = JSON.object(["root": .string(folder.path + "/"), "images": .array(images.map { .string($0) })])
        return ContentEncoding.compressed(Array(json.serialized().utf8), contentType: "application/json",
                                          acceptEncoding: request.headers["Accept-Encoding"] ?? "")
    }

    /// Paths relative to `folder`, recursive, hidden entries and `_controls` folders skipped, in the
    /// order JavaScript's `localeCompare` gives the absolute paths.
    static func mediaFiles(under folder: URL) -> [String] {
        let root = folder.standardizedFileURL.path
        var found: [String] = []
        func walk(_ directory: String, _ relative: String) {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !name.hasPrefix(".") {
                let path = directory + "/" + name
                // The entry's own type, as `readdir(withFileTypes)` gives it: a symlink is neither a
                // folder nor a file there, so it is skipped.
                let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
                if type == .typeDirectory {
                    if name != "_controls" { walk(path, relative + name + "/") }
                } else if type == .typeRegular, imageExtensions.contains(URL(fileURLWithPath: name).pathExtension.lowercased()) {
                    found.append(relative + name)
                }
            }
        }
        walk(root, "")
        return found.sorted { LocaleOrder.precedes(root + "/" + $0, root + "/" + $1) }
    }

    /// c9843692's `findImagesRecursively`: absolute paths in `readdir` order, each folder's files where
    /// the folder stands; `statSync` follows symlinks; hidden and `_controls` folders skipped, but hidden
    /// files kept; no audio extensions yet.
    static func mediaFilesOfOctober2025(under directory: String) -> [String] {
        var found: [String] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue, name != "_controls", !name.hasPrefix(".") {
                found += mediaFilesOfOctober2025(under: path)
            } else if imageExtensionsOfOctober2025.contains(URL(fileURLWithPath: name).pathExtension.lowercased()) {
                found.append(path)
            }
        }
        return found
    }

    static let imageExtensionsOfOctober2025 = imageExtensions.subtracting(["mp3", "wav", "flac", "ogg"])

    /// `datasets/upload/route.ts`.
    func upload(_ request: HTTPRequest) -> HTTPResponse {
        let parts: [FormDataPart]
        do {
            parts = try MultipartFormData.parse(request)
        } catch {
            return .json(["error": "Error uploading files"], status: 500)
        }
        let files = parts.filter { $0.name == "files" && $0.filename != nil }
        guard !files.isEmpty else { return .json(["error": "No files provided"], status: 400) }
        guard let datasetName = parts.first(where: { $0.name == "datasetName" })?.text,
              let folder = datasetFolder(datasetName) else {
            return .json(["error": "Error uploading files"], status: 500)
        }
        var saved: [JSON] = []
        do {
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in files {
                // Sanitized to `[a-zA-Z0-9.-]`, which still allows `..`.
                let name = Self.sanitizedFileName(file.filename ?? "file")
                guard let target = ConfinedPath.child(name, of: folder.path) else { throw CocoaError(.fileWriteInvalidFileName) }
                try Data(file.body).write(to: target)
                saved.append(.string(name))
            }
        } catch {
            return .json(["error": "Error uploading files"], status: 500)
        }
        return .json(["message": "Files uploaded successfully", "files": .array(saved)])
    }

    /// Every UTF-16 code unit outside `[a-zA-Z0-9.-]` becomes `_`, as the JavaScript regex replace does
    /// (so a character outside the BMP becomes two).
    static func sanitizedFileName(_ name: String) -> String {
        String(name.utf16.map { unit -> Character in
            let allowed = (0x61...0x7A).contains(unit) || (0x41...0x5A).contains(unit) || (0x30...0x39).contains(unit)
                || unit == 0x2E || unit == 0x2D
            return allowed ? Character(Unicode.Scalar(UInt8(unit))) : "_"
        })
    }

    /// The dataset folder for a name from a request, or nil when the name would leave the datasets folder.
    func datasetFolder(_ name: String) -> URL? {
        ConfinedPath.child(name, of: context.datasetsFolder)
    }
}
