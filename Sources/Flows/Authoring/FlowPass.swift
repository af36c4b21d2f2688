import Foundation

/// The one reading of flow files behind `discover run` and `discover validate`: every file is parsed
/// with positions and read by `FlowDecoder`, which follows `FlowGrammar`, so the two commands cannot
/// disagree about a file, and both report every problem with its file, line, column and JSON Pointer,
/// not just the first.
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
            ? checkFolderFiles(files, checkingPrerequisites: false, loader: &loader)
            : files.map { checkFile($0, folderVariables: [], checkingPrerequisites: false, loader: &loader) }
        return Outcome(flows: verdicts.compactMap(\.flow), diagnostics: verdicts.flatMap(\.diagnostics))
    }

    /// What the pass made of one flow file: its findings, and the flow when it has no error.
    struct FileVerdict {
        var diagnostics: [FlowDiagnostic]
        var flow: Flow?
    }

    /// The flow files of one folder in the order they run: variables saved by earlier flows count as
    /// defined for later ones, and names must be unique.
    static func checkFolderFiles(_ files: [String], checkingPrerequisites: Bool = true, loader: inout FlowFileCache) -> [FileVerdict] {
        var verdicts: [FileVerdict] = []
        var earlierVariables: Set<String> = []
        var namesSeen: [String: String] = [:]
        for file in files {
            var verdict = checkFile(file, folderVariables: earlierVariables, checkingPrerequisites: checkingPrerequisites, loader: &loader)
            defer { verdicts.append(verdict) }
            guard let document = loader.document(file) else { continue }
            earlierVariables.formUnion(loader.variables(of: file))
            if let name = document.value["name"]?.stringValue {
                if let other = namesSeen[name] {
                    verdict.diagnostics.append(FlowDiagnostic(
                        file: file, at: document.position(of: "/name"), .error,
                        "flow name '\(name)' is also used by \(other); names must be unique in a folder", pointer: "/name"))
                    verdict.flow = nil
                } else {
                    namesSeen[name] = file
                }
            }
        }
        return verdicts
    }

    /// The one pass over a flow file that `validate` and `run` share: `FlowDecoder`'s single walk, which
    /// reports every problem at its value and yields the flow when there is none. Checking the
    /// prerequisites too tells a file checked alone what `run` would refuse in them; a run checks each of
    /// them itself, so it checks every file alone.
    static func checkFile(
        _ file: String, folderVariables: Set<String>, checkingPrerequisites: Bool = true, loader: inout FlowFileCache
    ) -> FileVerdict {
        checkFile(file, folderVariables: folderVariables, prerequisiteChain: checkingPrerequisites ? [] : nil, loader: &loader)
    }

    /// `prerequisiteChain` holds the files whose prerequisites are being checked, outermost first, or
    /// nil when they are not; a cycle among them is the cache's to report.
    private static func checkFile(
        _ file: String, folderVariables: Set<String>, prerequisiteChain chain: [String]?, loader: inout FlowFileCache
    ) -> FileVerdict {
        switch loader.load(file) {
        case .failure(let diagnostic): return FileVerdict(diagnostics: [diagnostic])
        case .success(let document):
            if RecorderImport.isRecording(document.value) { return FileVerdict(diagnostics: RecorderImport.diagnose(document, file: file)) }
            let inherited = loader.inherited(by: file)
            let decoder = FlowDecoder(
                file: file, document: document,
                inheritedVariables: inherited.variables.union(folderVariables),
                inheritedEnvironment: inherited.environment)
            let flow = decoder.decodeFlow(file: URL(fileURLWithPath: file).standardizedFileURL)
            var diagnostics = decoder.diagnostics
            // An include that leads back is found by both the cache and the decoder; say it once.
            for finding in inherited.diagnostics
            where !diagnostics.contains(where: { ($0.line, $0.column, $0.message) == (finding.line, finding.column, finding.message) }) {
                diagnostics.append(finding)
            }
            // A cycle among the prerequisites is reported above; following it would report it again.
            if let chain, inherited.diagnostics.isEmpty {
                diagnostics += prerequisiteRefusals(file, document: document, chain: chain + [file], loader: &loader)
            }
            diagnostics.sort { ($0.line, $0.column) < ($1.line, $1.column) }
            return FileVerdict(diagnostics: diagnostics, flow: diagnostics.hasErrors ? nil : flow)
        }
    }

    /// The first error of each prerequisite (and of theirs), at the prerequisite that brings it in.
    private static func prerequisiteRefusals(_ file: String, document: PositionedJSON, chain: [String], loader: inout FlowFileCache) -> [FlowDiagnostic] {
        let directory = (file as NSString).deletingLastPathComponent
        let visited = Set(chain.map { ($0 as NSString).standardizingPath })
        var refusals: [FlowDiagnostic] = []
        for (index, item) in (document.value["prerequisites"]?.arrayValue ?? []).enumerated() {
            guard let path = item.stringValue, !path.contains("${") else { continue }
            let target = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
            guard !visited.contains((target as NSString).standardizingPath), FileManager.default.fileExists(atPath: target) else { continue }
            let verdict = checkFile(target, folderVariables: [], prerequisiteChain: chain, loader: &loader)
            guard let first = verdict.diagnostics.first(where: { $0.severity == .error }) else { continue }
            let pointer = PositionedJSON.pointer("/prerequisites", index)
            refusals.append(FlowDiagnostic(file: file, at: document.position(of: pointer), .error, "prerequisite '\(path)' does not load: \(first.line > 0 ? "\(first.file):\(first.line):\(first.column)" : first.file): \(first.message)", pointer: pointer))
        }
        return refusals
    }

    /// Prerequisites first; a cycle stops here, and `FlowFileCache` reports it on the file that closes it.
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
