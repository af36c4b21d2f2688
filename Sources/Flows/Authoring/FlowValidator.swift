import Foundation
import JSONCore

/// `discover validate`: checks flow files and flows folders without a browser. Every finding names the
/// file, line and column.
public enum FlowValidator {
    /// Files and folders (searched recursively for `*.flow.json`). In a folder, flows run in file-name
    /// order, so variables saved by earlier flows count as defined for later ones.
    public static func validate(paths: [String]) -> [FlowDiagnostic] {
        var loader = FlowFileCache()
        var diagnostics: [FlowDiagnostic] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.append(FlowDiagnostic(file: path, line: 0, column: 0, severity: .error, message: "no such file or folder"))
                continue
            }
            if isDirectory.boolValue {
                diagnostics += validateFolder(path, loader: &loader)
            } else {
                diagnostics += validateFile(path, folderVariables: [], loader: &loader)
            }
        }
        return diagnostics
    }

    /// One flow file's text, as if it were stored at `file` (relative paths in it resolve from there).
    public static func validate(text: String, file: String) -> [FlowDiagnostic] {
        var loader = FlowFileCache()
        loader.store(text: text, file: file)
        return validateFile(file, folderVariables: [], loader: &loader)
    }

    private static func validateFolder(_ folder: String, loader: inout FlowFileCache) -> [FlowDiagnostic] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var byFolder: [String: [String]] = [:]
        var others: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let path = (folder as NSString).appendingPathComponent(relative)
            let name = (relative as NSString).lastPathComponent
            if name.hasSuffix(".flow.json") {
                byFolder[(path as NSString).deletingLastPathComponent, default: []].append(path)
            } else if name == "manual-endpoints.json" || name == "templates.json" || name == FolderSettings.fileName {
                others.append(path)
            }
        }
        var diagnostics: [FlowDiagnostic] = []
        for directory in byFolder.keys.sorted() {
            let files = byFolder[directory, default: []].sorted { ($0 as NSString).lastPathComponent < ($1 as NSString).lastPathComponent }
            diagnostics += checkFolderFiles(files, loader: &loader).flatMap(\.diagnostics)
        }
        for file in others.sorted() { diagnostics += CompanionFileChecker.check(file) }
        return diagnostics
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

    private static func validateFile(_ file: String, folderVariables: Set<String>, loader: inout FlowFileCache) -> [FlowDiagnostic] {
        checkFile(file, folderVariables: folderVariables, loader: &loader).diagnostics
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
}

extension FlowValidator {
    /// The file's flow as `run` gets it, or what the decoder refuses that the checks above let through,
    /// at the step it is about.
    fileprivate static func decode(_ file: String, document: PositionedJSON, withPrerequisites: Bool) -> Result<Flow, FlowDiagnostic> {
        do {
            let url = URL(fileURLWithPath: file)
            // Text given directly (not on disk) is decoded alone.
            guard FileManager.default.fileExists(atPath: file) else { return .success(try FlowLoader.decode(document.value, file: url)) }
            if withPrerequisites, let flow = try FlowLoader.decodeUnchecked(url).last { return .success(flow) }
            return .success(try FlowLoader.loadFile(url))
        } catch let error as FlowFileError {
            let pointer = error.step.map { PositionedJSON.pointer("/steps", $0 - 1) } ?? (error.message.hasPrefix("`vars") ? "/vars" : "")
            // A problem inside an included file names that file.
            let message = error.file == URL(fileURLWithPath: file).lastPathComponent ? error.message : error.description
            return .failure(FlowDiagnostic(file: file, at: document.position(of: pointer), .error, message, pointer: pointer))
        } catch {
            return .failure(FlowDiagnostic(file: file, line: 1, column: 1, severity: .error, message: "\(error)"))
        }
    }
}

/// Parsed flow files by path, and what a flow inherits from its prerequisites and includes.
struct FlowFileCache {
    private var texts: [String: String] = [:]
    private var documents: [String: Result<PositionedJSON, FlowDiagnostic>] = [:]

    mutating func store(text: String, file: String) { texts[file] = text }

    mutating func load(_ file: String) -> Result<PositionedJSON, FlowDiagnostic> {
        if let cached = documents[file] { return cached }
        let result: Result<PositionedJSON, FlowDiagnostic>
        let text: String
        if let stored = texts[file] {
            text = stored
        } else {
            do throws(FlowFileError) {
                text = String(decoding: try FlowFileReader.read(file), as: UTF8.self)
            } catch {
                let failure = FlowDiagnostic(file: file, line: 0, column: 0, severity: .error, message: error.message)
                documents[file] = .failure(failure)
                return .failure(failure)
            }
        }
        do throws(JSONParseError) {
            result = .success(try PositionedJSON.parse(text))
        } catch {
            result = .failure(FlowDiagnostic(file: file, line: error.line, column: error.column, severity: .error, message: "invalid JSON: \(error.message)"))
        }
        documents[file] = result
        return result
    }

    func document(_ file: String) -> PositionedJSON? { try? documents[file]?.get() }

    func variables(of file: String) -> Set<String> {
        document(file).map { FlowChecker.definedVariables(in: $0.value) } ?? []
    }

    struct Inheritance {
        var variables: Set<String> = []
        var environment: Set<String> = []
        var diagnostics: [FlowDiagnostic] = []
    }

    /// Variables and environment of the prerequisites and includes of `file`, transitively; a cycle is an error.
    mutating func inherited(by file: String) -> Inheritance {
        var inheritance = Inheritance()
        guard let root = try? load(file).get() else { return inheritance }
        let rootKey = standardized(file)
        var visited: Set<String> = [rootKey]
        let directory = (file as NSString).deletingLastPathComponent
        for (pointer, path) in Self.referencedFlows(in: root.value) {
            let target = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
            if standardized(target) == rootKey || reaches(rootKey, from: target, seen: [rootKey]) {
                inheritance.diagnostics.append(FlowDiagnostic(
                    file: file, at: root.position(of: pointer), .error,
                    "'\(path)' leads back to this flow: prerequisites and includes must not form a cycle"))
            }
            collect(from: target, into: &inheritance, visited: &visited)
        }
        return inheritance
    }

    private mutating func collect(from file: String, into inheritance: inout Inheritance, visited: inout Set<String>) {
        guard visited.insert(standardized(file)).inserted, let document = try? load(file).get() else { return }
        inheritance.variables.formUnion(FlowChecker.definedVariables(in: document.value))
        inheritance.environment.formUnion(FlowChecker.requiredEnvironment(in: document.value))
        let directory = (file as NSString).deletingLastPathComponent
        for (_, path) in Self.referencedFlows(in: document.value) {
            collect(from: path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path), into: &inheritance, visited: &visited)
        }
    }

    private mutating func reaches(_ goal: String, from file: String, seen: Set<String>) -> Bool {
        let key = standardized(file)
        guard !seen.contains(key), let document = try? load(file).get() else { return false }
        let directory = (file as NSString).deletingLastPathComponent
        for (_, path) in Self.referencedFlows(in: document.value) {
            let target = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
            if standardized(target) == goal || reaches(goal, from: target, seen: seen.union([key])) { return true }
        }
        return false
    }

    static func referencedFlows(in flow: JSON) -> [(pointer: String, path: String)] {
        var references: [(String, String)] = []
        for (index, item) in (flow["prerequisites"]?.arrayValue ?? []).enumerated() {
            if let path = item.stringValue { references.append(("/prerequisites/\(index)", path)) }
        }
        for (index, step) in (flow["steps"]?.arrayValue ?? []).enumerated() {
            if let path = step["include"]?.stringValue { references.append(("/steps/\(index)/include", path)) }
        }
        return references.filter { !$0.1.contains("${") }
    }

    private func standardized(_ path: String) -> String { (path as NSString).standardizingPath }
}
