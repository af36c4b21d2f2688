// Commands whose stage has not been merged into this branch yet; each is replaced as its stage lands.
func pendingStage(_ stage: String) -> CommandFailure {
    CommandFailure(code: .environment, message: "this build does not include the \(stage) stage yet")
}

struct RunCommand: Command {
    static let name = "run"
    static let summary = "Replay flows against an app, record its traffic, describe its API"
    static let usage = "discover run <flows folder | file.flow.json | recording.json> --base-url URL [options]"
    static let options: [OptionSpec] = [.value("base-url", "URL", "The app's address; flow paths are relative to it.")] + browserOptions + flowOptions + captureOptions
    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode { throw pendingStage("run") }
}

struct DemoCommand: Command {
    static let name = "demo"
    static let summary = "Start the bundled AI Toolkit replica and run flows/ai-toolkit against it"
    static let usage = "discover demo [options]"
    static let options: [OptionSpec] = browserOptions + flowOptions + captureOptions
    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode { throw pendingStage("demo") }
}

struct GenerateCommand: Command {
    static let name = "generate"
    static let summary = "Regenerate OpenAPI, client and report from a capture or endpoints file (no browser)"
    static let usage = "discover generate <discovered-endpoints.json | capture.jsonl | run folder> [--output DIR]"
    static let options: [OptionSpec] = []
    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode { throw pendingStage("discovery") }
}

struct DiffCommand: Command {
    static let name = "diff"
    static let summary = "Compare two discoveries; exit 0 no change, 1 non-breaking, 2 breaking"
    static let usage = "discover diff <old> <new> [--json] [--fail-on breaking|any|none]"
    static let options: [OptionSpec] = []
    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode { throw pendingStage("discovery") }
}

struct ValidateCommand: Command {
    static let name = "validate"
    static let summary = "Check flow files without a browser"
    static let usage = "discover validate <flows folder | file.flow.json>..."
    static let options: [OptionSpec] = []
    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode { throw pendingStage("flows") }
}

struct ConvertCommand: Command {
    static let name = "convert"
    static let summary = "Convert a Chrome DevTools Recorder export into a flow file"
    static let usage = "discover convert <recording.json> [--output file.flow.json]"
    static let options: [OptionSpec] = []
    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode { throw pendingStage("flows") }
}
