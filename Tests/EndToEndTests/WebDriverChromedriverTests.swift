import Foundation
import JSONCore
import Recording
import Testing
import TestSupport
@testable import DiscoverCLI

/// `discover run --webdriver` against a real chromedriver: the run records what a run in a launched
/// browser records, and whichever way it ends (success, a failed step, SIGINT, SIGTERM), chromedriver is left with
/// no session and no browser.
@Suite(.serialized) struct WebDriverChromedriverTests {
    static let password = ["AI_TOOLKIT_PASSWORD": e2ePassword]

    /// `METHOD path -> status codes` of every endpoint the run saw (manual ones it never saw left out).
    func observedEndpoints(_ output: URL) throws -> [String: [Int]] {
        let endpoints = try readJSON(output.appendingPathComponent("discovered-endpoints.json"))["endpoints"]?.arrayValue ?? []
        var observed: [String: [Int]] = [:]
        for endpoint in endpoints where (endpoint["observations"]?["count"]?.intValue ?? 0) > 0 {
            let key = "\(endpoint["method"]?.stringValue ?? "?") \(endpoint["path"]?.stringValue ?? "?")"
            // Failure statuses depend on races any two runs lose differently (the monitor's 401 before login).
            observed[key] = endpoint["statusCodes"]?.arrayValue?.compactMap(\.intValue).filter { $0 < 400 } ?? []
        }
        return observed
    }

    /// chromedriver holds no session and runs no browser process (given a moment to reap them).
    func expectNothingLeft(_ driver: Chromedriver, after: String) async throws {
        #expect(try await driver.liveSessions() == [], "chromedriver still holds a session after \(after)")
        let gone = await ProcessTable.waitUntil(.seconds(10)) { driver.browserProcesses.isEmpty }
        #expect(gone, "chromedriver still runs \(driver.browserProcesses) after \(after)")
    }

    @Test func aRunThroughChromedriverRecordsTheSameEndpointsAsADirectRun() async throws {
        let driver = try await Chromedriver.start()
        defer { driver.stop() }
        let folder = try temporaryFolder("webdriver-same")
        defer { try? FileManager.default.removeItem(at: folder) }
        var outcomes: [String: CommandLineTests.Outcome] = [:]
        for (name, extra) in [("direct", [String]()), ("pooled", ["--webdriver", driver.url])] {
            let replica = try await TestReplica.start(password: e2ePassword, devMode: true)
            outcomes[name] = try await CommandLineTests.discover(
                ["run", Repository.aiToolkitFlows.path, "--base-url", replica.baseURL, "--output", folder.appendingPathComponent(name).path,
                 "--until", "started", "--verbose"] + extra,
                environment: Self.password)
            await replica.stop()
        }
        let pooled = try #require(outcomes["pooled"])
        #expect(outcomes["direct"]?.status == 0, "\(outcomes["direct"]?.stderr ?? "")")
        #expect(pooled.status == 0, "\(pooled.stderr)")
        #expect(pooled.stderr.contains("WebDriver session"), "the run says it used a session: \(pooled.stderr)")
        let direct = try observedEndpoints(folder.appendingPathComponent("direct"))
        #expect(direct.count > 15, "the direct run saw too little to compare: \(direct.keys.sorted())")
        let viaPool = try observedEndpoints(folder.appendingPathComponent("pooled"))
        let differing = Set(direct.keys).union(viaPool.keys).filter { direct[$0] != viaPool[$0] }.sorted()
        #expect(differing.isEmpty, "\(differing.map { "\($0): direct \(direct[$0] ?? []) pooled \(viaPool[$0] ?? [])" })")
        try await expectNothingLeft(driver, after: "a run that passed")
    }

    @Test func aFailedStepStillDeletesTheSession() async throws {
        let driver = try await Chromedriver.start()
        defer { driver.stop() }
        let replica = try await TestReplica.start(password: e2ePassword)
        let folder = try temporaryFolder("webdriver-failing")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flow = folder.appendingPathComponent("broken.flow.json")
        try #"{"name": "broken", "steps": [{"goto": "/dashboard"}, {"click": {"role": "button", "name": "No Such Button"}, "timeout": 1500}]}"#
            .write(to: flow, atomically: true, encoding: .utf8)
        let outcome = try await CommandLineTests.discover(
            ["run", flow.path, "--base-url", replica.baseURL, "--output", folder.appendingPathComponent("out").path, "--webdriver", driver.url])
        await replica.stop()
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let capture = try CaptureFile.read(folder.appendingPathComponent("out/capture.jsonl"))
        #expect(capture.trailer?.complete == false)
        #expect(capture.exchanges.contains { $0.url.contains("/dashboard") })
        try await expectNothingLeft(driver, after: "a failed step")
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalMidRunDeletesTheSession(signal: Int32) async throws {
        let driver = try await Chromedriver.start()
        defer { driver.stop() }
        let replica = try await TestReplica.start(password: e2ePassword)
        let folder = try temporaryFolder("webdriver-sigint")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out")
        let run = try SlowRun.start(in: folder, baseURL: replica.baseURL, output: output, extra: ["--webdriver", driver.url])
        let process = run.process
        #expect(await run.recording(), "the run should be recording by now")
        #expect(try await driver.liveSessions().count == 1, "the run should hold a session")
        #expect(!driver.browserProcesses.isEmpty, "chromedriver should run the run's browser")

        kill(process.processIdentifier, signal)
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        let exited = await ProcessTable.waitUntil(.seconds(15)) { !process.isRunning }
        await replica.stop()
        #expect(exited, "discover did not exit within 15 s of \(name)")
        if exited { #expect(process.terminationStatus == 128 + signal) } else { process.terminate() }
        try await expectNothingLeft(driver, after: name)
        let capture = try CaptureFile.read(output.appendingPathComponent("capture.jsonl"))
        #expect(capture.trailer?.reason?.hasPrefix("interrupted by \(name)") == true, "\(String(describing: capture.trailer?.reason))")
    }
}
