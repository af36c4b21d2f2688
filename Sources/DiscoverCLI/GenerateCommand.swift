import Discovery
import Foundation

struct GenerateCommand: Command {
    static let name = "generate"
    static let summary = "Regenerate OpenAPI, client, report.md and report.html from a capture or endpoints file (no browser)"
    static let usage = "discover generate <discovered-endpoints.json | capture.jsonl | run folder> [--output DIR] [--flows DIR]"
    static let discussion = """
        From a discovered-endpoints.json (perhaps edited by hand), or from a capture.jsonl (discovered afresh,
        e.g. after an interrupted run), writes discovered-endpoints.json, openapi.json,
        <app>-client.generated.ts, report.md and report.html (with the run's timeline when run.json and
        capture.jsonl are beside the input).

        Examples:
          discover generate output/ai-toolkit/discovered-endpoints.json --output /tmp/client
          discover generate output/ai-toolkit/capture.jsonl --flows flows/ai-toolkit
        """
    static let options: [OptionSpec] = [
        .value("output", "DIR", "Where to write (default: the input's folder)."),
        .value("flows", "DIR", "The flows folder whose templates.json and manual-endpoints.json apply (a run folder is then discovered afresh from its capture.jsonl; on a bare discovered-endpoints.json the templates cannot apply and a warning says so)."),
        .value("app-name", "NAME", "With a capture: the client's name (default: the capture folder's name)."),
        .flag("include-static", "With a capture: describe static assets too."),
    ]

    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode {
        guard arguments.positionals.count == 1, let input = arguments.positionals.first else {
            throw UsageError(message: "generate takes one input: a discovered-endpoints.json, a capture.jsonl or a run folder", command: name)
        }
        let inputURL = URL(fileURLWithPath: input)
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: inputURL.path, isDirectory: &isDirectory)
        let inputFolder = isDirectory.boolValue ? inputURL : inputURL.deletingLastPathComponent()
        let appName = arguments.value("app-name") ?? RunConfiguration.defaultName(for: inputFolder)
        let options = try DiscoveryStage.options(
            flowsFolder: arguments.value("flows").map { URL(fileURLWithPath: $0) }, appName: appName,
            includeStatic: arguments.has("include-static"))
        var source = input
        // With --flows, the flows folder's templates re-shape the routes: that needs the capture, so a
        // run folder (or a discovered-endpoints.json beside its capture) is discovered afresh.
        let captureBeside = inputFolder.appendingPathComponent("capture.jsonl")
        if arguments.value("flows") != nil, inputURL.pathExtension != "jsonl", FileManager.default.fileExists(atPath: captureBeside.path) {
            source = captureBeside.path
        } else if inputURL.pathExtension != "jsonl", !options.templates.isEmpty {
            console.warning("templates.json is not applied: \(input) was discovered already and no capture.jsonl is beside it; run generate on the capture to apply it")
        }
        // The page's timeline rows come from the discovery pass when there is one, else from one read
        // of the capture beside the input (only when run.json gives steps to hang them on).
        var timeline = TimelineCollector()
        var observed = false
        var api = try DiscoveryStage.loadAPI(source, options: options, observing: { exchange in
            observed = true
            timeline.add(exchange)
        })
        if source == input, inputURL.pathExtension != "jsonl", let manual = options.manualEndpoints {
            api = try Discovery.mergingManualEndpoints(at: manual, into: api)
        }
        let output = arguments.value("output").map { URL(fileURLWithPath: $0) } ?? inputFolder
        var page = HTMLReport.Context(steps: RunSteps.load(in: inputFolder))
        if page.steps != nil {
            if observed {
                page.timeline = timeline
            } else if FileManager.default.fileExists(atPath: captureBeside.path) {
                page.timeline = try? Discovery.timeline(captureAt: captureBeside)
            }
        }
        // Links to the run's files (failure screenshots, spooled bodies) from a page written elsewhere.
        if output.standardizedFileURL.path != inputFolder.standardizedFileURL.path { page.runFolderLink = inputFolder.standardizedFileURL.path + "/" }
        do {
            try Discovery.writeOutputs(api, to: output, page: page)
        } catch {
            throw CommandFailure(code: .input, message: "cannot write to \(output.path): \(error)")
        }
        console.success("wrote \(api.endpoints.count) endpoints to \(output.path)/")
        return .success
    }
}
