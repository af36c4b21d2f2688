/// A subcommand: its options drive parsing and `--help`.
protocol Command: Sendable {
    static var name: String { get }
    static var summary: String { get }
    static var usage: String { get }
    static var discussion: String { get }
    static var options: [OptionSpec] { get }
    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode
}

extension Command {
    static var discussion: String { "" }

    static var help: String {
        var text = "\(summary)\n\nUSAGE: \(usage)\n"
        if !discussion.isEmpty { text += "\n\(discussion)\n" }
        text += "\nOPTIONS:\n"
        for option in options + commonOptions {
            var left = "  --\(option.name)"
            if let valueName = option.valueName { left += " \(valueName)" }
            let suffix = option.repeatable ? " (repeatable)" : ""
            if left.count < 28 {
                text += left.padding(toLength: 28, withPad: " ", startingAt: 0) + option.help + suffix + "\n"
            } else {
                text += left + "\n" + String(repeating: " ", count: 28) + option.help + suffix + "\n"
            }
        }
        return text
    }
}
