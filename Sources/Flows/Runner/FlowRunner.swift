import Browser
import DevTools
import Durations
import Foundation
import JSONCore

/// Replays flows in one page: auto-waits before each action, acts through trusted input, and stops a
/// flow at its first failing step with a report that says where and why.
public actor FlowRunner {
    let page: Page
    let baseURL: String
    let environment: [String: String]
    /// `--var` values; they win over a flow's `vars`.
    let fixedVariables: [String: String]
    var variables: [String: String]
    let outputFolder: URL
    let options: FlowRunOptions
    let observer: (any FlowRunObserver)?
    let runInfo: RunInfo
    let engine: LocatorEngine
    let network: NetworkLog
    let keyboard: Keyboard
    let mouse: Mouse
    let crashWatch: CrashWatch
    /// Engines inside cross-origin frames, by session (or frame id when the frame shares the page's process).
    var frameEngines: [String: LocatorEngine] = [:]
    var redactor = MessageRedactor(secretNames: [], environment: [:])
    /// Network position when the last action began: response and message conditions look from here on.
    var actionMark = 0
    /// Network position when the current step began: its failure lists what went wrong since.
    var stepMark = 0
    /// The step under way until its input goes out (`reportReady`).
    var currentStep: StepContext?
    var downloadsFolder: DownloadsFolder?

    public init(
        page: Page, baseURL: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        variables: [String: String] = [:], outputFolder: URL, options: FlowRunOptions = .init(),
        observer: (any FlowRunObserver)? = nil, runInfo: RunInfo? = nil
    ) {
        self.page = page
        self.baseURL = baseURL
        self.environment = environment
        fixedVariables = variables
        self.variables = variables
        self.outputFolder = outputFolder
        self.options = options
        self.observer = observer
        self.runInfo = runInfo ?? RunInfo(baseURL: baseURL)
        engine = LocatorEngine(contexts: page.frameContexts, testIdAttribute: options.testIdAttribute)
        network = NetworkLog(page: page)
        keyboard = Keyboard(session: page.session)
        mouse = Mouse(session: page.session)
        crashWatch = CrashWatch(session: page.session)
    }

    /// Runs the flows in order. Missing environment variables fail the run before any step.
    public func run(_ flows: [Flow]) async -> RunResult {
        do {
            try Flow.checkEnvironment(flows, environment)
        } catch {
            return RunResult(flows: [], setupError: error.description, variables: redactedVariables)
        }
        var secretEnvironment = environment
        var secretNames = flows.flatMap(\.allSecrets)
        if let password = options.httpCredentials?.password {
            secretEnvironment[HTTPCredentials.secretName] = password
            secretNames.append(HTTPCredentials.secretName)
        }
        redactor = MessageRedactor(secretNames: secretNames, environment: secretEnvironment)
        await network.start()
        defer { network.stop() }
        let credentialResponder = HTTPCredentialResponder()
        defer { credentialResponder.stop() }
        if let credentials = options.httpCredentials, let origin = Self.origin(of: baseURL) {
            do {
                try await credentialResponder.start(session: page.session, origin: origin, credentials: credentials)
            } catch {
                return RunResult(flows: [], setupError: "enabling HTTP authentication for \(origin) failed: \(error)", variables: redactedVariables)
            }
        }
        // Renderer crashes arrive as `Inspector.targetCrashed` only with the domain on.
        _ = try? await page.session.send("Inspector.enable", timeout: .seconds(5))
        // Dialogs are answered in one place, by the browser's `DialogPolicy` (accept unless told otherwise).
        var results: [FlowResult] = []
        var stopReason: String?
        for flow in flows {
            if let stopReason {
                results.append(FlowResult(name: flow.name, file: flow.fileName, status: .skipped, skipReason: stopReason, failure: nil, steps: [], duration: .zero))
                await observer?.flowDidFinish(results[results.count - 1])
                continue
            }
            if let when = flow.when, !when.holds(in: variables) {
                let reason = "when: \(when.variable) is \(variables[when.variable].map { "`\($0)`" } ?? "not set"), not one of \(when.allowed.joined(separator: ", "))"
                results.append(FlowResult(name: flow.name, file: flow.fileName, status: .skipped, skipReason: reason, failure: nil, steps: [], duration: .zero))
                await observer?.flowDidFinish(results[results.count - 1])
                continue
            }
            let started = ContinuousClock.now
            var steps: [StepResult] = []
            do {
                try await applyVars(of: flow, root: flow)
                try await runSteps(flow.steps, flow: flow, file: flow, includedFrom: [], results: &steps)
                results.append(FlowResult(name: flow.name, file: flow.fileName, status: .passed, skipReason: nil, failure: nil, steps: steps, duration: .now - started))
                await observer?.flowDidFinish(results[results.count - 1])
            } catch {
                let failure = error as? FlowFailure ?? FlowFailure(
                    flow: flow.name, file: flow.fileName, step: 0, includedFrom: [], kind: "flow", written: "", locator: nil,
                    message: redactor.redact("\(error)"), found: [], url: nil, screenshot: nil, html: nil)
                results.append(FlowResult(name: flow.name, file: flow.fileName, status: .failed, skipReason: nil, failure: failure, steps: steps, duration: .now - started))
                await observer?.flowDidFinish(results[results.count - 1])
                if !options.keepGoing { stopReason = "not run: flow \"\(flow.name)\" failed before it" }
            }
        }
        return RunResult(flows: results, setupError: nil, variables: redactedVariables)
    }

    /// `http://host:port` of a URL.
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    private var redactedVariables: [String: String] { variables.mapValues { redactor.redact($0) } }

    /// A flow's vars may use each other in any order: resolve in passes until none is left.
    private func applyVars(of flow: Flow, root: Flow) async throws {
        var pending = flow.vars.keys.filter { fixedVariables[$0] == nil }.sorted()
        while !pending.isEmpty {
            var failures: [(String, InterpolationError)] = []
            for name in pending {
                do {
                    variables[name] = try interpolator.interpolate(flow.vars[name]!)
                } catch {
                    failures.append((name, error))
                }
            }
            if failures.count == pending.count, let (name, error) = failures.first {
                throw FlowFailure(
                    flow: root.name, file: flow.fileName, step: 0, includedFrom: [], kind: "vars", written: "\"\(name)\": \"\(flow.vars[name]!)\"",
                    locator: nil, message: redactor.redact("vars.\(name): \(error)"), found: [], url: nil, screenshot: nil, html: nil)
            }
            pending = failures.map(\.0)
        }
    }

    var interpolator: Interpolator { Interpolator(environment: environment, variables: variables, run: runInfo) }

    private func runSteps(_ steps: [Step], flow: Flow, file: Flow, includedFrom: [String], results: inout [StepResult]) async throws {
        for step in steps {
            if let when = step.when, !when.holds(in: variables) {
                results.append(StepResult(file: file.fileName, index: step.index, kind: step.action.kind, description: "skipped (when)", status: .skipped, duration: .zero, ran: false))
                continue
            }
            let started = ContinuousClock.now
            stepMark = network.mark
            var action = step.action
            var context = StepContext(flow: flow.name, file: file.fileName, index: step.index, kind: action.kind, description: redactor.redact(Self.describe(action, name: step.name)))
            var announced = false
            do {
                action = try resolve(step)
                context = StepContext(flow: flow.name, file: file.fileName, index: step.index, kind: action.kind, description: redactor.redact(Self.describe(action, name: step.name)))
                announced = true
                await observer?.stepWillStart(context)
                if case .include(let included) = action {
                    try await applyVars(of: included, root: flow)
                    try await runSteps(included.steps, flow: flow, file: included, includedFrom: includedFrom + ["\(file.fileName) step \(step.index)"], results: &results)
                } else {
                    currentStep = context
                    try await performWithinDeadline(action, step: step, file: file)
                    currentStep = nil
                    if options.stepScreenshots { await screenshotAfter(step, flow: flow, file: file) }
                }
                await observer?.stepDidFinish(context, error: nil)
                results.append(StepResult(file: file.fileName, index: step.index, kind: action.kind, description: context.description, status: .passed, duration: .now - started))
            } catch {
                if step.optional, !(error is FlowFailure), !(error is CancellationError), !Task.isCancelled,
                    Self.cause(of: error) == .step, crashWatch.crashed == nil
                {
                    // Not there, not in time: an optional step's miss is the flow's normal course, with
                    // no failure evidence. A browser or app that is gone is not a miss.
                    let reason = Self.shortened(redactor.redact((error as? StepError)?.message ?? "\(error)"), note: " … (cut)")
                    if !announced { await observer?.stepWillStart(context) }
                    await observer?.stepDidFinish(context, error: nil)
                    results.append(StepResult(
                        file: file.fileName, index: step.index, kind: action.kind, description: context.description + " (optional, skipped: \(reason))",
                        status: .skipped, duration: .now - started))
                    continue
                }
                let failure: FlowFailure
                if let nested = error as? FlowFailure {
                    failure = nested
                } else {
                    failure = await makeFailure(error, step: step, action: action, flow: flow, file: file, includedFrom: includedFrom)
                }
                // Every finish has its start, also for a step that failed while being interpolated.
                if !announced { await observer?.stepWillStart(context) }
                await observer?.stepDidFinish(context, error: failure)
                results.append(StepResult(file: file.fileName, index: step.index, kind: action.kind, description: context.description, status: .failed, duration: .now - started))
                throw failure
            }
        }
    }

    /// Tells the observer, once per step, that its waiting is over and its input goes out now.
    func reportReady() async {
        guard let step = currentStep else { return }
        currentStep = nil
        await observer?.stepIsReady(step)
    }

    /// `--screenshots`: what the page shows after the step, for the report's timeline. Worth a second at
    /// most; a step that passed is not failed for want of its picture.
    private func screenshotAfter(_ step: Step, flow: Flow, file: Flow) async {
        let name = OutputFileName.stepScreenshot(flow: flow.name, flowFile: flow.fileName, file: file.fileName, index: step.index)
        let target = outputFolder.appendingPathComponent(name)
        let page = self.page
        guard let image = try? await StepDeadline.race(limit: .seconds(2), { try await page.screenshot() }) else { return }
        try? FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? image.write(to: target)
    }

    /// The step with `${...}` replaced by the values of this moment (a `save` may have set them).
    private func resolve(_ step: Step) throws -> Action {
        if case .include = step.action { return step.action }
        let interpolated: JSON
        do {
            interpolated = try interpolator.interpolate(step.written)
        } catch {
            throw StepError(message: error.description)
        }
        if interpolated == step.written { return step.action }
        do {
            return try FlowDecoder.decodeStep(interpolated, index: step.index).action
        } catch {
            throw StepError(message: "after interpolation: \(error)")
        }
    }

    /// `perform`, bounded by the step's timeout plus `StepDeadline.grace` whatever it awaits.
    private func performWithinDeadline(_ action: Action, step: Step, file: Flow) async throws {
        let timeout: Duration
        if case .goto = action { timeout = step.timeout ?? options.navigationTimeout } else { timeout = step.timeout ?? options.timeout }
        do {
            try await StepDeadline.race(limit: timeout + StepDeadline.grace, crash: crashWatch) {
                try await self.perform(action, step: step, file: file)
            }
        } catch is StepDeadline.Expired {
            let stopped = await stopRunawayScript()
            throw StepError(
                message: "the step did not finish within its timeout of \(Self.seconds(timeout)) (+\(Self.seconds(StepDeadline.grace)) grace)"
                    + (stopped ? "; the page's script was still running and was stopped (Runtime.terminateExecution)" : ""))
        }
        // A `RendererCrashed` goes on as it is: its failure is the environment's (exit 3).
    }

    /// A page that does not answer a trivial evaluation within half a second is running a script that does
    /// not yield (`while(true){}`): stop it so the page, its evidence and later steps are usable again.
    private func stopRunawayScript() async -> Bool {
        if crashWatch.crashed != nil { return false }
        let probe = { @Sendable [session = page.session] () async -> Bool in
            (try? await session.send("Runtime.evaluate", ["expression": "1", "returnByValue": true], timeout: .milliseconds(500))) != nil
        }
        if await probe() { return false }
        _ = try? await page.session.send("Runtime.terminateExecution", timeout: .seconds(2))
        return true
    }

    private func makeFailure(_ error: any Error, step: Step, action: Action, flow: Flow, file: Flow, includedFrom: [String]) async -> FlowFailure {
        let stepError = error as? StepError ?? StepError(message: "\(error)")
        let stem = "\(Self.safeName(flow.name))-step\(step.index)"
        let folder = outputFolder.appendingPathComponent("failures")
        var screenshotPath: String?
        var htmlPath: String?
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Evidence is worth seconds, not minutes: a crashed renderer answers nothing, a busy one late.
        let page = self.page
        let crashed = crashWatch.crashed != nil
        let evidenceDeadline = Deadline(after: Self.evidenceLimit)
        func remaining() -> Duration { max(evidenceDeadline.remaining, .milliseconds(100)) }
        if !crashed, let image = try? await StepDeadline.race(limit: remaining(), { try await page.screenshot() }) {
            let url = folder.appendingPathComponent("\(stem).png")
            if (try? image.write(to: url)) != nil { screenshotPath = url.path }
        }
        if !crashed, let html = try? await StepDeadline.race(limit: remaining(), { try await page.content() }) {
            let url = folder.appendingPathComponent("\(stem).html")
            if (try? redactor.redact(html).write(to: url, atomically: true, encoding: .utf8)) != nil { htmlPath = url.path }
        }
        let place = crashed ? nil : try? await StepDeadline.race(limit: remaining(), { try await page.evaluate("[location.href, innerWidth, innerHeight]") })
        let url = place?[0]?.stringValue
        var window: [String] = []
        // Below an app's breakpoints elements hide, shrink to 0 px or take other names: say so beside a
        // failure in a window narrower than the default.
        if let width = place?[1]?.intValue, let height = place?[2]?.intValue, width < Viewport.standard.width {
            window = ["the window is \(width)x\(height) CSS pixels, narrower than the default \(Viewport.standard): below an app's breakpoints elements hide, shrink to nothing or take other names (--viewport, setViewport)"]
        }
        let written = redactor.redact(step.written.serialized())
        let message = redactor.redact(stepError.message)
        // A 10 MB step must not become 10 MB of stderr: the message keeps the start, a file the rest.
        var fullText: String?
        if written.utf8.count > Self.messageLimit || message.utf8.count > Self.messageLimit {
            let url = folder.appendingPathComponent("\(stem).txt")
            if (try? "step: \(written)\n\nerror: \(message)\n".write(to: url, atomically: true, encoding: .utf8)) != nil { fullText = url.path }
        }
        let note = fullText.map { " … (cut; the full text is in \($0))" } ?? " … (cut)"
        var failure = FlowFailure(
            flow: flow.name, file: file.fileName, step: step.index, includedFrom: includedFrom, kind: action.kind,
            written: Self.shortened(written, note: note), locator: action.locator.map { Self.shortened(redactor.redact($0.description), note: " … (cut)") },
            message: Self.shortened(message, note: note),
            found: (stepError.found + network.problems(since: stepMark) + window).map { Self.shortened(redactor.redact($0), note: " … (cut)") },
            url: url.map { redactor.redact($0) }, screenshot: screenshotPath, html: htmlPath)
        failure.cause = Self.cause(of: error)
        return failure
    }

    /// The most of a step or message a failure prints, in UTF-8 bytes.
    static let messageLimit = 2_000

    static func shortened(_ text: String, note: String) -> String {
        guard text.utf8.count > messageLimit else { return text }
        return String(decoding: text.utf8.prefix(messageLimit), as: UTF8.self) + note
    }

    /// Failures that are the environment's, not the flow's: exit code 3 rather than 1.
    static func cause(of error: any Error) -> FailureCause {
        if error is RendererCrashed { return .browserGone }
        if let devtools = error as? DevToolsError, case .disconnected = devtools { return .browserGone }
        if let navigation = error as? NavigationError,
            ["ERR_CONNECTION_REFUSED", "ERR_NAME_NOT_RESOLVED", "ERR_ADDRESS_UNREACHABLE", "ERR_CONNECTION_TIMED_OUT", "ERR_CONNECTION_RESET",
             "ERR_EMPTY_RESPONSE", "ERR_INTERNET_DISCONNECTED", "ERR_CONNECTION_CLOSED", "no answer within"]
                .contains(where: navigation.reason.contains)
        {
            return .appUnreachable
        }
        return .step
    }

    /// Failure evidence (screenshot, HTML, URL) gets at most this long in all.
    static let evidenceLimit: Duration = .seconds(3)

    static func safeName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" })
    }

    /// `click role=button "Create"`, `fill placeholder=Dataset Name`, `waitFor response POST **/api/jobs`.
    static func describe(_ action: Action, name: String?) -> String {
        var text: String
        switch action {
        case .goto(let url): text = "goto \(url)"
        case .click(let l, let position, _), .dblclick(let l, let position, _), .hover(let l, let position):
            text = "\(action.kind) \(l)" + (position.map { " at (\(Self.number($0.x)), \(Self.number($0.y)))" } ?? "")
        case .check(let l), .uncheck(let l), .fill(let l, _), .type(let l, _, _), .download(let l, _):
            text = "\(action.kind) \(l)"
        case .press(let key, let target): text = "press \(key)" + (target.map { " on \($0)" } ?? "")
        case .select(let l, let option):
            switch option {
            case .text(let value): text = "select \"\(value)\" in \(l)"
            case .locator(let optionLocator): text = "select \(optionLocator) in \(l)"
            }
        case .upload(let l, let files): text = "upload \(files.joined(separator: ", ")) to \(l)"
        case .waitFor(let condition), .expect(let condition): text = "\(action.kind) \(describe(condition))"
        case .save(let variable, let source):
            switch source {
            case .response(let matcher, let path): text = "save \(variable) from \(describe(matcher)) \(path)"
            case .element(let l, let attribute): text = "save \(variable) from \(l)" + (attribute.map { " @\($0)" } ?? "")
            case .urlRegex(let regex): text = "save \(variable) from url /\(regex)/"
            case .urlSegment(let index): text = "save \(variable) from url segment \(index)"
            }
        case .evaluate(let script, _):
            let line = script.split(separator: "\n").first.map(String.init) ?? ""
            text = "evaluate \(line.count > 60 ? String(line.prefix(59)) + "…" : line)"
        case .screenshot(let file, _): text = "screenshot \(file)"
        case .setViewport(let viewport): text = "setViewport \(viewport.width)x\(viewport.height)"
        case .include(let flow): text = "include \(flow.fileName)"
        }
        if let name { text += " (\(name))" }
        return text
    }

    static func describe(_ condition: Condition) -> String {
        switch condition {
        case .element(let l, let state, let count):
            return count.map { "\(l) \($0) \(state.rawValue)" } ?? "\(l) \(state.rawValue)"
        case .text(let text, let exact): return "text \"\(text)\"" + (exact ? " (exact)" : "")
        case .url(let pattern): return "url \(pattern)"
        case .response(let matcher, let count, let json):
            var text = describe(matcher)
            if let count { text += " count=\(count)" }
            if let json { text += " json \(json.path)" + (json.equals.map { " == \($0.serialized())" } ?? "") + (json.exists.map { " exists=\($0)" } ?? "") }
            return text
        case .expression(let expression): return "expression `\(expression)`"
        case .message(let matcher, let count):
            var text = "message \(matcher.url)"
            if let direction = matcher.direction { text += " \(direction.rawValue)" }
            if let event = matcher.event { text += " event=\(event)" }
            if let contains = matcher.contains { text += " contains \"\(contains)\"" }
            if let matches = matcher.matches { text += " matches /\(matches)/" }
            if let count { text += " count=\(count)" }
            return text
        }
    }

    /// `5`, `42.5`: a coordinate without a needless `.0`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func describe(_ matcher: ResponseMatcher) -> String {
        ["response", matcher.method, matcher.url, matcher.status.map(String.init)].compactMap { $0 }.joined(separator: " ")
    }
}

extension Flow {
    /// Secret names of this flow and every flow it includes.
    public var allSecrets: [String] {
        secrets + steps.flatMap { step -> [String] in
            if case .include(let included) = step.action { return included.allSecrets }
            return []
        }
    }
}
