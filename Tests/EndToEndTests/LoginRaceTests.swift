import Foundation
import Recording
import Replica
import Testing
import TestSupport
@testable import DiscoverCLI

/// The real AI Toolkit's monitor reader starts before login and signs the page out on any 401
/// (hooks/useMonitorStream.tsx at 27a03a91). Through a pod's proxy its first, token-less request is
/// still in flight when a fast client stores the password, and its 401 then logs the page out: flow 01
/// "passes" and the next flow finds the login form. The replica behaves the same at `--latency`.
@Suite(.serialized) struct LoginRaceTests {
    /// Flow 01 as it was before it waited for that 401.
    static let loginWithoutWaiting = #"""
        {
          "name": "login",
          "requires": ["AI_TOOLKIT_PASSWORD"],
          "secrets": ["AI_TOOLKIT_PASSWORD"],
          "steps": [
            {"goto": "/dashboard"},
            {"fill": [{"label": "Password"}, {"label": "Access Token"}, {"css": "input#token"}], "value": "${env.AI_TOOLKIT_PASSWORD}"},
            {"click": [{"role": "button", "name": "Check Password"}, {"role": "button", "name": "Check Token"}]},
            {"waitFor": {"element": {"css": "input#token"}, "state": "detached"}}
          ]
        }
        """#
    /// What flow 02 does first: a page behind the login.
    static let datasetsPage = #"""
        {
          "name": "datasets",
          "steps": [
            {"goto": "/datasets"},
            {"waitFor": {"element": {"role": "button", "name": "New Dataset", "exact": true}, "state": "visible"}, "timeout": 8000}
          ]
        }
        """#

    func run(login: String, latency: NetworkLatency) async throws -> (code: ExitCode, flows: [String: String]) {
        let replica = try await TestReplica.start(password: e2ePassword) { $0.latency = latency }
        let folder = try temporaryFolder("login-race")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flows = folder.appendingPathComponent("flows")
        try FileManager.default.createDirectory(at: flows, withIntermediateDirectories: true)
        try login.write(to: flows.appendingPathComponent("01-login.flow.json"), atomically: true, encoding: .utf8)
        try Self.datasetsPage.write(to: flows.appendingPathComponent("02-datasets.flow.json"), atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("output")
        let code = await RunPipelineTests.run(["run", flows.path, "--base-url", replica.baseURL, "--output", output.path])
        await replica.stop()
        let capture = try CaptureFile.read(output.appendingPathComponent("capture.jsonl"))
        return (code, capture.trailer?.flows ?? [:])
    }

    @Test("at a pod's latency, the login that does not wait for the monitor's first 401 is signed out again; flow 01 as shipped is not")
    func monitorRace() async throws {
        let latency = NetworkLatency(base: .milliseconds(1000))
        let old = try await run(login: Self.loginWithoutWaiting, latency: latency)
        #expect(old.code == .failure)
        #expect(old.flows == ["login": "passed", "datasets": "failed"], "the race shows after login, where the review found it: \(old.flows)")

        let shipped = try String(contentsOf: Repository.aiToolkitFlows.appendingPathComponent("01-login.flow.json"), encoding: .utf8)
        let fixed = try await run(login: shipped, latency: latency)
        #expect(fixed.code == .success)
        #expect(fixed.flows == ["login": "passed", "datasets": "passed"])
    }
}
