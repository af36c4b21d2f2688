import Foundation
import JSONCore

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
        document(file).map { FlowDecoder.definedVariables(in: $0.value) } ?? []
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
        inheritance.variables.formUnion(FlowDecoder.definedVariables(in: document.value))
        inheritance.environment.formUnion(FlowDecoder.requiredEnvironment(in: document.value))
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
