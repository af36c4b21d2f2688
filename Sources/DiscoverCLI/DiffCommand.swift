import Discovery
import Foundation
import Recording

struct DiffCommand: Command {
    static let name = "diff"
    static let summary = "Compare two discoveries; exit 0 no change, 1 non-breaking, 2 breaking"
    static let usage = "discover diff <old> <new> [--json] [--fail-on any|breaking|none] [--html FILE]"
    static let discussion = """
        <old> and <new> are each a discovered-endpoints.json, a run folder, or a capture.jsonl. Prints added,
        removed and changed endpoints and streams, each change marked breaking or not (Optic's rules: operation
        removed, response status removed, response property removed or retyped, request property newly required
        or retyped, new required parameter, stream message shape changed).

        Exit codes: with --fail-on any (default) 0 no change, 1 only non-breaking changes, 2 breaking changes;
        with --fail-on breaking 0 unless something breaks; with --fail-on none always 0. Unreadable input: 4.

        Examples:
          discover diff output/ai-toolkit-2025-10 output/ai-toolkit --fail-on breaking
          discover diff output/ai-toolkit-2025-10 output/ai-toolkit --html /tmp/changes.html
        """
    static let options: [OptionSpec] = [
        .flag("json", "Print the diff as JSON on stdout instead of text."),
        .value("fail-on", "any|breaking|none", "Which changes give a non-zero exit (default: any)."),
        .value("html", "FILE", "Also write the changes as a self-contained page (report.html's layout: changes first, then <new>'s catalog; its timeline when <new> is a run folder)."),
    ]

    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode {
        guard arguments.positionals.count == 2 else {
            throw UsageError(message: "diff takes two inputs, <old> and <new>", command: name)
        }
        var failOn = APIDiff.FailOn.any
        if let text = arguments.value("fail-on") {
            guard let value = parseFailOn(text) else { throw UsageError(message: "--fail-on is any, breaking or none, not '\(text)'", command: name) }
            failOn = value
        }
        let old = try DiscoveryStage.loadAPI(arguments.positionals[0])
        let new = try DiscoveryStage.loadAPI(arguments.positionals[1])
        let diff = Discovery.diff(old: old, new: new)
        if let file = arguments.value("html") {
            let url = URL(fileURLWithPath: file)
            let newSide = URL(fileURLWithPath: arguments.positionals[1])
            var isFolder: ObjCBool = false
            let runFolder = FileManager.default.fileExists(atPath: newSide.path, isDirectory: &isFolder) && isFolder.boolValue ? newSide : newSide.deletingLastPathComponent()
            var page = DiscoveryStage.pageContext(runFolder: runFolder)
            page.baseline = old
            page.diff = diff
            if url.deletingLastPathComponent().standardizedFileURL.path != runFolder.standardizedFileURL.path {
                page.runFolderLink = runFolder.standardizedFileURL.path + "/"
            }
            do {
                try AtomicFile.write(HTMLReport.page(new, page), to: url)
            } catch {
                throw CommandFailure(code: .input, message: "\(error)")
            }
        }
        print(arguments.has("json") ? diff.json.serialized(.pretty) : diff.text, terminator: arguments.has("json") ? "\n" : "")
        return ExitCode(rawValue: diff.exitCode(failOn: failOn)) ?? .failure
    }
}
