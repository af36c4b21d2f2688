import Foundation

/// The one reading of flow files behind `discover run` and `discover validate`: every file is parsed
/// with positions, checked against `FlowGrammar` and, when clean, decoded by the grammar's decoders, so
/// the two commands cannot disagree about a file, and both report every problem with its file, line,
/// column and JSON Pointer, not just the first.
public enum FlowPass {
    public struct Outcome: Sendable {
        /// The flows in the order `run` runs them; complete only when there is no error.
        public let flows: [Flow]
        public let diagnostics: [FlowDiagnostic]
    }

    /// What `run` runs for `path`: a folder's `*.flow.json` files in file-name order, or one file after
    /// its prerequisites (each once, in the order named, recursively).
    public static func read(_ path: URL) -> Outcome {
        // Messages name files as the user wrote the path when it is relative to the working folder.
        let relativeToHere = path.baseURL.map { $0.path == FileManager.default.currentDirectoryPath } ?? true
        let root = relativeToHere ? path.relativePath : path.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
            return Outcome(flows: [], diagnostics: [FlowDiagnostic(file: root, line: 0, column: 0, severity: .error, message: "no such file or folder")])
        }
        var loader = FlowFileCache()
        let files: [String]
        if isDirectory.boolValue {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path.path)) ?? [])
                .filter { $0.hasSuffix(FlowLoader.fileSuffix) }.sorted()
            if names.isEmpty {
                let message = "the folder holds no *\(FlowLoader.fileSuffix) file"
                return Outcome(flows: [], diagnostics: [FlowDiagnostic(file: root, line: 0, column: 0, severity: .error, message: message)])
            }
            files = names.map { (root as NSString).appendingPathComponent($0) }
        } else {
            var ordered: [String] = []
            var seen: Set<String> = []
            appendWithPrerequisites(root, into: &ordered, seen: &seen, loader: &loader)
            files = ordered
        }
        // A file's prerequisites lend it their variables through `inherited`, so only a folder's
        // files share variables in file-name order.
        let verdicts =
            isDirectory.boolValue
            ? FlowValidator.checkFolderFiles(files, decodingPrerequisites: false, loader: &loader)
            : files.map { FlowValidator.checkFile($0, folderVariables: [], decodingPrerequisites: false, loader: &loader) }
        return Outcome(flows: verdicts.compactMap(\.flow), diagnostics: verdicts.flatMap(\.diagnostics))
    }

    /// Prerequisites first; a cycle stops here, and the checker reports it on the file that closes it.
    private static func appendWithPrerequisites(_ file: String, into ordered: inout [String], seen: inout Set<String>, loader: inout FlowFileCache) {
        let key = (file as NSString).standardizingPath
        guard seen.insert(key).inserted else { return }
        if let document = try? loader.load(file).get() {
            let directory = (file as NSString).deletingLastPathComponent
            for prerequisite in document.value["prerequisites"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                let target = prerequisite.hasPrefix("/") ? prerequisite : (directory as NSString).appendingPathComponent(prerequisite)
                appendWithPrerequisites(target, into: &ordered, seen: &seen, loader: &loader)
            }
        }
        ordered.append(file)
    }
}

/// The errors that keep `run` from starting: all of them, each with its file, line and column.
public struct FlowPassError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [FlowDiagnostic]

    public var description: String {
        let count = diagnostics.count
        return "\(count) error\(count == 1 ? "" : "s") in the flows; nothing ran:\n" + diagnostics.map(\.description).joined(separator: "\n")
    }
}
