/// Hand-written argument parsing (the project takes no package dependencies). Each command declares
/// its options once; the same declaration drives parsing, `--help` and the did-you-mean on a typo.
struct OptionSpec: Sendable {
    let name: String
    /// Nil for a flag that takes no value.
    let valueName: String?
    let help: String
    var repeatable = false

    static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: nil, help: help)
    }

    static func value(_ name: String, _ valueName: String, _ help: String, repeatable: Bool = false) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help, repeatable: repeatable)
    }
}

struct UsageError: Error, CustomStringConvertible {
    let message: String
    let command: String?
    var description: String { message }
}

struct ParsedArguments: Sendable {
    var positionals: [String] = []
    var values: [String: [String]] = [:]
    var flags: Set<String> = []

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func has(_ name: String) -> Bool { flags.contains(name) }
}

/// Options every command accepts.
let commonOptions: [OptionSpec] = [
    .flag("quiet", "Print only warnings and errors on stderr."),
    .flag("verbose", "Print every step and DevTools detail on stderr."),
    .flag("no-color", "No ANSI colors (also when NO_COLOR is set or stderr is not a terminal)."),
    .flag("help", "Show this help."),
]

func parseArguments(_ arguments: [String], command: String, options: [OptionSpec]) throws -> ParsedArguments {
    let specs = options + commonOptions
    var parsed = ParsedArguments()
    var index = 0
    var onlyPositionals = false
    while index < arguments.count {
        let argument = arguments[index]
        index += 1
        if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
            parsed.positionals.append(argument)
            continue
        }
        if argument == "--" {
            onlyPositionals = true
            continue
        }
        if argument == "-h" {
            parsed.flags.insert("help")
            continue
        }
        guard argument.hasPrefix("--") else {
            throw UsageError(message: "unknown option '\(argument)' (options are spelled with two dashes)", command: command)
        }
        var name = String(argument.dropFirst(2))
        var inlineValue: String?
        if let equals = name.firstIndex(of: "=") {
            inlineValue = String(name[name.index(after: equals)...])
            name = String(name[..<equals])
        }
        guard let spec = specs.first(where: { $0.name == name }) else {
            var message = "unknown option '--\(name)' for 'discover \(command)'"
            if let suggestion = closestMatch(to: name, among: specs.map(\.name)) { message += "; did you mean '--\(suggestion)'?" }
            throw UsageError(message: message, command: command)
        }
        if spec.valueName == nil {
            if inlineValue != nil { throw UsageError(message: "option '--\(name)' takes no value", command: command) }
            parsed.flags.insert(name)
            continue
        }
        let value: String
        if let inlineValue {
            value = inlineValue
        } else {
            guard index < arguments.count else {
                throw UsageError(message: "option '--\(name)' needs a value (\(spec.valueName!))", command: command)
            }
            value = arguments[index]
            index += 1
        }
        if !spec.repeatable, parsed.values[name] != nil {
            throw UsageError(message: "option '--\(name)' given twice", command: command)
        }
        parsed.values[name, default: []].append(value)
    }
    return parsed
}

/// The candidate within edit distance 2 (or a third of the word), if one stands out.
func closestMatch(to word: String, among candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= max(2, word.count / 3) ? best.0 : nil
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
