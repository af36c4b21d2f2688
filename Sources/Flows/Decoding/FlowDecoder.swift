import Foundation
import JSONCore

/// The one reading of a flow file behind `run` and `validate`: a single walk over its positioned JSON
/// that builds the `Flow` and reports every problem at the value it is about (file, line, column, JSON
/// Pointer). Each value is read by the function for its `FlowGrammar.Shape`; a refused value reads as a
/// placeholder so the walk goes on to find the rest, and the flow is only handed out when nothing was
/// refused. Cross-file facts (variables saved by prerequisites or earlier flows in the folder) arrive
/// as `inheritedVariables` and `inheritedEnvironment`.
final class FlowDecoder {
    typealias Shape = FlowGrammar.Shape

    /// What the decoder looks at beyond the document itself.
    struct Reach: OptionSet {
        let rawValue: Int
        /// `${…}` references and the variables they name: only meaningful with the flow's neighbours known.
        static let references = Reach(rawValue: 1)
        /// That files the flow names (upload globs, included and prerequisite flows) exist on disk.
        static let files = Reach(rawValue: 2)
        /// `include` steps read the other file; a lone step decoded again after interpolation has none.
        static let includes = Reach(rawValue: 4)
        static let all: Reach = [.references, .files, .includes]
    }

    /// A day: also keeps `1e999999` (infinity) from trapping the conversion to a `Duration`.
    static let maximumTimeoutMilliseconds = 86_400_000

    let file: String
    let directory: String
    let document: PositionedJSON
    let reach: Reach
    let inheritedEnvironment: Set<String>
    /// The files being decoded, outermost first, so an include that leads back is refused, not followed.
    let includeChain: [String]
    /// Variables a `${vars.NAME}` may name: defaults, values saved by steps, and inherited ones. Worked
    /// out once: per string it made a 50,000-step flow take minutes.
    let knownVariables: Set<String>
    /// `requires` and the inherited environment, once.
    let requiredEnvironment: Set<String>
    private(set) var diagnostics: [FlowDiagnostic] = []
    private(set) var errorCount = 0

    init(
        file: String, document: PositionedJSON, reach: Reach = .all, inheritedVariables: Set<String> = [],
        inheritedEnvironment: Set<String> = [], includeChain: [String]? = nil
    ) {
        self.file = file
        self.directory = (file as NSString).deletingLastPathComponent
        self.document = document
        self.reach = reach
        self.inheritedEnvironment = inheritedEnvironment
        self.includeChain = includeChain ?? [(file as NSString).standardizingPath]
        knownVariables = inheritedVariables.union(Self.definedVariables(in: document.value))
        requiredEnvironment = Self.requiredEnvironment(in: document.value).union(inheritedEnvironment)
    }

    // MARK: Reporting

    func report(_ severity: FlowDiagnostic.Severity, at position: SourcePosition, _ message: String, pointer: String) {
        diagnostics.append(FlowDiagnostic(file: file, at: position, severity, message, pointer: pointer))
        if severity == .error { errorCount += 1 }
    }

    func error(_ pointer: String, _ message: String) {
        report(.error, at: document.position(of: pointer), message, pointer: pointer)
    }

    func keyError(_ pointer: String, _ message: String) {
        report(.error, at: document.keyPosition(of: pointer), message, pointer: pointer)
    }

    func warning(_ pointer: String, _ message: String) {
        report(.warning, at: document.position(of: pointer), message, pointer: pointer)
    }

    var firstError: FlowDiagnostic? { diagnostics.first { $0.severity == .error } }

    func describe(_ value: JSON) -> String {
        switch value {
        case .string(let text): return "the string \"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
        case .null: return "null"
        default: return "\(article(value.typeName)) \(value.typeName)"
        }
    }

    func article(_ word: String) -> String { "aeiou".contains(word.first ?? "x") ? "an" : "a" }

    /// Members in file order, so messages come out in reading order (by key where there are no positions).
    func members(_ object: [String: JSON], at pointer: String) -> [(key: String, value: JSON, pointer: String)] {
        object.map { (key: $0.key, value: $0.value, pointer: PositionedJSON.pointer(pointer, $0.key)) }
            .sorted {
                let (left, right) = (document.keyPosition(of: $0.pointer), document.keyPosition(of: $1.pointer))
                return left == right ? $0.key < $1.key : left.isBefore(right)
            }
    }

    func unknownKey(_ key: String, at pointer: String, in what: String, allowed: [String]) {
        keyError(pointer, "unknown key '\(key)' in \(what)\(Suggestion.hint(for: key, among: allowed))")
    }

    /// A path as written in the flow, relative to the flow file's folder.
    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }

    // MARK: Facts other files need

    static func definedVariables(in flow: JSON) -> Set<String> {
        var names = Set(flow["vars"]?.objectValue?.keys.map { $0 } ?? [])
        for step in flow["steps"]?.arrayValue ?? [] {
            if let name = step["save"]?.stringValue { names.insert(name) }
        }
        return names
    }

    static func requiredEnvironment(in flow: JSON) -> Set<String> {
        Set(flow["requires"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }
}

extension SourcePosition {
    func isBefore(_ other: SourcePosition) -> Bool {
        line != other.line ? line < other.line : column < other.column
    }
}
