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
            ? checkFolderFiles(files, decodingPrerequisites: false, loader: &loader)
            : files.map { checkFile($0, folderVariables: [], decodingPrerequisites: false, loader: &loader) }
        return Outcome(flows: verdicts.compactMap(\.flow), diagnostics: verdicts.flatMap(\.diagnostics))
    }

    /// What the pass made of one flow file: its findings, and the flow when it has no error.
    struct FileVerdict {
        var diagnostics: [FlowDiagnostic]
        var flow: Flow?
    }

    /// The flow files of one folder in the order they run: variables saved by earlier flows count as
    /// defined for later ones, and names must be unique.
    static func checkFolderFiles(_ files: [String], decodingPrerequisites: Bool = true, loader: inout FlowFileCache) -> [FileVerdict] {
        var verdicts: [FileVerdict] = []
        var earlierVariables: Set<String> = []
        var namesSeen: [String: String] = [:]
        for file in files {
            var verdict = checkFile(file, folderVariables: earlierVariables, decodingPrerequisites: decodingPrerequisites, loader: &loader)
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

    /// The one pass over a flow file that `validate` and `run` share: the checker's findings with their
    /// positions and, when it finds no error, the decoder's flow (or its refusal, positioned). Decoding
    /// the prerequisites too tells a file checked alone what `run` would refuse in them; a run checks
    /// each of them itself, so it decodes every file alone.
    static func checkFile(
        _ file: String, folderVariables: Set<String>, decodingPrerequisites: Bool = true, loader: inout FlowFileCache
    ) -> FileVerdict {
        switch loader.load(file) {
        case .failure(let diagnostic): return FileVerdict(diagnostics: [diagnostic])
        case .success(let document):
            if RecorderImport.isRecording(document.value) { return FileVerdict(diagnostics: RecorderImport.diagnose(document, file: file)) }
            let inherited = loader.inherited(by: file)
            var checker = FlowChecker(
                file: file, document: document,
                inheritedVariables: inherited.variables.union(folderVariables),
                inheritedEnvironment: inherited.environment)
            checker.check()
            var diagnostics = checker.diagnostics + inherited.diagnostics
            var flow: Flow?
            if !diagnostics.hasErrors {
                switch decode(file, document: document, withPrerequisites: decodingPrerequisites) {
                case .success(let decoded): flow = decoded
                case .failure(let refusal): diagnostics.append(refusal)
                }
            }
            diagnostics.sort { ($0.line, $0.column) < ($1.line, $1.column) }
            return FileVerdict(diagnostics: diagnostics, flow: flow)
        }
    }

    /// The file's flow as `run` gets it, or what the decoder refuses that the checks above let through,
    /// at the step it is about.
    private static func decode(_ file: String, document: PositionedJSON, withPrerequisites: Bool) -> Result<Flow, FlowDiagnostic> {
        do {
            let url = URL(fileURLWithPath: file)
            if withPrerequisites, FileManager.default.fileExists(atPath: file), let flow = try FlowLoader.decodeUnchecked(url).last {
                return .success(flow)
            }
            // Text given directly (not on disk) and files decoded alone: from the JSON already parsed.
            return .success(try FlowLoader.decode(document.value, file: url.standardizedFileURL))
        } catch let error as FlowFileError {
            let pointer = error.step.map { PositionedJSON.pointer("/steps", $0 - 1) } ?? (error.message.hasPrefix("`vars") ? "/vars" : "")
            // A problem inside an included file names that file.
            let message = error.file == URL(fileURLWithPath: file).lastPathComponent ? error.message : error.description
            return .failure(FlowDiagnostic(file: file, at: document.position(of: pointer), .error, message, pointer: pointer))
        } catch {
            return .failure(FlowDiagnostic(file: file, line: 1, column: 1, severity: .error, message: "\(error)"))
        }
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
