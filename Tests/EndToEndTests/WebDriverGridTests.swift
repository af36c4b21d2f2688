import Foundation
import JSONCore
import Recording
import Testing
import TestSupport
import Wire
@testable import DiscoverCLI

/// `discover run --webdriver` against a grid's W3C JSON (`GridStandIn`, real Chromium behind `se:cdp`),
/// and against grids that are dead, refuse, or hand out a browser without DevTools.
@Suite(.serialized) struct WebDriverGridTests {
    static let login = Repository.aiToolkitFlows.appendingPathComponent("01-login.flow.json")
    static let password = ["AI_TOOLKIT_PASSWORD": e2ePassword]

    @Test func aGridSessionRunsTheFlowOverSeCdpAndIsDeletedOnce() async throws {
        let grid = try GridStandIn(.grid)
        let replica = try await TestReplica.start(password: e2ePassword)
        let folder = try temporaryFolder("grid")
        defer { try? FileManager.default.removeItem(at: folder) }
        let capabilities = folder.appendingPathComponent("capabilities.json")
        try #"{"browserVersion": "stable", "se:name": "discover nightly", "goog:chromeOptions": {"args": ["--lang=de", "--headless=old"]}}"#
            .write(to: capabilities, atomically: true, encoding: .utf8)
        let outcome = try await CommandLineTests.discover(
            ["run", Self.login.path, "--base-url", replica.baseURL, "--output", folder.appendingPathComponent("out").path,
             "--webdriver", grid.url + "/", "--capabilities", capabilities.path],
            environment: Self.password)
        await replica.stop()
        let requests = grid.requests
        let bodies = grid.newSessionBodies
        let live = grid.liveSessions
        await grid.stop()

        #expect(outcome.status == 0, "\(outcome.stderr)")
        let capture = try CaptureFile.read(folder.appendingPathComponent("out/capture.jsonl"))
        #expect(capture.exchanges.contains { $0.url.hasSuffix("/api/auth") && $0.response?.status == 200 }, "the flow ran in the grid's browser")
        #expect(requests.count == 2 && requests.first == "POST /session", "\(requests)")
        #expect(requests.last?.hasPrefix("DELETE /session/") == true, "the session was not deleted: \(requests)")
        #expect(live.isEmpty)
        // What the grid was asked for: Chrome, headless, the file's capabilities merged in.
        let asked = try #require(bodies.first?["capabilities"]?["alwaysMatch"])
        #expect(asked["browserName"] == "chrome")
        #expect(asked["browserVersion"] == "stable")
        #expect(asked["se:name"] == "discover nightly")
        let arguments = asked["goog:chromeOptions"]?["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(arguments.contains("--lang=de") && arguments.contains("--headless=old") && !arguments.contains("--headless=new"), "\(arguments)")
        #expect(arguments.contains("--disable-background-networking"), "the launcher's switches stay: \(arguments)")
    }

    @Test(arguments: ["context", "browser"])
    func aBatchSharesOneSessionOrTakesOneARun(isolate: String) async throws {
        let grid = try GridStandIn(.grid)
        let replica = try await TestReplica.start(password: e2ePassword)
        let folder = try temporaryFolder("grid-batch-\(isolate)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var targets: [String] = []
        for name in ["one", "two"] {
            let flows = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: flows, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.login, to: flows.appendingPathComponent("01-login.flow.json"))
            targets.append(flows.path)
        }
        let outcome = try await CommandLineTests.discover(
            ["run"] + targets + ["--base-url", replica.baseURL, "--output", folder.appendingPathComponent("out").path,
             "--workers", "2", "--isolate", isolate, "--webdriver", grid.url],
            environment: Self.password)
        await replica.stop()
        let requests = grid.requests
        let live = grid.liveSessions
        await grid.stop()
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let sessions = isolate == "context" ? 1 : 2
        #expect(requests.filter { $0 == "POST /session" }.count == sessions, "\(requests)")
        #expect(requests.filter { $0.hasPrefix("DELETE /session/") }.count == sessions, "\(requests)")
        #expect(live.isEmpty)
        for name in ["one", "two"] {
            let capture = try CaptureFile.read(folder.appendingPathComponent("out/\(name)/capture.jsonl"))
            #expect(capture.exchanges.contains { $0.url.hasSuffix("/api/auth") && $0.response?.status == 200 }, "\(name)")
        }
    }

    @Test func aBrowserThatDiesMidRunStillHasItsSessionDeleted() async throws {
        let grid = try GridStandIn(.grid)
        let replica = try await TestReplica.start(password: e2ePassword)
        let folder = try temporaryFolder("grid-crash")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flow = try SlowRun.flow(in: folder)
        let output = folder.appendingPathComponent("out")
        let run = Task {
            try await CommandLineTests.discover(["run", flow.path, "--base-url", replica.baseURL, "--output", output.path, "--webdriver", grid.url])
        }
        let started = await ProcessTable.waitUntil(.seconds(30)) { grid.liveSessions.count == 1 && (try? self.stagedCaptureSize(in: output)) ?? 0 > 2000 }
        #expect(started, "the run should be recording by now")
        grid.crashBrowsers()
        let outcome = try await run.value
        await replica.stop()
        let requests = grid.requests
        await grid.stop()
        #expect(outcome.status == 3, "\(outcome.stderr)")
        #expect(requests.last?.hasPrefix("DELETE /session/") == true, "the session of the dead browser was not deleted: \(requests)")
    }

    /// The size of the capture a running run writes in its staging folder.
    func stagedCaptureSize(in output: URL) throws -> Int {
        let staging = try FileManager.default.contentsOfDirectory(atPath: output.path).first { $0.hasPrefix(".run-") }
        guard let staging else { return 0 }
        return try Data(contentsOf: output.appendingPathComponent(staging).appendingPathComponent("capture.jsonl")).count
    }

    @Test func aRefusedSessionSaysWhatTheGridAnswered() async throws {
        let grid = try GridStandIn(.noNode)
        let folder = try temporaryFolder("grid-refuses")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await CommandLineTests.discover(
            ["run", Self.login.path, "--base-url", "http://127.0.0.1:9", "--output", folder.appendingPathComponent("out").path, "--webdriver", grid.url],
            environment: Self.password)
        await grid.stop()
        #expect(outcome.status == 3, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("the WebDriver server at \(grid.url) did not create a session (HTTP 500, session not created)"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains(GridStandIn.noNodeMessage), "\(outcome.stderr)")
    }

    @Test func aSessionWithoutDevToolsIsExplainedAndDeleted() async throws {
        let grid = try GridStandIn(.firefox)
        let folder = try temporaryFolder("grid-firefox")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await CommandLineTests.discover(
            ["run", Self.login.path, "--base-url", "http://127.0.0.1:9", "--output", folder.appendingPathComponent("out").path, "--webdriver", grid.url],
            environment: Self.password)
        let requests = grid.requests
        await grid.stop()
        #expect(outcome.status == 3, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("names no DevTools endpoint (neither se:cdp nor goog:chromeOptions.debuggerAddress; its capabilities: browserName, moz:headless)"), "\(outcome.stderr)")
        #expect(requests == ["POST /session", "DELETE /session/firefox-1"])
    }

    @Test func aPortNobodyListensOnFailsAtOnceNamingIt() async throws {
        let folder = try temporaryFolder("grid-dead")
        defer { try? FileManager.default.removeItem(at: folder) }
        let listener = try Socket.listen()
        let dead = "http://127.0.0.1:\(listener.localPort)"
        listener.close()
        let started = ContinuousClock.now
        let outcome = try await CommandLineTests.discover(
            ["run", Self.login.path, "--base-url", "http://127.0.0.1:9", "--output", folder.appendingPathComponent("out").path, "--webdriver", dead],
            environment: Self.password)
        #expect(outcome.status == 3, "\(outcome.stderr)")
        #expect(ContinuousClock.now - started < .seconds(15))
        #expect(outcome.stderr.contains("the WebDriver server at \(dead) did not answer POST \(dead)/session: no connection"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("Connection refused"), "\(outcome.stderr)")
    }

    @Test func aGridThatNeverAnswersFailsWithinTheTimeout() async throws {
        let folder = try temporaryFolder("grid-silent")
        defer { try? FileManager.default.removeItem(at: folder) }
        // The kernel completes connections from the backlog; nobody ever reads or answers.
        let listener = try Socket.listen()
        defer { listener.close() }
        let silent = "http://127.0.0.1:\(listener.localPort)"
        let started = ContinuousClock.now
        let outcome = try await CommandLineTests.discover(
            ["run", Self.login.path, "--base-url", "http://127.0.0.1:9", "--output", folder.appendingPathComponent("out").path,
             "--webdriver", silent, "--webdriver-timeout", "2"],
            environment: Self.password)
        let took = ContinuousClock.now - started
        #expect(outcome.status == 3, "\(outcome.stderr)")
        #expect(took >= .seconds(2) && took < .seconds(15), "\(took)")
        #expect(outcome.stderr.contains("the WebDriver server at \(silent) did not answer POST \(silent)/session: it took the connection, then sent no complete answer within 2.0 seconds"), "\(outcome.stderr)")
    }

    @Test func aDeleteThatNeverAnswersFailsTheRunAfterItsOutputs() async throws {
        let grid = try GridStandIn(.deleteNeverAnswered)
        let replica = try await TestReplica.start(password: e2ePassword)
        let folder = try temporaryFolder("grid-delete-silent")
        defer { try? FileManager.default.removeItem(at: folder) }
        let started = ContinuousClock.now
        let outcome = try await CommandLineTests.discover(
            ["run", Self.login.path, "--base-url", replica.baseURL, "--output", folder.appendingPathComponent("out").path,
             "--webdriver", grid.url, "--webdriver-timeout", "3"],
            environment: Self.password)
        let took = ContinuousClock.now - started
        await replica.stop()
        let requests = grid.requests
        await grid.stop()
        #expect(outcome.status == 3, "\(outcome.stderr)")
        #expect(took < .seconds(40), "\(took)")
        #expect(requests.last?.hasPrefix("DELETE /session/") == true, "\(requests)")
        #expect(outcome.stderr.contains("the WebDriver server at \(grid.url) did not confirm deleting session"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("then sent no complete answer within 3.0 seconds"), "\(outcome.stderr)")
        #expect(try CaptureFile.read(folder.appendingPathComponent("out/capture.jsonl")).isComplete, "the run's outputs are written first")
    }
}
