import Flows
import Foundation

struct ValidateCommand: Command {
    static let name = "validate"
    static let summary = "Check flow files without a browser"
    static let usage = "discover validate <flows folder | file.flow.json>..."
    static let discussion = """
        Checks syntax, the step grammar (unknown keys with a did-you-mean), variables, upload files, includes and
        prerequisites. Every message names file:line:column. Exit 0 when clean (warnings allowed), 1 on errors.

        Example:
          discover validate flows/ai-toolkit
        """
    static let options: [OptionSpec] = []

    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode {
        guard !arguments.positionals.isEmpty else {
            throw UsageError(message: "validate takes one or more flow files or folders", command: name)
        }
        let diagnostics = FlowValidator.validate(paths: arguments.positionals)
        for diagnostic in diagnostics { print(diagnostic.description) }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        if errors == 0 {
            console.success("ok: no errors\(warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "")")
            return .success
        }
        console.error("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        return .failure
    }
}
