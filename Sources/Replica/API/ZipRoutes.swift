import Foundation
import JSONCore
import HTTPServer

/// `POST /api/zip` (`zip/route.ts`): a dataset, its captions or a job's samples packed where
/// `/api/files` can serve them, answered `{ok, zipPath, fileName}`.
struct ZipRoutes: Sendable {
    let context: ReplicaContext
    private var fileManager: FileManager { .default }

    static let captionExtensions: Set<String> = ["txt", "json", "caption"]

    func zip(_ request: HTTPRequest) -> HTTPResponse {
        // Anything thrown in the route (a body that is not JSON, say) is a plain-text 500.
        let internalError = HTTPResponse.text("Internal Server Error", status: 500, contentType: "text/plain;charset=UTF-8")
        guard let body = request.jsonBody else { return internalError }
        let target = body["zipTarget"]?.stringValue
        // c9843692 zips samples only: every target is the samples one there.
        if target == "dataset" || target == "dataset_captions", !context.version.isOctober2025 {
            guard let name = body["datasetName"]?.stringValue, !name.isEmpty else {
                return .json(["error": "datasetName is required"], status: 400)
            }
            return zipDataset(name, captionsOnly: target == "dataset_captions") ?? internalError
        }
        // Any other target is the samples one.
        guard let jobName = body["jobName"]?.stringValue, !jobName.isEmpty else {
            return .json(["error": "jobName is required"], status: 400)
        }
        // `realpath` of a missing samples folder throws, and that is the route's catch-all 500.
        guard let jobFolder = ConfinedPath.child(jobName, of: context.trainingFolder), isDirectory(jobFolder.appendingPathComponent("samples")) else {
            return internalError
        }
        let folder = jobFolder.appendingPathComponent("samples")
        let entries = files(under: folder, skippingHidden: false).map { ("samples/" + $0, folder.appendingPathComponent($0)) }
        return write(entries, to: jobFolder.appendingPathComponent("samples.zip")) ?? internalError
    }

    /// `<datasets>/.zips/<name>_dataset.zip` or `_captions.zip` (a hidden folder: the dataset list skips it
    /// and `/api/files` serves it), entries under `<name>/`; 404 when the folder or its files are missing.
    private func zipDataset(_ requested: String, captionsOnly: Bool) -> HTTPResponse? {
        // `path.basename` keeps the name inside the datasets folder.
        let name = URL(fileURLWithPath: requested).lastPathComponent
        guard let folder = ConfinedPath.child(name, of: context.datasetsFolder), fileManager.fileExists(atPath: folder.path) else {
            return .json(["error": .string("Dataset '\(requested)' not found")], status: 404)
        }
        let entries = files(under: folder, skippingHidden: true)
            .filter { !captionsOnly || Self.captionExtensions.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) }
            .map { (name + "/" + $0, folder.appendingPathComponent($0)) }
        guard !entries.isEmpty else {
            return .json(["error": .string(captionsOnly ? "No captions found" : "Dataset is empty")], status: 404)
        }
        let zips = URL(fileURLWithPath: context.datasetsFolder).appendingPathComponent(".zips")
        return write(entries, to: zips.appendingPathComponent("\(name)_\(captionsOnly ? "captions" : "dataset").zip"))
    }

    /// Regular files below `folder` (relative paths), symlinks left out as the real walkers leave them.
    private func files(under folder: URL, skippingHidden: Bool) -> [String] {
        var found: [String] = []
        func walk(_ directory: URL, _ relative: String) {
            for name in ((try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? []).sorted() {
                if skippingHidden, name.hasPrefix(".") { continue }
                let url = directory.appendingPathComponent(name)
                let type = (try? fileManager.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
                if type == .typeDirectory { walk(url, relative + name + "/") } else if type == .typeRegular { found.append(relative + name) }
            }
        }
        walk(folder, "")
        return found
    }

    private func write(_ entries: [(name: String, url: URL)], to zipURL: URL) -> HTTPResponse? {
        do {
            try fileManager.createDirectory(at: zipURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            var archive = StoredZipArchive()
            for entry in entries { archive.add(name: entry.name, bytes: Array(try Data(contentsOf: entry.url))) }
            try? fileManager.removeItem(at: zipURL)
            try Data(archive.finish()).write(to: zipURL)
        } catch {
            return nil
        }
        return .json(["ok": true, "zipPath": .string(zipURL.path), "fileName": .string(zipURL.lastPathComponent)])
    }

    private func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
