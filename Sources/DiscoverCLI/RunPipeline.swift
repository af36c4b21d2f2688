import Browser
import Capture
import Discovery
import Flows
import Foundation
import JSONCore
import Recording
import Durations

/// One run, start to end: flows -> browser -> capture -> discovery -> outputs. Whatever happens after
/// the browser starts, the browser is closed and what was captured is written, marked incomplete when
/// the run did not finish.
enum RunPipeline {
    /// Where a run's browser comes from: its own (launched, or attached with `--connect`), closed at its
    /// end; or one shared by several runs, in which the run makes and closes only its own context.
    enum BrowserSource: Sendable {
        case own
        case shared(Browser)

        var ownsBrowser: Bool {
            if case .own = self { true } else { false }
        }
    }

    /// One run with a browser of its own: the command line's `run` and `demo`. Writes `--summary` and
    /// `--junit` (when asked) on every path, then answers as the run did.
    static func run(_ given: RunConfiguration, console: Console) async throws -> ExitCode {
        Browser.installSignalHandlers()
        let record = await execute(given, browser: .own, console: console)
        do {
            try RunReports.write([record], exitCode: record.exitCode, configuration: given, console: console)
        } catch let failure as CommandFailure {
            // The run's own failure matters more than its report's.
            guard record.stopped != nil || record.exitCode != .success else { throw failure }
            console.error(failure.message)
        }
        if let stopped = record.stopped { throw CommandFailure(code: record.exitCode, message: stopped) }
        return record.exitCode
    }

    /// One flows folder against one app, start to end: flows -> browser -> capture -> discovery ->
    /// outputs. Never throws: whatever stopped the run is in the record. Once the browser has started,
    /// what was captured is written, marked incomplete when the run did not finish.
    static func execute(_ given: RunConfiguration, browser source: BrowserSource, console: Console) async -> RunRecord {
        var record = RunRecord(given)
        let clock = ContinuousClock.now
        var own: Browser?
        do {
            let (configuration, flows) = try prepare(given, console: console)
            let browser: Browser
            switch source {
            case .own:
                browser = try await startBrowser(configuration, console: console)
                own = browser
            case .shared(let shared): browser = shared
            }
            try await runInBrowser(configuration, flows: flows, browser: browser, closeBrowser: source.ownsBrowser, console: console, record: &record)
        } catch {
            let failure = error as? CommandFailure ?? CommandFailure(code: .environment, message: "\(error)")
            record.exitCode = failure.code
            record.stopped = failure.message
        }
        // Closed by now on every path; a pool that did not take its browser back (--webdriver) may keep
        // it busy: after what the run wrote, that is the environment's failure.
        await own?.close()
        if let notReturned = own?.closeFailure, record.exitCode != .interrupted {
            record.exitCode = .environment
            record.stopped = [record.stopped, notReturned].compactMap { $0 }.joined(separator: "\n")
        }
        record.duration = ContinuousClock.now - clock
        return record
    }

    /// The flows, the baseline and the environment, checked before any browser starts.
    static func prepare(_ given: RunConfiguration, console: Console) throws -> (RunConfiguration, [Flow]) {
        var configuration = given
        let flows = try FlowSource.load(configuration.flowsPath)
        do {
            configuration.folderSettings = try FolderSettings.load(configuration.flowsPath)
        } catch {
            throw CommandFailure(code: .input, message: "\(error)")
        }
        if configuration.chainWorkers > 1, !configuration.folderSettings.parallel {
            console.warning("--workers: \(configuration.flowsPath.relativePath) runs its flows one after another (its \(FolderSettings.fileName) does not say {\"parallel\": true})")
        }
        if configuration.baselineIfPresent, let baseline = configuration.baseline,
            !FileManager.default.fileExists(atPath: URL(fileURLWithPath: baseline).appendingPathComponent("discovered-endpoints.json").path)
        {
            console.step("first capture in \(baseline): nothing to compare with yet")
            configuration.baseline = nil
        }
        if let baseline = configuration.baseline { configuration.baselineAPI = try DiscoveryStage.loadAPI(baseline) }
        do {
            try Flow.checkEnvironment(flows, configuration.environment)
        } catch {
            throw CommandFailure(code: .environment, message: "\(error)")
        }
        if configuration.keepSecrets {
            console.warning("--keep-secrets: passwords, tokens and cookies will be written to \(configuration.outputFolder.path) in clear text")
        }
        console.step("\(flows.count) flow\(flows.count == 1 ? "" : "s") from \(configuration.flowsPath.relativePath) against \(configuration.baseURL)")
        return (configuration, flows)
    }

    private static func runInBrowser(
        _ configuration: RunConfiguration, flows: [Flow], browser: Browser, closeBrowser: Bool, console: Console, record: inout RunRecord
    ) async throws {
        // Only now that the run can start, and beside the last run's files, which stay until the swap.
        let staging: URL
        do {
            staging = try OutputFolder.stage(configuration.outputFolder)
        } catch {
            if closeBrowser { await browser.close() }
            throw error
        }
        var work = configuration
        work.outputFolder = staging
        work.displayFolder = configuration.outputFolder
        let outcome: (result: RunResult, summary: CaptureSummary, discovery: DiscoveryStage.Report)
        do {
            outcome = try await runStaged(work, flows: flows, browser: browser, closeBrowser: closeBrowser, console: console)
        } catch let lost as OutputFileError {
            // A full disk: what this run wrote is partial, so the last run's files stay.
            throw finishStaging(staging, into: configuration.outputFolder, writeErrors: ["\(lost)"], failure: nil)
                ?? CommandFailure(code: .environment, message: "\(lost)")
        } catch {
            let failure = error as? CommandFailure ?? CommandFailure(code: .environment, message: "\(error)")
            throw finishStaging(staging, into: configuration.outputFolder, writeErrors: [], failure: failure) ?? failure
        }
        record.result = outcome.result
        record.capture = outcome.summary
        record.discovery = outcome.discovery
        if let failure = finishStaging(staging, into: configuration.outputFolder, writeErrors: outcome.summary.writeErrors, failure: nil) {
            throw failure
        }
        record.exitCode = exitCode(outcome.result, discovery: outcome.discovery.code)
    }

    static func exitCode(_ result: RunResult, discovery: ExitCode) -> ExitCode {
        if BrowserRegistry.interruption != nil { return .interrupted }
        // The app was not there or the browser died: the environment's failure, not the flow's.
        if result.failures.contains(where: { $0.cause != .step }) { return .environment }
        if !result.passed { return .failure }
        return discovery
    }

    /// The swap, unless records were lost to a full disk: then the last run's files stay, and what this
    /// run wrote is kept aside. Returns the failure to report, if any.
    static func finishStaging(_ staging: URL, into folder: URL, writeErrors: [String], failure: CommandFailure?) -> CommandFailure? {
        if let lost = writeErrors.first {
            let kept = OutputFolder.keepIncomplete(staging, in: folder)
            return CommandFailure(
                code: .environment,
                message: "\(lost.replacingOccurrences(of: staging.path, with: kept.path))\n\(writeErrors.count == 1 ? "A record was" : "Records were") lost: the last run's files are left as they were in \(folder.path), and this run's are in \(kept.path)")
        }
        do {
            try OutputFolder.publish(staging, into: folder)
        } catch let published as CommandFailure {
            return failure ?? published
        } catch {
            return failure ?? CommandFailure(code: .environment, message: "\(error)")
        }
        guard let failure else { return nil }
        return CommandFailure(code: failure.code, message: failure.message.replacingOccurrences(of: staging.path, with: folder.path))
    }

    /// Browser -> capture -> discovery, writing into the staging folder (`configuration.outputFolder`).
    private static func runStaged(
        _ configuration: RunConfiguration, flows: [Flow], browser: Browser, closeBrowser: Bool, console: Console
    ) async throws -> (result: RunResult, summary: CaptureSummary, discovery: DiscoveryStage.Report) {
        let shown = configuration.displayFolder ?? configuration.outputFolder
        let options = captureOptions(configuration, flows: flows)
        let recorder = Recorder(options: options)
        let times = StepTimes()
        let result: RunResult
        let summary: CaptureSummary
        // One chain of flows, or with a folder that allows it, its independent chains side by side.
        let chains = configuration.folderSettings.parallel ? FlowChains.split(flows) : [flows]
        var contexts: [BrowserContext] = []
        do {
            for _ in chains { contexts.append(try await browser.newContext()) }
            // Only these contexts' traffic: another run may share the browser.
            try await recorder.attach(to: browser, contexts: contexts)
            if chains.count > 1 {
                console.step("\(chains.count) independent chains of flows (\(FolderSettings.fileName): parallel), \(min(configuration.chainWorkers, chains.count)) at a time")
            }
            let observer = StepObserver(recorder: recorder, console: console, shownPath: (staged: configuration.outputFolder.path, final: shown.path), times: times)
            let results = try await runChains(chains, contexts: contexts, workers: configuration.chainWorkers) { chain, context in
                let page = try await context.newPage()
                var laneObserver = observer
                if chains.count > 1 { laneObserver.lane = context.id }
                let runner = FlowRunner(
                    page: page, baseURL: configuration.baseURL, environment: configuration.environment,
                    variables: configuration.variables, outputFolder: configuration.outputFolder,
                    options: FlowRunOptions(
                        timeout: configuration.stepTimeout, navigationTimeout: configuration.navigationTimeout, keepGoing: configuration.keepGoing,
                        httpCredentials: configuration.httpCredentials, stepScreenshots: configuration.stepScreenshots),
                    observer: laneObserver)
                return await runner.run(chain)
            }
            result = results.count == 1 ? results[0] : RunResult.merged(results, order: flows)
            report(result, console: console)
            let reason = interruptionReason ?? result.setupError ?? result.failures.first.map { "\($0.file) step \($0.step): \($0.message)" }
            let outcomes = Dictionary(result.flows.map { ($0.name, $0.status.rawValue) }, uniquingKeysWith: { _, last in last })
            summary = try await recorder.finish(complete: result.passed, reason: reason, flows: outcomes)
        } catch {
            if !(error is OutputFileError) { _ = try? await recorder.finish(complete: false, reason: interruptionReason ?? "\(error)") }
            for context in contexts { await context.close() }
            if closeBrowser { await browser.close() }
            if error is OutputFileError { throw error }
            throw CommandFailure(code: .environment, message: "the run stopped: \(interruptionReason ?? "\(error)")\nWhat was captured so far is in \(shown.path)/capture.jsonl, marked incomplete.")
        }
        // An attached browser outlives the run: leave it without the contexts we made.
        for context in contexts { await context.close() }
        if closeBrowser { await browser.close() }
        for warning in summary.warnings { console.detail("capture: \(warning)") }
        console.step("captured \(summary.exchanges) exchanges, \(summary.messages) stream messages, \(summary.downloads) downloads\(summary.complete ? "" : " (incomplete)")")
        // The steps' times for the page's timeline (and for `generate` on this folder later).
        let steps = times.runSteps(result, redactor: Redactor(secrets: options.secrets, enabled: !options.keepSecrets), outputFolder: configuration.outputFolder)
        try AtomicFile.write(steps.json.serialized(.pretty) + "\n", to: configuration.outputFolder.appendingPathComponent(RunSteps.fileName))
        let discovery = try DiscoveryStage.run(configuration, captureURL: summary.captureURL, steps: steps, console: console)
        return (result, summary, discovery)
    }

    /// Runs each chain in its context, at most `workers` at once; answers in the chains' order.
    private static func runChains(
        _ chains: [[Flow]], contexts: [BrowserContext], workers: Int,
        _ body: @escaping @Sendable ([Flow], BrowserContext) async throws -> RunResult
    ) async throws -> [RunResult] {
        try await withThrowingTaskGroup(of: (Int, RunResult).self) { group in
            var next = 0
            var results = [RunResult?](repeating: nil, count: chains.count)
            func startNext() {
                guard next < chains.count else { return }
                let (index, chain, context) = (next, chains[next], contexts[next])
                next += 1
                group.addTask { (index, try await body(chain, context)) }
            }
            for _ in 0..<max(1, workers) { startNext() }
            while let (index, result) = try await group.next() {
                results[index] = result
                startNext()
            }
            return results.compactMap { $0 }
        }
    }

    /// Set once SIGINT, SIGTERM or SIGHUP arrived: the run's failures after that are its consequence.
    static var interruptionReason: String? {
        BrowserRegistry.interruption.map { "interrupted by \(BrowserRegistry.signalName($0)); the browser was closed" }
    }

    static func startBrowser(_ configuration: RunConfiguration, console: Console) async throws -> Browser {
        if let connect = configuration.connect {
            if !connect.options.tls.verifiesPeer { console.warning(ConnectSettings.insecureWarning) }
            console.detail(connect.attachingLine)
            do {
                return try await Browser.connect(to: connect.endpoint, options: connect.options, viewport: configuration.launch.viewport)
            } catch {
                // A failure quotes the URL, and a server's answer may echo a header: neither may print a credential.
                throw CommandFailure(code: .environment, message: connect.redact("\(error)"))
            }
        }
        do {
            if let webDriver = configuration.webDriver {
                console.detail("asking \(webDriver.server) for a browser session")
                let (browser, session) = try await Browser.connect(
                    webDriver: webDriver.server, newSessionBody: webDriver.newSessionBody, timeout: webDriver.timeout, viewport: configuration.launch.viewport)
                console.detail("WebDriver session \(session.id), attached through \(session.devToolsEndpoint?.capability ?? "its DevTools endpoint")")
                return browser
            }
            let executable = try Browser.findExecutable(explicit: configuration.launch.executablePath, headless: configuration.launch.headless)
            console.detail("launching \(executable) over the \(configuration.launch.transport.rawValue)")
            return try await Browser.launch(configuration.launch)
        } catch {
            throw CommandFailure(code: .environment, message: "\(error)")
        }
    }

    static func captureOptions(_ configuration: RunConfiguration, flows: [Flow]) -> CaptureOptions {
        let secretNames = Set(flows.flatMap(\.allSecrets)).sorted()
        var secrets = secretNames.compactMap { name in
            configuration.environment[name].flatMap { $0.isEmpty ? nil : SecretValue(name: name, value: $0) }
        }
        if let password = configuration.httpCredentials?.password, !password.isEmpty {
            secrets.append(SecretValue(name: HTTPCredentials.secretName, value: password))
        }
        secrets += configuration.connect?.secrets ?? []
        return CaptureOptions(
            outputFolder: configuration.outputFolder, secrets: secrets, keepSecrets: configuration.keepSecrets,
            include: configuration.include, exclude: configuration.exclude, harContent: configuration.harContent,
            toolVersion: DiscoverCommand.version, baseURL: configuration.baseURL, flows: flows.map(\.fileName))
    }

    /// What is left to say once the flows ran: each flow's line was printed as it ended (`flowLine`).
    static func report(_ result: RunResult, console: Console) {
        if let interruptionReason { console.error("\(interruptionReason): writing what was captured, marked incomplete") }
        if let setupError = result.setupError { console.error(setupError) }
    }

    static func flowLine(_ flow: FlowResult, console: Console, shownPath: (staged: String, final: String)? = nil) {
        let seconds = String(format: "%.1f s", flow.duration.inSeconds)
        switch flow.status {
        case .passed: console.success("  passed   \(flow.file) (\(flow.steps.count) steps, \(seconds))")
        case .skipped: console.info("  skipped  \(flow.file)\(flow.skipReason.map { ": \($0)" } ?? "")")
        case .failed:
            console.error("  failed   \(flow.file)")
            if let failure = flow.failure {
                let text = failure.description
                console.error(shownPath.map { text.replacingOccurrences(of: $0.staged, with: $0.final) } ?? text)
            }
        }
    }
}
