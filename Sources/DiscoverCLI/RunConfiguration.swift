import Browser
import Capture
import Discovery
import Flows
import Foundation

/// Everything one `discover run` (or `demo`) needs, read from the command line and the environment.
struct RunConfiguration: Sendable {
    var flowsPath: URL
    var baseURL: String
    var outputFolder: URL
    var variables: [String: String] = [:]
    var environment: [String: String] = ProcessInfo.processInfo.environment
    var stepTimeout: Duration = .seconds(15)
    /// `goto` steps wait for the load event this long; `--timeout` sets both, as in Playwright.
    var navigationTimeout: Duration = .seconds(30)
    /// From `--base-url http://user:password@host`; the URL itself no longer holds them.
    var httpCredentials: HTTPCredentials?
    var keepGoing = false
    var stepScreenshots = false
    var launch = LaunchOptions()
    /// `--connect` with its headers and TLS checks; nil when the run launches its own browser.
    var connect: ConnectSettings?
    /// `--webdriver`: the browser comes from a pool, lent for this run (or batch of runs) and given back.
    var webDriver: WebDriverRequest?
    var include: [String] = []
    var exclude: [String] = []
    var harContent: HARContentPolicy = .embed
    var keepSecrets = false
    var includeStatic = false
    var appName: String
    var baseline: String?
    /// `--recapture`: the baseline is the output folder's last run, when there is one.
    var baselineIfPresent = false
    /// Where the files end up, when `outputFolder` is the run's staging folder (`OutputFolder`).
    var displayFolder: URL?
    /// The baseline, read before the run starts.
    var baselineAPI: DiscoveredAPI?
    var failOn: FailOn = .breaking
    /// The flows folder's `folder.json`, read with the flows.
    var folderSettings = FolderSettings()
    /// `--workers` of a single folder whose `folder.json` allows its independent chains side by side.
    var chainWorkers = 1
    /// `--summary FILE` and `--junit FILE`: the runs' results for a scheduler or a CI system.
    var summaryPath: String?
    var junitPath: String?

    /// The run's name in a run of several, in `--summary` and `--junit`: its output folder's name.
    var runName: String { (displayFolder ?? outputFolder).lastPathComponent }

    typealias FailOn = APIDiff.FailOn

    /// Reads the options `run` and `demo` share; the caller supplies what differs (flows, base URL).
    init(flowsPath: URL, baseURL: String, arguments: ParsedArguments) throws {
        self.flowsPath = flowsPath
        self.baseURL = baseURL
        let folderName = Self.defaultName(for: flowsPath)
        appName = arguments.value("app-name") ?? folderName
        outputFolder = URL(fileURLWithPath: arguments.value("output") ?? "output/\(folderName)")
        for assignment in arguments.all("var") {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw UsageError(message: "--var takes NAME=VALUE, not '\(assignment)'", command: nil)
            }
            variables[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        if let until = arguments.value("until") {
            guard ["started", "checkpoint", "completed"].contains(until) else {
                throw UsageError(message: "--until is started, checkpoint or completed, not '\(until)'", command: nil)
            }
            variables["until"] = until
        }
        if let timeout = arguments.value("timeout") {
            guard let milliseconds = Int(timeout), milliseconds > 0 else {
                throw UsageError(message: "--timeout takes milliseconds, a positive whole number, not '\(timeout)'", command: nil)
            }
            stepTimeout = .milliseconds(milliseconds)
            navigationTimeout = stepTimeout
        }
        keepGoing = arguments.has("keep-going")
        stepScreenshots = arguments.has("screenshots")
        launch = try launchOptions(arguments)
        connect = try ConnectSettings(arguments)
        webDriver = try WebDriverRequest.read(arguments)
        include = arguments.all("include")
        exclude = arguments.all("exclude")
        if let policy = arguments.value("har-content") {
            guard let value = HARContentPolicy(rawValue: policy) else {
                throw UsageError(message: "--har-content is embed, attach or omit, not '\(policy)'", command: nil)
            }
            harContent = value
        }
        summaryPath = arguments.value("summary")
        junitPath = arguments.value("junit")
        keepSecrets = arguments.has("keep-secrets")
        includeStatic = arguments.has("include-static")
        baseline = arguments.value("baseline")
        if let folder = arguments.value("recapture") {
            guard arguments.value("output") == nil, baseline == nil else {
                throw UsageError(message: "--recapture DIR is --output DIR --baseline DIR in one: give it alone", command: nil)
            }
            outputFolder = URL(fileURLWithPath: folder)
            baseline = folder
            baselineIfPresent = true
        }
        if let failOn = arguments.value("fail-on") {
            guard let value = parseFailOn(failOn) else {
                throw UsageError(message: "--fail-on is breaking, any or none, not '\(failOn)'", command: nil)
            }
            self.failOn = value
        }
    }

    /// `flows/ai-toolkit` -> `ai-toolkit`; `login.flow.json` -> `login`; `recording.json` -> `recording`.
    static func defaultName(for path: URL) -> String {
        var name = path.standardizedFileURL.lastPathComponent
        for suffix in [".flow.json", ".json"] where name.hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
            break
        }
        return name.isEmpty ? "run" : name
    }
}
