import Flows
import Foundation

struct RunCommand: Command {
    static let name = "run"
    static let summary = "Replay flows against an app, record its traffic, describe its API"
    static let usage = "discover run <flows folder | file.flow.json | recording.json>[@BASE_URL] ... --base-url URL [options]"
    static let discussion = """
        Runs the flows in one browser context (a folder: its *.flow.json files in name order), records every
        exchange, then writes to the output folder: capture.jsonl, capture.har, downloads/, failures/ (on a
        failed step: screenshot and HTML), run.json (each step's times), discovered-endpoints.json, openapi.json,
        <app>-client.generated.ts, report.md, report.html (one self-contained page: API catalog, timeline of steps
        and their requests, streams, and with --baseline the changes), and with --baseline diff.txt and diff.json.

        Several flows folders run as a batch: each FOLDER@URL (or --base-url) in its own browser context and
        output folder (<--output>/<folder name>), --workers at a time, with one summary line each and the
        gravest exit code of theirs. --summary and --junit write the results for a scheduler or CI system.

        Exit codes: 0 every flow passed (and with --baseline, no change that --fail-on counts); 1 a step failed
        (the capture is still written, marked incomplete); 2 usage error, or --baseline found breaking changes;
        3 no browser, browser died, or a required environment variable is missing; 4 a flow file is invalid.

        Examples:
          AI_TOOLKIT_PASSWORD=... discover run flows/ai-toolkit --base-url https://<pod>-8675.proxy.runpod.net
          discover run flows/ai-toolkit --base-url http://127.0.0.1:8675 --until started --baseline output/previous
          discover run recording.json --base-url http://localhost:3000
          discover run flows/app-a@http://127.0.0.1:8080 flows/app-b@http://127.0.0.1:9090 --workers 2 --junit results/junit.xml
        """
    static let options: [OptionSpec] =
        [.value("base-url", "URL", "The app's address; flow paths are relative to it (default: $DISCOVER_BASE_URL).")]
        + browserOptions + flowOptions + captureOptions + reportOptions + workerOptions

    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode {
        guard !arguments.positionals.isEmpty else {
            throw UsageError(message: "run takes a flows folder, flow file or Recorder export (or several, each FOLDER or FOLDER@BASE_URL)", command: name)
        }
        let targets = try arguments.positionals.map(RunTarget.parse)
        let defaultBaseURL = arguments.value("base-url") ?? ProcessInfo.processInfo.environment["DISCOVER_BASE_URL"]
        var configurations: [RunConfiguration] = []
        for target in targets {
            guard let given = target.baseURL ?? defaultBaseURL, !given.isEmpty else {
                throw UsageError(message: "run needs --base-url URL (or DISCOVER_BASE_URL, or FOLDER@URL): the address of the app", command: name)
            }
            // `user:password@` leaves the URL before anything can print or record it.
            let (baseURL, credentials) = HTTPCredentials.split(given)
            guard let url = URL(string: baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw UsageError(message: "--base-url must be an http:// or https:// address, not '\(baseURL)'", command: name)
            }
            var configuration = try RunConfiguration(flowsPath: URL(fileURLWithPath: target.path), baseURL: baseURL, arguments: arguments)
            configuration.httpCredentials = credentials
            configurations.append(configuration)
        }
        let workers = try workerCount(arguments)
        let isolation = try isolation(arguments)
        guard configurations.count > 1 else {
            if arguments.value("isolate") != nil {
                throw UsageError(message: "--isolate is for several flows folders at once; give more than one", command: name)
            }
            // One folder: its independent chains of flows, when its folder.json allows them side by side.
            configurations[0].chainWorkers = workers
            return try await RunPipeline.run(configurations[0], console: console)
        }
        RunTarget.assignOutputFolders(&configurations, parent: URL(fileURLWithPath: arguments.value("output") ?? arguments.value("recapture") ?? "output"))
        return try await RunBatch.run(configurations, workers: workers, isolation: isolation, console: console)
    }

    private static func workerCount(_ arguments: ParsedArguments) throws -> Int {
        guard let text = arguments.value("workers") else { return 1 }
        guard let count = Int(text), (1...64).contains(count) else {
            throw UsageError(message: "--workers takes a number from 1 to 64, not '\(text)'", command: name)
        }
        return count
    }

    private static func isolation(_ arguments: ParsedArguments) throws -> RunBatch.Isolation {
        guard let text = arguments.value("isolate") else { return .context }
        guard let isolation = RunBatch.Isolation(rawValue: text) else {
            throw UsageError(message: "--isolate is context or browser, not '\(text)'", command: name)
        }
        if isolation == .browser, arguments.value("connect") != nil {
            throw UsageError(message: "--isolate browser launches a browser for each run; with --connect every run shares the one browser (leave --isolate out)", command: name)
        }
        return isolation
    }
}
