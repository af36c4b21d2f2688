import Foundation
import Recording

/// Chromium saves a download under its GUID (`allowAndName`); this gives it its suggested name,
/// unique in the folder (`model (1).safetensors`), and hashes it. The GUID stays behind as a symbolic
/// link to the named file, so whoever learned the GUID path from the same events (the flow runner's
/// `download` step) still finds the file.
enum DownloadFiles {
    struct Saved {
        var name: String
        var size: Int
        var sha256: String
        /// A flow secret was in the file and is replaced by its marker; size and SHA-256 are of the file as saved.
        var redacted: Bool
    }

    /// The redactor keeps flow secrets out of the file's name and its contents.
    static func save(guid: String, suggestedFilename: String, in folder: URL, redactor: Redactor) throws -> Saved {
        let source = folder.appendingPathComponent(guid)
        let name = uniqueName(for: sanitized(redactor.redactLiterals(suggestedFilename)), in: folder)
        let destination = folder.appendingPathComponent(name)
        try FileManager.default.moveItem(at: source, to: destination)
        try? FileManager.default.createSymbolicLink(atPath: source.path, withDestinationPath: name)
        let file = try redactor.redactFile(at: destination)
        return Saved(name: name, size: file.size, sha256: file.sha256, redacted: file.redacted)
    }

    static func sanitized(_ name: String) -> String {
        let cleaned = name.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "\0", with: "")
        return cleaned.isEmpty || cleaned == "." || cleaned == ".." ? "download" : cleaned
    }

    static func uniqueName(for name: String, in folder: URL) -> String {
        let manager = FileManager.default
        if !manager.fileExists(atPath: folder.appendingPathComponent(name).path) { return name }
        let url = URL(fileURLWithPath: name)
        let ext = url.pathExtension
        let stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
        var counter = 1
        while true {
            let candidate = ext.isEmpty ? "\(stem) (\(counter))" : "\(stem) (\(counter)).\(ext)"
            if !manager.fileExists(atPath: folder.appendingPathComponent(candidate).path) { return candidate }
            counter += 1
        }
    }
}
