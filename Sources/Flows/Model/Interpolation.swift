import Foundation
import JSONCore
import Recording

/// The built-in values of one run: `${run.id}`, `${run.date}`, `${run.baseURL}`.
public struct RunInfo: Sendable {
    public var id: String
    /// YYYY-MM-DD, UTC.
    public var date: String
    public var baseURL: String

    public init(id: String = RunInfo.makeID(), date: Date = Date(), baseURL: String) {
        self.id = id
        self.date = RunInfo.dayFormatter(date)
        self.baseURL = baseURL
    }

    /// Short, unique enough per run, and safe in names and paths: `20261126t191644-4f2a`.
    public static func makeID(now: Date = Date()) -> String {
        let seconds = Int(now.timeIntervalSince1970)
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return "\(String(seconds, radix: 36))\(suffix)"
    }

    static func dayFormatter(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}

public struct InterpolationError: Error, Sendable, CustomStringConvertible {
    public let reference: String
    public let reason: String
    public var description: String { "`${\(reference)}`: \(reason)" }
}

/// Replaces `${env.NAME}`, `${vars.name}` and `${run.id|date|baseURL}`. Other `${...}` text, such as a
/// JavaScript template literal in an `evaluate` step, is left alone.
public struct Interpolator: Sendable {
    public var environment: [String: String]
    public var variables: [String: String]
    public var run: RunInfo

    public init(environment: [String: String], variables: [String: String], run: RunInfo) {
        self.environment = environment
        self.variables = variables
        self.run = run
    }

    public func interpolate(_ text: String) throws(InterpolationError) -> String {
        guard text.contains("${") else { return text }
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                output += rest[start.lowerBound...]
                return output
            }
            let reference = String(rest[start.upperBound..<end])
            if let value = try resolve(reference) {
                output += value
            } else {
                output += rest[start.lowerBound...end]
            }
            if output.utf8.count > VariableExpansion.maximumLength {
                throw InterpolationError(reference: reference, reason: "the text would grow past \(VariableExpansion.maximumLength >> 20) MB")
            }
            rest = rest[rest.index(after: end)...]
        }
        output += rest
        return output
    }

    /// Every string in a JSON value, keys untouched.
    public func interpolate(_ json: JSON) throws(InterpolationError) -> JSON {
        switch json {
        case .string(let text): return .string(try interpolate(text))
        case .array(let items):
            var result: [JSON] = []
            for item in items { result.append(try interpolate(item)) }
            return .array(result)
        case .object(let members):
            var result: [String: JSON] = [:]
            for (key, value) in members { result[key] = try interpolate(value) }
            return .object(result)
        default: return json
        }
    }

    /// nil: not one of ours.
    private func resolve(_ reference: String) throws(InterpolationError) -> String? {
        let parts = reference.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "env":
            guard let value = environment[parts[1]] else {
                throw InterpolationError(reference: reference, reason: "the environment variable \(parts[1]) is not set")
            }
            return value
        case "vars":
            guard let value = variables[parts[1]] else {
                let known = variables.keys.sorted()
                throw InterpolationError(
                    reference: reference,
                    reason: "no variable `\(parts[1])` (set by the flow's vars, a save step or --var; known: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
            }
            return value
        case "run":
            switch parts[1] {
            case "id": return run.id
            case "date": return run.date
            case "baseURL": return run.baseURL
            default: throw InterpolationError(reference: reference, reason: "built-ins are run.id, run.date, run.baseURL")
            }
        default:
            return nil
        }
    }

    /// The `NAME`s of every `${namespace.NAME}` in `text`, in order.
    static func references(to namespace: String, in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        let opening = "${\(namespace)."
        while let start = rest.range(of: opening) {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            names.append(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return names
    }

    /// The `NAME`s of every `${env.NAME}` in a value.
    public static func environmentReferences(in json: JSON) -> Set<String> {
        switch json {
        case .string(let text):
            return Set(references(to: "env", in: text))
        case .array(let items): return items.reduce(into: []) { $0.formUnion(environmentReferences(in: $1)) }
        case .object(let members): return members.values.reduce(into: []) { $0.formUnion(environmentReferences(in: $1)) }
        default: return []
        }
    }
}

/// Environment variables the flows need that are not set; raised before the browser starts.
public struct MissingEnvironmentError: Error, Sendable, CustomStringConvertible {
    public let names: [String]
    /// Which flow file needs each name.
    public let neededBy: [String: [String]]

    public var description: String {
        let lines = names.map { name in "  \(name) (needed by \(neededBy[name, default: []].joined(separator: ", ")))" }
        return "missing environment variable\(names.count == 1 ? "" : "s"):\n" + lines.joined(separator: "\n")
    }
}

extension Flow {
    /// Environment variables named in `requires`, `vars` or any step, including included flows.
    public var environmentNeeds: Set<String> {
        var names = Set(requires)
        for value in vars.values { names.formUnion(Interpolator.environmentReferences(in: .string(value))) }
        for step in steps {
            names.formUnion(Interpolator.environmentReferences(in: step.written))
            if case .include(let included) = step.action { names.formUnion(included.environmentNeeds) }
        }
        return names
    }

    /// Throws naming every variable the flows need that `environment` lacks.
    public static func checkEnvironment(_ flows: [Flow], _ environment: [String: String]) throws(MissingEnvironmentError) {
        var neededBy: [String: [String]] = [:]
        for flow in flows {
            for name in flow.environmentNeeds where environment[name] == nil {
                neededBy[name, default: []].append(flow.fileName)
            }
        }
        if !neededBy.isEmpty { throw MissingEnvironmentError(names: neededBy.keys.sorted(), neededBy: neededBy) }
    }
}

/// Hides secret values in runner messages, step descriptions and failure evidence: each becomes
/// `<redacted:NAME>`, in every form capture redaction finds (`SecretMatcher`).
public struct MessageRedactor: Sendable {
    private let matcher: SecretMatcher

    public init(secretNames: [String], environment: [String: String]) {
        matcher = SecretMatcher(
            secrets: Set(secretNames).sorted().compactMap { name in environment[name].flatMap { $0.isEmpty ? nil : (name: name, value: $0) } })
    }

    public func redact(_ text: String) -> String {
        matcher.replace(in: text) { "<redacted:\($0)>" }
    }
}
