import Browser
import Capture
import Flows
import Foundation
import JSONCore
import Recording
import Replica
import Wire

/// The time recording adds to a flow: the same flows, run by the flow runner on two browsers in the
/// same run, one of them recorded, taking turns (which goes first alternates) so the machine's load
/// hits both alike.
///
/// The runner enables the Network domain itself (its `waitFor response`, `save from response` and
/// message conditions read it), as Playwright does for every page: a flow without capture already pays
/// Chromium's cost of being observed, so what recording adds is the recorder's own work. The last
/// section shows that cost apart, on bare browsers with no runner.
enum FlowOverheadBenchmark {
    static func run() async throws {
        try await aiToolkitFlows()
        try await networkOnlyFlow()
        try await bareBrowsers()
    }

    /// `overhead-worst`: the worst case alone, which takes two minutes where the section takes ten.
    static func worstCase() async throws {
        try await networkOnlyFlow()
    }

    // MARK: the product's flows

    /// `flows/ai-toolkit` against the replica: login, a dataset with three uploads, a job, cleanup.
    /// Left out: the flows that wait for the simulated trainer, and `start-job`, whose last step waits
    /// for the UI's 5-second status poll: the poll's phase, not the browser, decides whether that step
    /// takes 0.1 s or 5 s, which would swamp the comparison.
    static func aiToolkitFlows(rounds: Int = 12) async throws {
        var options = ReplicaOptions()
        options.password = "bench-password"
        options.trainer = .fast
        let replica = try await ReplicaServer.start(options)
        defer { Task { await replica.stop() } }
        let flows = try FlowLoader.load(repositoryRoot.appendingPathComponent("flows/ai-toolkit")).filter { $0.name != "start-job" }
        let result = try await compare(
            flows: flows, baseURL: replica.baseURL, environment: ["AI_TOOLKIT_PASSWORD": "bench-password"],
            variables: ["until": "started"], rounds: rounds)
        print("  flows/ai-toolkit against the replica (\(result.steps) steps a run, \(rounds) runs each, runner with and without the recorder):")
        result.print()
    }

    /// A worst case: every step is a navigation or five API calls, nothing else, so the network is all
    /// the flow does.
    static func networkOnlyFlow(steps: Int = 200, rounds: Int = 9) async throws {
        let server = try CaptureBenchmark.startServer()
        defer { Task { await server.stop() } }
        var list: [JSON] = []
        for index in 0..<steps / 2 {
            list.append(["goto": .string("/?step=\(index)")])
            list.append(["evaluate": "Promise.all([1,2,3,4,5].map(i => fetch('/api/json?i=' + i).then(r => r.text()))).then(() => true)"])
        }
        let folder = CaptureBenchmark.temporaryFolder("bench-flow-file")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("network-only.flow.json")
        try Data(JSON.object(["name": "network-only", "steps": .array(list)]).serialized().utf8).write(to: file)
        let flow = try FlowLoader.loadFile(file)
        let result = try await compare(flows: [flow], baseURL: server.baseURL, environment: [:], variables: [:], rounds: rounds)
        print("  worst case, a flow of \(steps) steps that only navigate or fetch (\(rounds) runs each):")
        result.print()
    }

    struct Comparison {
        var plain: [Double] = []
        /// A second unrecorded browser in the same rotation: how far two identical setups drift apart.
        var control: [Double] = []
        var recorded: [Double] = []
        var steps = 0
        var kinds: [Int: [String: Double]] = [:]
        var exchanges = 0
        var finishSeconds = 0.0

        func print() {
            func change(_ runs: [Double]) -> (total: Double, median: Double) {
                ((runs.reduce(0, +) / plain.reduce(0, +) - 1) * 100, (CaptureBenchmark.median(zip(plain, runs).map { $1 / $0 }) - 1) * 100)
            }
            let recordedChange = change(recorded), controlChange = change(control)
            Swift.print(String(
                format: "    %.2f s plain, %.2f s recorded: %+.1f%% (median of the %d paired runs %+.1f%%; target < 10%%)",
                plain.reduce(0, +), recorded.reduce(0, +), recordedChange.total, recorded.count, recordedChange.median))
            Swift.print(String(
                format: "    noise floor, a second plain role in the same rotation: %+.1f%% (median %+.1f%%)", controlChange.total, controlChange.median))
            for (role, name) in ["plain", "second plain", "recorded"].enumerated() {
                let byKind = (kinds[role] ?? [:]).sorted { $0.key < $1.key }.map { String(format: "%@ %.2f s", $0.key, $0.value) }
                Swift.print("    by step kind, \(name): " + byKind.joined(separator: ", "))
            }
            Swift.print(String(format: "    %d exchanges recorded; finish (trailer, HAR) %.3f s in all, after each recorded run", exchanges, finishSeconds))
        }
    }

    /// Three roles take turns on three browsers: plain, a second plain one (the noise floor), and
    /// recorded. Each browser plays each role in turn (a recorder attached to the run's own browser
    /// context, as `discover run --workers` does), and which goes first rotates: a browser that is
    /// faster than its twins for the whole session (measured: up to 20 % apart, stable within a
    /// session) then weighs on every role alike instead of passing for recording's cost or gain.
    static func compare(flows: [Flow], baseURL: String, environment: [String: String], variables: [String: String], rounds: Int) async throws -> Comparison {
        let folder = CaptureBenchmark.temporaryFolder("bench-flows")
        defer { try? FileManager.default.removeItem(at: folder) }
        var browsers: [Browser] = []
        var comparison = Comparison()
        do {
            for _ in 0..<3 { browsers.append(try await Browser.launch()) }
            // One run each first, untimed: caches, the replica's first requests, the JIT.
            for browser in browsers { _ = try await runOnce(flows, browser, recordInto: nil, baseURL, environment, variables, folder) }
            for round in 0..<rounds {
                for offset in 0..<3 {
                    let index = (round + offset) % 3
                    let role = (index + round / 3) % 3
                    let capture = role == 2 ? folder.appendingPathComponent("capture-\(round)") : nil
                    let run = try await runOnce(flows, browsers[index], recordInto: capture, baseURL, environment, variables, folder)
                    comparison.kinds[role, default: [:]].merge(run.kinds, uniquingKeysWith: +)
                    switch role {
                    case 0: comparison.plain.append(run.seconds)
                    case 1: comparison.control.append(run.seconds)
                    default: comparison.recorded.append(run.seconds)
                    }
                    comparison.steps = run.steps
                    comparison.exchanges += run.exchanges
                    comparison.finishSeconds += run.finishSeconds
                }
            }
        } catch {
            for browser in browsers { await browser.close() }
            throw error
        }
        for browser in browsers { await browser.close() }
        return comparison
    }

    struct Run {
        var seconds: Double
        var steps: Int
        /// Seconds by step kind (`goto`, `evaluate`, ...).
        var kinds: [String: Double]
        var exchanges = 0
        var finishSeconds = 0.0
    }

    /// One run of the flows in a fresh browser context, recorded into `recordInto` when given (the
    /// recorder's `finish` is not timed).
    static func runOnce(
        _ flows: [Flow], _ browser: Browser, recordInto capture: URL?, _ baseURL: String, _ environment: [String: String],
        _ variables: [String: String], _ folder: URL
    ) async throws -> Run {
        let context = try await browser.newContext()
        defer { Task { await context.close() } }
        var recorder: Recorder?
        if let capture {
            recorder = Recorder(options: CaptureOptions(outputFolder: capture, toolVersion: "bench"))
            try await recorder?.attach(to: browser, contexts: [context])
        }
        let page = try await context.newPage()
        let output = folder.appendingPathComponent(recorder == nil ? "plain" : "recorded")
        let runner = FlowRunner(
            page: page, baseURL: baseURL, environment: environment, variables: variables, outputFolder: output,
            options: FlowRunOptions(timeout: .seconds(30)),
            observer: recorder.map(ProvenanceObserver.init))
        let start = ContinuousClock.now
        let result = await runner.run(flows)
        let seconds = CaptureBenchmark.seconds(ContinuousClock.now - start)
        guard result.passed else { throw BenchmarkError(message: "the flows failed \(recorder == nil ? "without" : "with") recording: \(result.failures.first.map(\.description) ?? result.setupError ?? "")") }
        var kinds: [String: Double] = [:]
        for step in result.flows.flatMap(\.steps) { kinds[step.kind, default: 0] += CaptureBenchmark.seconds(step.duration) }
        var run = Run(seconds: seconds, steps: result.flows.reduce(0) { $0 + $1.steps.count }, kinds: kinds)
        if let recorder {
            let finishStart = ContinuousClock.now
            run.exchanges = try await recorder.finish(complete: true, reason: nil).exchanges
            run.finishSeconds = CaptureBenchmark.seconds(ContinuousClock.now - finishStart)
        }
        return run
    }

    struct ProvenanceObserver: FlowRunObserver {
        let recorder: Recorder
        func stepWillStart(_ step: StepContext) async {
            recorder.setProvenance(Provenance(flow: step.flow, step: step.index, description: step.description))
        }
        func stepDidFinish(_ step: StepContext, error: (any Error)?) async {
            recorder.setProvenance(nil)
        }
    }

    static var repositoryRoot: URL {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if FileManager.default.fileExists(atPath: cwd.appendingPathComponent("flows/ai-toolkit").path) { return cwd }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    // MARK: Chromium's own cost, apart

    /// Three bare browsers (no runner): plain, with only `Network.enable`, and recorded. The same step
    /// (a navigation, then five API calls) runs on each in turn, rotating which goes first.
    static func bareBrowsers(steps: Int = 150) async throws {
        let server = try CaptureBenchmark.startServer()
        defer { Task { await server.stop() } }
        let folder = CaptureBenchmark.temporaryFolder("bench-flow")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plainBrowser = try await Browser.launch()
        let observedBrowser = try await Browser.launch()
        let recordedBrowser = try await Browser.launch()
        let browsers = [plainBrowser, observedBrowser, recordedBrowser]
        do {
            // Network on with the capture's buffer sizes, and no consumer.
            await observedBrowser.network.activate()
            let recorder = Recorder(options: CaptureOptions(outputFolder: folder, toolVersion: "bench"))
            try await recorder.attach(to: recordedBrowser)
            var pages: [Page] = []
            for browser in browsers { pages.append(try await browser.newContext().newPage()) }
            func step(_ page: Page, _ index: Int) async throws -> Double {
                let start = ContinuousClock.now
                try await page.goto(server.baseURL + "/?step=\(index)")
                _ = try await page.evaluate("Promise.all([1,2,3,4,5].map(i => fetch('/api/json?i=' + i).then(r => r.text())))")
                return CaptureBenchmark.seconds(ContinuousClock.now - start)
            }
            for index in 0..<10 {
                for page in pages { _ = try await step(page, index) }
            }
            var totals = [0.0, 0.0, 0.0]
            for index in 0..<steps {
                recorder.setProvenance(Provenance(flow: "bench", step: index + 1, description: "step \(index + 1)"))
                for offset in 0..<3 {
                    let which = (index + offset) % 3
                    totals[which] += try await step(pages[which], index)
                }
                recorder.setProvenance(nil)
            }
            _ = try await recorder.finish(complete: true, reason: nil)
            let (plain, observed, recorded) = (totals[0], totals[1], totals[2])
            print("  bare browsers, no runner, \(steps) steps of a navigation + 5 fetches, rotating:")
            print(String(
                format: "    %.2f s plain, %.2f s with Network.enable only (%+.1f%%, Chromium's cost of being observed), %.2f s recorded (%+.1f%%; %+.1f%% over Network.enable)",
                plain, observed, (observed / plain - 1) * 100, recorded, (recorded / plain - 1) * 100, (recorded / observed - 1) * 100))
        } catch {
            for browser in browsers { await browser.close() }
            throw error
        }
        for browser in browsers { await browser.close() }
    }
}
