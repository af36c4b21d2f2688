import Foundation

/// Paths in the repository, found from this file so tests need no bundled resources.
enum AuthoringPaths {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let flows = repository.appendingPathComponent("flows")
    static let aiToolkit = flows.appendingPathComponent("ai-toolkit")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A fresh folder for files a test writes; removed by the caller with `FileManager.removeItem`.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flows-authoring-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
