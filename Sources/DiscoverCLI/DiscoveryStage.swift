import Discovery
import Foundation
import Recording

/// The last stage of a run: the capture becomes the API description, and with `--baseline`, a diff.
enum DiscoveryStage {
    static func options(flowsFolder: URL?, appName: String, includeStatic: Bool) throws -> DiscoveryOptions {
        var options = DiscoveryOptions(appName: appName)
        if let flowsFolder {
            var isDirectory: ObjCBool = false
            let folder = FileManager.default.fileExists(atPath: flowsFolder.path, isDirectory: &isDirectory) && isDirectory.boolValue
                ? flowsFolder : flowsFolder.deletingLastPathComponent()
            do {
                options = try DiscoveryOptions.fromFlowsFolder(folder, appName: appName)
            } catch {
                throw CommandFailure(code: .input, message: "\(error)")
            }
        }
        options.includeStatic = includeStatic
        return options
    }

    /// What discovery made of a run, for the console, `--summary` and `--junit`.
    struct Report: Sendable {
        /// The exit code the baseline comparison asks for (success without a baseline).
        var code: ExitCode
        var endpoints: Int
        var diff: APIDiff?
    }

    /// Writes the outputs beside the capture.
    static func run(_ configuration: RunConfiguration, captureURL: URL, steps: RunSteps? = nil, console: Console) throws -> Report {
        var options = try options(flowsFolder: configuration.flowsPath, appName: configuration.appName, includeStatic: configuration.includeStatic)
        options.baseURL = configuration.baseURL
        // Read before the run started (`RunPipeline`), so a bad path fails before anything is replaced.
        let old = try configuration.baseline.map { try configuration.baselineAPI ?? loadAPI($0) }
        let api: DiscoveredAPI
        var diff: APIDiff?
        do {
            var timeline = TimelineCollector()
            api = try Discovery.discover(captureAt: captureURL, options: options, observing: { timeline.add($0) })
            diff = old.map { Discovery.diff(old: $0, new: api) }
            try Discovery.writeOutputs(api, to: configuration.outputFolder, page: HTMLReport.Context(steps: steps, timeline: timeline, baseline: old, diff: diff))
        } catch let error as OutputFileError {
            // The run pipeline keeps the last run's files when a write fails.
            throw error
        } catch {
            throw CommandFailure(code: .input, message: "discovery failed on \(captureURL.path): \(error)")
        }
        console.step("described \(api.endpoints.count) endpoints in \((configuration.displayFolder ?? configuration.outputFolder).path)/")
        for note in api.notes { console.warning(note) }
        guard let diff else { return Report(code: .success, endpoints: api.endpoints.count) }
        return Report(code: report(diff, failOn: configuration.failOn, writeTo: configuration.outputFolder), endpoints: api.endpoints.count, diff: diff)
    }

    static func report(_ diff: APIDiff, failOn: APIDiff.FailOn, writeTo folder: URL?) -> ExitCode {
        FileHandle.standardError.write(Data(diff.text.utf8))
        if let folder {
            try? AtomicFile.write(diff.text, to: folder.appendingPathComponent("diff.txt"))
            try? AtomicFile.write(diff.json.serialized(.pretty) + "\n", to: folder.appendingPathComponent("diff.json"))
        }
        return ExitCode(rawValue: diff.exitCode(failOn: failOn)) ?? .failure
    }

    /// What the page shows of a run folder besides its API: the steps (`run.json`) and the requests
    /// they caused (one more read of `capture.jsonl`, only when there are steps to hang them on).
    static func pageContext(runFolder: URL) -> HTMLReport.Context {
        guard let steps = RunSteps.load(in: runFolder) else { return HTMLReport.Context() }
        let capture = runFolder.appendingPathComponent("capture.jsonl")
        return HTMLReport.Context(steps: steps, timeline: try? Discovery.timeline(captureAt: capture))
    }

    /// A `discovered-endpoints.json`, a run folder holding one, or a `capture.jsonl` (discovered afresh).
    static func loadAPI(_ path: String, options: DiscoveryOptions = DiscoveryOptions(), observing: ((Exchange) -> Void)? = nil) throws -> DiscoveredAPI {
        let url = URL(fileURLWithPath: path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw CommandFailure(code: .input, message: "\(path): no such file or folder")
        }
        // A FIFO would block the read forever, a device never end.
        if !isFolder.boolValue, let type = try? FileManager.default.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType,
            type != .typeRegular
        {
            throw CommandFailure(code: .input, message: "\(path): not a regular file")
        }
        do {
            if url.pathExtension == "jsonl" { return try Discovery.discover(captureAt: url, options: options, observing: observing) }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue,
                !FileManager.default.fileExists(atPath: url.appendingPathComponent("discovered-endpoints.json").path),
                FileManager.default.fileExists(atPath: url.appendingPathComponent("capture.jsonl").path)
            {
                return try Discovery.discover(captureAt: url.appendingPathComponent("capture.jsonl"), options: options, observing: observing)
            }
            return try Discovery.load(from: url)
        } catch let failure as CommandFailure {
            throw failure
        } catch let error as DiscoveryError {
            throw CommandFailure(code: .input, message: "\(error)")
        } catch {
            throw CommandFailure(code: .input, message: "\(path): \(OutputFileError.reason(ofReading: error))")
        }
    }
}

func parseFailOn(_ text: String) -> APIDiff.FailOn? {
    switch text {
    case "breaking": return .breaking
    case "any": return .any
    case "none", "never": return .never
    default: return nil
    }
}
