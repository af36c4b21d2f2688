import Flows
import Foundation

struct RunCommand: Command {
    static let name = "run"
    static let summary = "Replay flows against an app, record its traffic, describe its API"
    static let usage = "discover run <flows folder | file.flow.json | recording.json> --base-url URL [options]"
    static let discussion = """
        Runs the flows in one browser context (a folder: its *.flow.json files in name order), records every
        exchange, then writes to the output folder: capture.jsonl, capture.har, downloads/, failures/ (on a
        failed step: screenshot and HTML), run.json (each step's times), discovered-endpoints.json, openapi.json,
        <app>-client.generated.ts, report.md, report.html (one self-contained page: API catalog, timeline of steps
        and their requests, streams, and with --baseline the changes), and with --baseline diff.txt and diff.json.

        Exit codes: 0 every flow passed (and with --baseline, no change that --fail-on counts); 1 a step failed
        (the capture is still written, marked incomplete); 2 usage error, or --baseline found breaking changes;
        3 no browser, browser died, or a required environment variable is missing; 4 a flow file is invalid.

        Examples:
          AI_TOOLKIT_PASSWORD=... discover run flows/ai-toolkit --base-url https://<pod>-8675.proxy.runpod.net
          discover run flows/ai-toolkit --base-url http://127.0.0.1:8675 --until started --baseline output/previous
          discover run recording.json --base-url http://localhost:3000
        """
    static let options: [OptionSpec] =
        [.value("base-url", "URL", "The app's address; flow paths are relative to it (default: $DISCOVER_BASE_URL).")]
        + browserOptions + flowOptions + captureOptions

    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode {
        guard arguments.positionals.count == 1, let path = arguments.positionals.first else {
            throw UsageError(message: "run takes one flows folder, flow file or Recorder export", command: name)
        }
        guard let given = arguments.value("base-url") ?? ProcessInfo.processInfo.environment["DISCOVER_BASE_URL"], !given.isEmpty else {
            throw UsageError(message: "run needs --base-url URL (or DISCOVER_BASE_URL): the address of the app", command: name)
        }
        // `user:password@` leaves the URL before anything can print or record it.
        let (baseURL, credentials) = HTTPCredentials.split(given)
        guard let url = URL(string: baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw UsageError(message: "--base-url must be an http:// or https:// address, not '\(baseURL)'", command: name)
        }
        var configuration = try RunConfiguration(flowsPath: URL(fileURLWithPath: path), baseURL: baseURL, arguments: arguments)
        configuration.httpCredentials = credentials
        return try await RunPipeline.run(configuration, console: console)
    }
}
