@preconcurrency import Glibc
import Flows
import Foundation
import Recording

public enum DiscoverCommand {
    public static let version = "0.1.0"

    static let commands: [any Command.Type] = [
        RunCommand.self, DemoCommand.self, ReplicaCommand.self, GenerateCommand.self, DiffCommand.self,
        ValidateCommand.self, ConvertCommand.self, DoctorCommand.self, InstallBrowserCommand.self,
    ]

    static var overview: String {
        var text = """
            discover \(version): replay UI flows in headless Chromium, record every network exchange, and
            describe the API they used (discovered-endpoints.json, OpenAPI 3.1, a TypeScript client).

            USAGE: discover <command> [options]

            COMMANDS:

            """
        for command in commands {
            text += "  " + command.name.padding(toLength: 18, withPad: " ", startingAt: 0) + command.summary + "\n"
        }
        text += """

            Run 'discover <command> --help' for a command's options.

            EXIT CODES:
              0    success (diff: no change)
              1    a flow step failed; validate found errors; diff found non-breaking changes
              2    usage error; diff found breaking changes
              3    browser or environment error (no Chromium, browser died, missing variable, app unreachable)
              4    an input file is unreadable or invalid
              130  interrupted by SIGINT (143 SIGTERM, 129 SIGHUP): the browser is closed, temporary folders
                   removed, and what was captured written within 5 s, marked incomplete

            ENVIRONMENT:
              AI_TOOLKIT_PASSWORD  the AI Toolkit flows' password (marked secret: redacted from every output)
              CHROME_PATH          the browser to launch when --browser is not given
              NO_COLOR             no ANSI colors on stderr

            """
        return text
    }

    public static func main(_ arguments: [String]) async -> Never {
        let code = await run(Array(arguments.dropFirst()))
        exit(code.rawValue)
    }

    public static func run(_ arguments: [String]) async -> ExitCode {
        guard let first = arguments.first else {
            FileHandle.standardError.write(Data(overview.utf8))
            return .usage
        }
        switch first {
        case "--help", "-h", "help":
            if arguments.count > 1, let command = commands.first(where: { $0.name == arguments[1] }) {
                print(command.help, terminator: "")
            } else {
                print(overview, terminator: "")
            }
            return .success
        case "flow-schema":
            // Hidden: regenerates flows/flow.schema.json from the grammar (`discover flow-schema > flows/flow.schema.json`).
            print(FlowSchema.text(), terminator: "")
            return .success
        case "--version", "version":
            print("discover \(version)")
            return .success
        default:
            break
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            var message = "error: unknown command '\(first)'"
            if let suggestion = closestMatch(to: first, among: commands.map { $0.name }) { message += "; did you mean '\(suggestion)'?" }
            FileHandle.standardError.write(Data((message + "\nRun 'discover --help' for the list of commands.\n").utf8))
            return .usage
        }
        let parsed: ParsedArguments
        do {
            parsed = try parseArguments(Array(arguments.dropFirst()), command: command.name, options: command.options)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\nRun 'discover \(command.name) --help' for its options.\n".utf8))
            return .usage
        }
        if parsed.has("help") {
            print(command.help, terminator: "")
            return .success
        }
        let console = Console.from(parsed)
        do {
            return try await command.run(parsed, console: console)
        } catch let failure as CommandFailure {
            console.error(failure.message)
            return failure.code
        } catch let usage as UsageError {
            console.error("\(usage.message)\nRun 'discover \(command.name) --help' for its options.")
            return .usage
        } catch let output as OutputFileError {
            console.error("\(output)")
            return .environment
        } catch {
            console.error("\(error)")
            return .failure
        }
    }
}
