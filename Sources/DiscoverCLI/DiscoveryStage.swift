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

    /// Writes the outputs beside the capture; returns the exit code the baseline comparison asks for.
    static func run(_ configuration: RunConfiguration, captureURL: URL, console: Console) throws -> ExitCode {
        var options = try options(flowsFolder: configuration.flowsPath, appName: configuration.appName, includeStatic: configuration.includeStatic)
        options.baseURL = configuration.baseURL
        let api: DiscoveredAPI
        do {
            api = try Discovery.discover(captureAt: captureURL, options: options)
            try Discovery.writeOutputs(api, to: configuration.outputFolder)
        } catch let error as OutputFileError {
            // The run pipeline keeps the last run's files when a write fails.
            throw error
        } catch {
            throw CommandFailure(code: .input, message: "discovery failed on \(captureURL.path): \(error)")
        }
        console.step("described \(api.endpoints.count) endpoints in \((configuration.displayFolder ?? configuration.outputFolder).path)/")
        for note in api.notes { console.warning(note) }
        guard let baseline = configuration.baseline else { return .success }
        // Read before the run started (`RunPipeline`), so a bad path fails before anything is replaced.
        let old = try configuration.baselineAPI ?? loadAPI(baseline)
        return compare(old, with: api, failOn: configuration.failOn, writeTo: configuration.outputFolder)
    }

    static func compare(baselinePath: String, with api: DiscoveredAPI, failOn: APIDiff.FailOn, writeTo folder: URL?, console: Console) throws -> ExitCode {
        compare(try loadAPI(baselinePath), with: api, failOn: failOn, writeTo: folder)
    }

    static func compare(_ old: DiscoveredAPI, with api: DiscoveredAPI, failOn: APIDiff.FailOn, writeTo folder: URL?) -> ExitCode {
        let diff = Discovery.diff(old: old, new: api)
        FileHandle.standardError.write(Data(diff.text.utf8))
        if let folder {
            try? AtomicFile.write(diff.text, to: folder.appendingPathComponent("diff.txt"))
            try? AtomicFile.write(diff.json.serialized(.pretty) + "\n", to: folder.appendingPathComponent("diff.json"))
        }
        return ExitCode(rawValue: diff.exitCode(failOn: failOn)) ?? .failure
    }

    /// A `discovered-endpoints.json`, a run folder holding one, or a `capture.jsonl` (discovered afresh).
    static func loadAPI(_ path: String, options: DiscoveryOptions = DiscoveryOptions()) throws -> DiscoveredAPI {
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
            if url.pathExtension == "jsonl" { return try Discovery.discover(captureAt: url, options: options) }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue,
                !FileManager.default.fileExists(atPath: url.appendingPathComponent("discovered-endpoints.json").path),
                FileManager.default.fileExists(atPath: url.appendingPathComponent("capture.jsonl").path)
            {
                return try Discovery.discover(captureAt: url.appendingPathComponent("capture.jsonl"), options: options)
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
