import Foundation
import JSONCore

/// Reads flow files. A folder runs its `*.flow.json` files in file-name order; a single file runs its
/// prerequisites first (each once, in the order named, recursively).
public enum FlowLoader {
    public static let fileSuffix = ".flow.json"

    /// The flows to run for a folder or a single file, read by the same pass as `discover validate`
    /// (`FlowPass`): when any of their files has an error, throws `FlowPassError` with every error.
    public static func load(_ path: URL) throws -> [Flow] {
        let outcome = FlowPass.read(path)
        if outcome.diagnostics.hasErrors { throw FlowPassError(diagnostics: outcome.diagnostics.filter { $0.severity == .error }) }
        return outcome.flows
    }

    /// One file, its `include` steps loaded, its prerequisites only named: read like `decode`, without
    /// the checks that need the flow's neighbours; throws the first refusal as a `FlowFileError`.
    public static func loadFile(_ url: URL) throws -> Flow {
        try FlowDecoder.decodeFile(url)
    }

    /// A flow from JSON already in memory; `file` anchors relative paths. Its `${…}` references and the
    /// files it names are left to `validate`; the first refusal is thrown as a `FlowFileError`.
    public static func decode(_ json: JSON, file: URL?) throws -> Flow {
        try FlowDecoder.decode(json, file: file)
    }
}

extension FlowLoader {
    /// A path as written in a flow file, relative to that file's folder.
    static func resolve(_ path: String, relativeTo file: URL?) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        let base = file?.deletingLastPathComponent() ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return base.appendingPathComponent(path).standardizedFileURL
    }
}
