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

    /// The decoder alone over a folder or a file with its prerequisites; the pass checks first.
    static func decodeUnchecked(_ path: URL) throws -> [Flow] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
            throw FlowFileError(file: path.path, message: "no such file or folder")
        }
        if isDirectory.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: path.path)
                .filter { $0.hasSuffix(fileSuffix) }
                .sorted()
            if names.isEmpty { throw FlowFileError(file: path.path, message: "the folder holds no *\(fileSuffix) file") }
            return try names.map { try loadFile(path.appendingPathComponent($0)) }
        }
        var ordered: [Flow] = []
        var seen: Set<String> = []
        try appendWithPrerequisites(path.standardizedFileURL, into: &ordered, seen: &seen, chain: [])
        return ordered
    }

    /// One file, its `include` steps loaded, its prerequisites only named.
    public static func loadFile(_ url: URL) throws -> Flow {
        try loadFile(url.standardizedFileURL, includeChain: [])
    }

    /// A flow from JSON already in memory; `file` anchors relative paths.
    public static func decode(_ json: JSON, file: URL?) throws -> Flow {
        try decoder(for: file, includeChain: file.map { [$0.path] } ?? []).decodeFlow(json, file: file)
    }

    private static func loadFile(_ url: URL, includeChain: [String]) throws -> Flow {
        let bytes = try FlowFileReader.read(url.path)
        let json: JSON
        do {
            json = try JSON.parse(bytes: bytes)
        } catch {
            throw FlowFileError(file: url.lastPathComponent, message: "\(error.line):\(error.column): \(error.message)")
        }
        return try decoder(for: url, includeChain: includeChain + [url.path]).decodeFlow(json, file: url)
    }

    private static func decoder(for file: URL?, includeChain: [String]) -> FlowDecoder {
        FlowDecoder(loadInclude: { path in
            let target = resolve(path, relativeTo: file)
            if includeChain.contains(target.path) {
                throw FlowValueError("`include` of \(path) forms a cycle: \((includeChain + [target.path]).map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " -> "))")
            }
            return try loadFile(target, includeChain: includeChain)
        })
    }

    private static func appendWithPrerequisites(_ url: URL, into ordered: inout [Flow], seen: inout Set<String>, chain: [String]) throws {
        if seen.contains(url.path) { return }
        if chain.contains(url.path) {
            throw FlowFileError(file: url.lastPathComponent, message: "prerequisites form a cycle: \((chain + [url.path]).map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " -> "))")
        }
        let flow = try loadFile(url)
        for prerequisite in flow.prerequisites {
            try appendWithPrerequisites(resolve(prerequisite, relativeTo: url), into: &ordered, seen: &seen, chain: chain + [url.path])
        }
        seen.insert(url.path)
        ordered.append(flow)
    }

    /// A path as written in a flow file, relative to that file's folder.
    static func resolve(_ path: String, relativeTo file: URL?) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        let base = file?.deletingLastPathComponent() ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return base.appendingPathComponent(path).standardizedFileURL
    }
}
