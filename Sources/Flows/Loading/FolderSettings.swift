import Foundation
import JSONCore

/// `folder.json` in a flows folder: how the folder's flows may run. `{"parallel": true}` says the
/// flows whose prerequisite chains share no flow may run side by side, each chain in a browser context
/// of its own (its own cookies and storage: a chain that needs a login logs in itself, with an
/// `include` step rather than a shared prerequisite).
public struct FolderSettings: Sendable, Equatable {
    public static let fileName = "folder.json"
    public static let keys = ["parallel"]

    public var parallel = false

    public init(parallel: Bool = false) {
        self.parallel = parallel
    }

    /// The settings of the folder `path` is (a file's run has none).
    public static func load(_ path: URL) throws -> FolderSettings {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory), isDirectory.boolValue else { return FolderSettings() }
        let file = path.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return FolderSettings() }
        let json: JSON
        do {
            json = try JSON.parse(bytes: [UInt8](Data(contentsOf: file)))
        } catch {
            throw FlowFileError(file: file.path, message: "invalid JSON: \(error)")
        }
        guard let object = json.objectValue else { throw FlowFileError(file: file.path, message: "holds an object: {\"parallel\": true}") }
        if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
            throw FlowFileError(file: file.path, message: "unknown key `\(unknown)` (known: \(keys.joined(separator: ", ")))")
        }
        var settings = FolderSettings()
        if let value = object["parallel"] {
            guard let parallel = value.boolValue else { throw FlowFileError(file: file.path, message: "`parallel` is true or false") }
            settings.parallel = parallel
        }
        return settings
    }
}
