import Foundation
import JSONCore
import Wire

/// `/api/datasets/*` and `/api/zip`.
struct DatasetRoutes: Sendable {
    let context: ReplicaContext
    private var fileManager: FileManager { .default }

    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp", "gif", "bmp", "mp4", "avi", "mov", "mkv", "wmv", "m4v", "flv"]

    func list() -> HTTPResponse {
        let folder = context.datasetsFolder
        try? fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let names = ((try? fileManager.contentsOfDirectory(atPath: folder)) ?? []).filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".") && fileManager.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        return .json(.array(names.sorted().map { .string($0) }))
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

    func delete(_ request: HTTPRequest) -> HTTPResponse {
        guard let name = request.jsonObject?["name"]?.stringValue else {
            return .json(["error": "Failed to delete dataset"], status: 500)
        }
        if let folder = datasetFolder(name) { try? fileManager.removeItem(at: folder) }
        return .json(["success": true])
    }

    func listImages(_ request: HTTPRequest) -> HTTPResponse {
        guard let name = request.jsonObject?["datasetName"]?.stringValue else {
            return .json(["error": "Failed to fetch images"], status: 500)
        }
        var isDirectory: ObjCBool = false
        guard let folder = datasetFolder(name), fileManager.fileExists(atPath: folder.path, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            return .json(["error": .string("Folder '\(name)' not found")], status: 404)
        }
        let images = Self.mediaFiles(under: folder)
        if context.version.listsImagesWithRoot {
            return .json(["root": .string(folder.path + "/"), "images": .array(images.map { .string($0) })])
        }
        return .json(["images": .array(images.map { ["img_path": .string(folder.path + "/" + $0)] })])
    }

    /// Paths relative to `folder`, recursive, sorted; hidden folders (such as `.thumbs`) skipped.
    static func mediaFiles(under folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var found: [String] = []
        let rootLength = folder.standardizedFileURL.path.count + 1
        for case let url as URL in walker where imageExtensions.contains(url.pathExtension.lowercased()) {
            found.append(String(url.standardizedFileURL.path.dropFirst(rootLength)))
        }
        return found.sorted()
    }

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

    func zip(_ request: HTTPRequest) -> HTTPResponse {
        guard let body = request.jsonObject, let target = body["zipTarget"]?.stringValue else {
            return .json(["error": "Invalid zip target"], status: 400)
        }
        var entries: [(name: String, url: URL)] = []
        let archiveName: String
        switch target {
        case "dataset", "dataset_captions":
            guard let name = body["datasetName"]?.stringValue, let folder = datasetFolder(name) else {
                return .json(["error": "Missing datasetName"], status: 400)
            }
            let captionsOnly = target == "dataset_captions"
            let walker = fileManager.enumerator(at: folder, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
            let rootLength = folder.standardizedFileURL.path.count + 1
            while let url = walker?.nextObject() as? URL {
                let relative = String(url.standardizedFileURL.path.dropFirst(rootLength))
                var isDirectory: ObjCBool = false
                guard fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                      ConfinedPath.inside(url.path, roots: [folder.path]) != nil else { continue }
                if captionsOnly, url.pathExtension.lowercased() != "txt" { continue }
                entries.append((relative, url))
            }
            archiveName = captionsOnly ? "\(name)_captions.zip" : "\(name).zip"
        case "samples":
            guard let jobName = body["jobName"]?.stringValue,
                  let folder = ConfinedPath.child(jobName, of: context.trainingFolder)?.appendingPathComponent("samples") else {
                return .json(["error": "Missing jobName"], status: 400)
            }
            for name in ((try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where !name.hasPrefix(".") {
                guard let entry = ConfinedPath.child(name, of: folder.path) else { continue }
                entries.append((name, entry))
            }
            archiveName = "\(jobName)_samples.zip"
        default:
            return .json(["error": "Invalid zip target"], status: 400)
        }
        let zipFolder = context.dataRoot.appendingPathComponent("zips")
        let zipURL = zipFolder.appendingPathComponent(archiveName)
        do {
            try fileManager.createDirectory(at: zipFolder, withIntermediateDirectories: true)
            var archive = StoredZipArchive()
            for entry in entries.sorted(by: { $0.name < $1.name }) {
                archive.add(name: entry.name, bytes: Array(try Data(contentsOf: entry.url)))
            }
            try Data(archive.finish()).write(to: zipURL)
        } catch {
            return .json(["error": "Failed to create zip"], status: 500)
        }
        return .json(["ok": true, "zipPath": .string(zipURL.path), "fileName": .string(archiveName)])
    }

    /// The dataset folder for a name from a request, or nil when the name would leave the datasets folder.
    func datasetFolder(_ name: String) -> URL? {
        ConfinedPath.child(name, of: context.datasetsFolder)
    }
}
