import Browser
import Flows
import Foundation
import JSONCore
import Synchronization
import TestSupport
import Testing

/// One Chromium for the whole test target, launched on first use; each test gets its own context.
/// The browser registry kills it when the test process exits.
actor SharedBrowser {
    static let shared = SharedBrowser()
    private var browser: Browser?

    func get() async throws -> Browser {
        if let browser { return browser }
        let launched = try await TestBrowser.launch()
        browser = launched
        return launched
    }
}

/// Records observer calls in order.
final class RecordingObserver: FlowRunObserver {
    let events = Mutex<[String]>([])
    func stepWillStart(_ step: StepContext) async { events.withLock { $0.append("start \(step.file)#\(step.index) \(step.description)") } }
    func stepDidFinish(_ step: StepContext, error: (any Error)?) async {
        events.withLock { $0.append("finish \(step.file)#\(step.index)\(error == nil ? "" : " failed")") }
    }
    func flowDidFinish(_ flow: FlowResult) async { events.withLock { $0.append("flow \(flow.file) \(flow.status.rawValue)") } }
}

/// A fresh context and page on the shared browser, an output folder, and a way to run steps.
struct TestBed {
    let context: BrowserContext
    let page: Page
    let output: URL
    var baseURL: String { FixtureServer.baseURL }

    /// On the shared browser, or on a browser of its own with `launch` options (closed afterwards).
    static func with<T: Sendable>(launch: LaunchOptions? = nil, _ body: (TestBed) async throws -> T) async throws -> T {
        if let launch {
            return try await TestBrowser.with(launch) { browser in try await with(browser: browser, body) }
        }
        return try await with(browser: try await SharedBrowser.shared.get(), body)
    }

    private static func with<T: Sendable>(browser: Browser, _ body: (TestBed) async throws -> T) async throws -> T {
        let context = try await browser.newContext()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("flows-test-\(UUID().uuidString)")
        let bed = TestBed(context: context, page: try await context.newPage(), output: output)
        do {
            let value = try await body(bed)
            await context.close()
            try? FileManager.default.removeItem(at: output)
            return value
        } catch {
            await context.close()
            try? FileManager.default.removeItem(at: output)
            throw error
        }
    }

    /// Runs the steps as one flow (written to a temporary file when `file` names one).
    func run(
        _ steps: [JSON], name: String = "test", secrets: [String] = [], environment: [String: String] = [:],
        variables: [String: String] = [:], timeout: Duration = FlowRunOptions().timeout, observer: (any FlowRunObserver)? = nil
    ) async throws -> RunResult {
        let flow = try FlowLoader.decode(
            ["name": .string(name), "secrets": .array(secrets.map { .string($0) }), "steps": .array(steps)],
            file: output.appendingPathComponent("\(name).flow.json"))
        return await run([flow], environment: environment, variables: variables, timeout: timeout, observer: observer)
    }

    func run(
        _ flows: [Flow], environment: [String: String] = [:], variables: [String: String] = [:],
        timeout: Duration = FlowRunOptions().timeout, keepGoing: Bool = false, observer: (any FlowRunObserver)? = nil
    ) async -> RunResult {
        let runner = FlowRunner(
            page: page, baseURL: baseURL, environment: environment, variables: variables, outputFolder: output,
            options: FlowRunOptions(timeout: timeout, keepGoing: keepGoing), observer: observer)
        return await runner.run(flows)
    }

    func events() async throws -> [String] {
        try await page.evaluate("window.events || []").arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The page's event log once `holds` is true of it, or as it is after `limit`. A step returns once its
    /// action was sent, and a loaded renderer may run the handlers that log later.
    func events(within limit: Duration = .seconds(10), until holds: ([String]) -> Bool) async throws -> [String] {
        let giveUp = ContinuousClock.now + limit
        var seen = try await events()
        while !holds(seen), ContinuousClock.now < giveUp {
            try await Task.sleep(for: .milliseconds(50))
            seen = try await events()
        }
        return seen
    }

    /// Expects the page's event log to become `expected` (awaited as `events(until:)` does).
    func expectEvents(_ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let seen = try await events { $0 == expected }
        #expect(seen == expected, sourceLocation: sourceLocation)
    }

    func evaluate(_ script: String) async throws -> JSON {
        try await page.evaluate(script)
    }
}

extension RunResult {
    /// The first failure's report, or "passed" — for `#expect` messages.
    var report: String { failures.first.map(\.description) ?? setupError ?? "passed" }
}
