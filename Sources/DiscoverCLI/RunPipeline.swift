import Browser
import Capture
import Flows
import Foundation
import Recording

/// One run, start to end: flows -> browser -> capture -> discovery -> outputs. Whatever happens after
/// the browser starts, the browser is closed and what was captured is written, marked incomplete when
/// the run did not finish.
enum RunPipeline {
    static func run(_ given: RunConfiguration, console: Console) async throws -> ExitCode {
        var configuration = given
        let flows = try FlowSource.load(configuration.flowsPath)
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

        Browser.installSignalHandlers()
        let browser = try await startBrowser(configuration, console: console)
        // Only now that the run can start: a browser that does not launch leaves the last run untouched.
        do {
            try OutputFolder.prepare(configuration.outputFolder)
        } catch {
            await browser.close()
            throw error
        }
        let recorder = Recorder(options: captureOptions(configuration, flows: flows))
        let result: RunResult
        let summary: CaptureSummary
        var context: BrowserContext?
        do {
            try await recorder.attach(to: browser)
            let runContext = try await browser.newContext()
            context = runContext
            let page = try await runContext.newPage()
            let runner = FlowRunner(
                page: page, baseURL: configuration.baseURL, environment: configuration.environment,
                variables: configuration.variables, outputFolder: configuration.outputFolder,
                options: FlowRunOptions(
                    timeout: configuration.stepTimeout, navigationTimeout: configuration.navigationTimeout, keepGoing: configuration.keepGoing,
                    downloadsConfiguredAt: configuration.outputFolder.appendingPathComponent("downloads"),
                    // The recorder enabled Network with its buffer sizes and owns stream content.
                    captureOwnsNetwork: true, httpCredentials: configuration.httpCredentials),
                observer: StepObserver(recorder: recorder, console: console))
            result = await runner.run(flows)
            report(result, console: console)
            let reason = interruptionReason ?? result.setupError ?? result.failures.first.map { "\($0.file) step \($0.step): \($0.message)" }
            let outcomes = Dictionary(result.flows.map { ($0.name, $0.status.rawValue) }, uniquingKeysWith: { _, last in last })
            summary = try await recorder.finish(complete: result.passed, reason: reason, flows: outcomes)
        } catch {
            _ = try? await recorder.finish(complete: false, reason: interruptionReason ?? "\(error)")
            await context?.close()
            await browser.close()
            throw CommandFailure(code: .environment, message: "the run stopped: \(interruptionReason ?? "\(error)")\nWhat was captured so far is in \(configuration.outputFolder.path)/capture.jsonl, marked incomplete.")
        }
        // An attached browser outlives the run: leave it without the context we made.
        await context?.close()
        await browser.close()
        for warning in summary.warnings { console.detail("capture: \(warning)") }
        console.step("captured \(summary.exchanges) exchanges, \(summary.messages) stream messages, \(summary.downloads) downloads\(summary.complete ? "" : " (incomplete)")")

        let discoveryCode = try DiscoveryStage.run(configuration, captureURL: summary.captureURL, console: console)
        // A full disk lost records: the run is incomplete, and the last complete run stays in .previous-run.
        if let lost = summary.writeErrors.first {
            throw CommandFailure(
                code: .environment,
                message: "\(lost)\n\(summary.writeErrors.count == 1 ? "A record was" : "Records were") lost; the previous run's files are kept in \(configuration.outputFolder.appendingPathComponent(OutputFolder.previousName).path)")
        }
        if summary.complete { OutputFolder.dropPrevious(configuration.outputFolder) }
        if BrowserRegistry.interruption != nil { return .interrupted }
        // The app was not there or the browser died: the environment's failure, not the flow's.
        if result.failures.contains(where: { $0.cause != .step }) { return .environment }
        if !result.passed { return .failure }
        return discoveryCode
    }

    /// Set once SIGINT, SIGTERM or SIGHUP arrived: the run's failures after that are its consequence.
    static var interruptionReason: String? {
        BrowserRegistry.interruption.map { "interrupted by \(BrowserRegistry.signalName($0)); the browser was closed" }
    }

    static func startBrowser(_ configuration: RunConfiguration, console: Console) async throws -> Browser {
        do {
            if let endpoint = configuration.connectEndpoint {
                console.detail("attaching to \(endpoint)")
                return try await Browser.connect(to: endpoint)
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

    static func flowLine(_ flow: FlowResult, console: Console) {
        let seconds = String(format: "%.1f s", Double(flow.duration.components.seconds) + Double(flow.duration.components.attoseconds) / 1e18)
        switch flow.status {
        case .passed: console.success("  passed   \(flow.file) (\(flow.steps.count) steps, \(seconds))")
        case .skipped: console.info("  skipped  \(flow.file)\(flow.skipReason.map { ": \($0)" } ?? "")")
        case .failed:
            console.error("  failed   \(flow.file)")
            if let failure = flow.failure { console.error(failure.description) }
        }
    }
}
