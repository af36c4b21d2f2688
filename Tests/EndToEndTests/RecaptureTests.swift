import Foundation
import JSONCore
import Testing

/// `--recapture DIR`: a scheduled run's one option for "write here, and say what changed since last time".
@Suite(.serialized) struct RecaptureTests {
    @Test func theFirstRunRecordsAndTheNextComparesWithIt() async throws {
        let app = try ItemsApp()
        let folder = try temporaryFolder("recapture")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flows = try ItemsApp.flows(in: folder)
        let data = folder.appendingPathComponent("data/items")
        let first = try await CommandLineTests.discover(["run", flows.path, "--base-url", app.baseURL, "--recapture", data.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("first capture in \(data.path): nothing to compare with yet"))
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("diff.json").path))

        app.change(legacy: false, broken: false)
        let second = try await CommandLineTests.discover(["run", flows.path, "--base-url", app.baseURL, "--recapture", data.path])
        await app.stop()
        #expect(second.status == 2, "a removed endpoint is a breaking change: \(second.stderr)")
        let diff = try readJSON(data.appendingPathComponent("diff.json"))
        let removed = diff["changes"]?.arrayValue?.filter { $0["kind"]?.stringValue == "removed" }.compactMap { $0["endpoint"]?.stringValue }
        #expect(removed == ["GET /api/legacy"])
        let endpoints = try readJSON(data.appendingPathComponent("discovered-endpoints.json"))["endpoints"]?.arrayValue ?? []
        #expect(!endpoints.contains { $0["path"]?.stringValue == "/api/legacy" }, "the folder holds the new run")
    }

    @Test func recaptureStandsForOutputAndBaselineSoItTakesNeither() async throws {
        let outcome = try await CommandLineTests.discover(["run", "flows/ai-toolkit", "--base-url", "http://127.0.0.1:9", "--recapture", "/tmp/x", "--output", "/tmp/y"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("--recapture DIR is --output DIR --baseline DIR in one"))
    }
}
