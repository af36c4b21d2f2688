/// The exit codes `discover` documents in `--help` and the README.
public enum ExitCode: Int32, Sendable {
    case success = 0
    /// A flow step failed; `validate` found errors; `diff` found non-breaking changes.
    case failure = 1
    /// Bad command line; `diff` found breaking changes.
    case usage = 2
    /// No browser, the browser died, a required environment variable is missing, the app is unreachable.
    case environment = 3
    /// An input file cannot be read or is not what it should be (capture, endpoints, flow, recording).
    case input = 4
    case interrupted = 130
}

struct CommandFailure: Error, CustomStringConvertible {
    let code: ExitCode
    let message: String
    var description: String { message }
}
