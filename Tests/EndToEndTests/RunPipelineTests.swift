import Foundation
import JSONCore
import Recording
import Testing
import TestSupport
@testable import DiscoverCLI
@testable import Discovery

/// The product as a user runs it: `discover run flows/ai-toolkit` against the replica in real Chromium,
/// through the same entry point as the command line.
@Suite(.serialized) struct RunPipelineTests {
    /// The AI Toolkit routes (reference section 2) that flows/ai-toolkit reaches at the current UI version.
    static let reachedRoutes: Set<String> = [
        "GET /api/auth", "GET /api/datasets/list", "POST /api/datasets/create", "POST /api/datasets/delete",
        "POST /api/datasets/listImages", "POST /api/datasets/upload", "POST /api/caption/getBatch",
        // Catch-alls in the real source (`api/img/[...imagePath]`, `api/files/[...filePath]`): `{+path}`.
        "GET /api/img/{}", "GET /api/files/{}", "GET /api/jobs", "POST /api/jobs",
        "GET /api/jobs/{}/start", "GET /api/jobs/{}/delete", "GET /api/jobs/{}/log", "GET /api/jobs/{}/files",
        "GET /api/jobs/{}/plugin", "GET /api/queue", "GET /api/queue/{}/start", "GET /api/settings",
        "GET /api/monitor", "GET /api/ostris_cloud", "GET /_next/webpack-hmr",
    ]

    static func run(_ arguments: [String]) async -> ExitCode {
        withAIToolkitPassword()
        return await DiscoverCommand.run(arguments + ["--quiet"])
    }

    @Test func currentUIRunDescribesExactlyTheRoutesTheFlowsReach() async throws {
        let replica = try await TestReplica.start(password: e2ePassword, devMode: true)
        let output = try temporaryFolder("current")
        defer { try? FileManager.default.removeItem(at: output) }
        let code = await Self.run(["run", Repository.aiToolkitFlows.path, "--base-url", replica.baseURL, "--output", output.path, "--until", "checkpoint"])
        await replica.stop()
        #expect(code == .success)

        for name in ["capture.jsonl", "capture.har", "run.json", "discovered-endpoints.json", "openapi.json", "ai-toolkit-client.generated.ts", "report.md", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(name).path), "missing \(name)")
        }
        let capture = try CaptureFile.read(output.appendingPathComponent("capture.jsonl"))
        #expect(capture.isComplete)
        let download = try #require(capture.exchanges.compactMap(\.download).first)
        #expect(download.state == .completed)
        #expect(download.suggestedFilename.hasSuffix(".safetensors"))

        let endpoints = try readJSON(output.appendingPathComponent("discovered-endpoints.json"))["endpoints"]?.arrayValue ?? []
        let discovered = Set(endpoints.filter { $0["manual"]?.boolValue != true && ($0["observations"]?["count"]?.intValue ?? 0) > 0 }
            .compactMap { endpoint -> String? in
                guard let method = endpoint["method"]?.stringValue, let path = endpoint["path"]?.stringValue else { return nil }
                return shape(method, path)
            })
        let correct = discovered.intersection(Self.reachedRoutes)
        let precision = Double(correct.count) / Double(max(discovered.count, 1))
        let recall = Double(correct.count) / Double(Self.reachedRoutes.count)
        print("template accuracy against the reference: precision \(precision), recall \(recall) (\(correct.count) of \(Self.reachedRoutes.count) routes, \(discovered.count) discovered)")
        #expect(discovered.subtracting(Self.reachedRoutes).isEmpty, "discovered but not a real route: \(discovered.subtracting(Self.reachedRoutes).sorted())")
        #expect(Self.reachedRoutes.subtracting(discovered).isEmpty, "a reached route was missed: \(Self.reachedRoutes.subtracting(discovered).sorted())")

        // The password never reaches a file, in any encoding a file could hold it in.
        let encodedPassword = e2ePassword.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? e2ePassword
        for file in files(under: output) {
            let data = try Data(contentsOf: file)
            #expect(data.range(of: Data(e2ePassword.utf8)) == nil, "\(file.lastPathComponent) holds the password")
            #expect(data.range(of: Data(Data(e2ePassword.utf8).base64EncodedString().utf8)) == nil, "\(file.lastPathComponent) holds the password in base64")
            if encodedPassword != e2ePassword {
                #expect(data.range(of: Data(encodedPassword.utf8)) == nil, "\(file.lastPathComponent) holds the password percent-encoded")
            }
        }
    }

    @Test func recaptureAfterTheUIUpdateReportsWhatChangedInTheDiffAndThePage() async throws {
        let older = try await TestReplica.start(password: e2ePassword, uiVersion: "2025-10", devMode: true)
        let oldOutput = try temporaryFolder("2025-10")
        let newOutput = try temporaryFolder("2026-08")
        defer {
            try? FileManager.default.removeItem(at: oldOutput)
            try? FileManager.default.removeItem(at: newOutput)
        }
        let oldCode = await Self.run(["run", Repository.aiToolkitFlows.path, "--base-url", older.baseURL, "--output", oldOutput.path, "--until", "started"])
        await older.stop()
        #expect(oldCode == .success)

        let current = try await TestReplica.start(password: e2ePassword, devMode: true)
        let newCode = await Self.run([
            "run", Repository.aiToolkitFlows.path, "--base-url", current.baseURL, "--output", newOutput.path, "--until", "started",
            "--baseline", oldOutput.path, "--fail-on", "any",
        ])
        await current.stop()
        #expect(newCode == .usage, "breaking changes exit 2")

        let diff = try readJSON(newOutput.appendingPathComponent("diff.json"))
        let changes = diff["changes"]?.arrayValue ?? []
        func changed(_ kind: String, _ endpoint: String) -> [JSON] {
            changes.filter { $0["kind"]?.stringValue == kind && $0["endpoint"]?.stringValue == endpoint }
        }
        #expect(!changed("added", "GET /api/monitor").isEmpty, "the SSE monitor is new")
        #expect(!changed("removed", "GET /api/gpu").isEmpty, "/api/gpu is no longer polled")
        #expect(!changed("changed", "POST /api/datasets/listImages").isEmpty, "listImages answers {root, images}")
        #expect(changes.contains { ($0["endpoint"]?.stringValue ?? "").hasSuffix("/log") && $0["kind"]?.stringValue == "changed" }, "/log takes an offset")
        #expect(!changed("changed", "POST /api/datasets/upload").isEmpty, "one upload request per file")
        #expect(diff["breaking"]?.boolValue == true)

        // report.html shows the same changes, breaking ones first, each with its rule.
        let page = try String(contentsOf: newOutput.appendingPathComponent("report.html"), encoding: .utf8)
        let start = try #require(page.range(of: "<section id=\"changes\">"), "the page has no Changes section")
        let end = try #require(page.range(of: "</section>", range: start.upperBound..<page.endIndex))
        let section = String(page[start.lowerBound..<end.lowerBound])
        for endpoint in ["GET /api/monitor", "GET /api/gpu", "POST /api/datasets/listImages", "POST /api/datasets/upload"] {
            #expect(section.contains("<code>\(endpoint)</code>"), "\(endpoint) is not in the page's changes")
        }
        let rows = section.components(separatedBy: "<tr class=\"change ").dropFirst().map { $0.hasPrefix("breaking") }
        #expect(rows.count == changes.count)
        #expect(rows.filter { $0 }.count == changes.filter { $0["breaking"]?.boolValue == true }.count)
        #expect(rows == rows.sorted { $0 && !$1 }, "a non-breaking change is listed before a breaking one")
        #expect(section.contains("success status removed") || section.contains("operation removed") || section.contains("response property"))
    }

    @Test func aFailedStepWritesEvidenceAndAnIncompleteCapture() async throws {
        let replica = try await TestReplica.start(password: e2ePassword)
        let folder = try temporaryFolder("failing-flow")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flows = folder.appendingPathComponent("flows")
        try FileManager.default.createDirectory(at: flows, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Repository.aiToolkitFlows.appendingPathComponent("01-login.flow.json"), to: flows.appendingPathComponent("01-login.flow.json"))
        try #"""
            {"name": "broken", "steps": [
              {"goto": "/datasets"},
              {"click": {"role": "button", "name": "New Datasett"}, "timeout": 1500}
            ]}
            """#.write(to: flows.appendingPathComponent("02-broken.flow.json"), atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("output")
        let code = await Self.run(["run", flows.path, "--base-url", replica.baseURL, "--output", output.path])
        await replica.stop()
        #expect(code == .failure)

        let evidence = files(under: output.appendingPathComponent("failures")).map(\.pathExtension).sorted()
        #expect(evidence == ["html", "png"])
        let capture = try CaptureFile.read(output.appendingPathComponent("capture.jsonl"))
        #expect(capture.trailer?.complete == false)
        #expect(capture.trailer?.reason?.contains("02-broken.flow.json") == true)
        #expect(capture.exchanges.contains { $0.url.hasSuffix("/api/datasets/list") }, "what came before the failure is kept")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("discovered-endpoints.json").path))

        // The page's timeline shows the failed step with its message and its screenshot, linked into the run folder.
        let steps = try #require(RunSteps.load(in: output))
        let failed = try #require(steps.flows.flatMap(\.steps).first { $0.status == "failed" })
        #expect(failed.file == "02-broken.flow.json" && failed.index == 2)
        let screenshot = try #require(failed.screenshot)
        #expect(screenshot.hasPrefix("failures/") && screenshot.hasSuffix(".png"))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(screenshot).path))
        let page = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("<li class=\"step failed\">"))
        #expect(page.contains("<img src=\"\(screenshot)\""))
        #expect(page.contains(HTMLText.escape(failed.message ?? "no message")))
    }

    @Test func aMissingVariableStopsTheRunBeforeTheBrowserStarts() async throws {
        let folder = try temporaryFolder("missing-variable")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flow = folder.appendingPathComponent("needs.flow.json")
        try #"{"name": "needs", "requires": ["DISCOVER_E2E_NEVER_SET"], "steps": [{"goto": "/"}]}"#
            .write(to: flow, atomically: true, encoding: .utf8)
        let code = await Self.run(["run", flow.path, "--base-url", "http://127.0.0.1:9", "--output", folder.appendingPathComponent("out").path])
        #expect(code == .environment)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/capture.jsonl").path), "no browser, no capture")
    }

    @Test func attachingToARunningBrowserLeavesItRunning() async throws {
        let chromium = try await DebuggingPortChromium.launch()
        defer { chromium.close() }
        let replica = try await TestReplica.start(password: e2ePassword)
        let output = try temporaryFolder("connect")
        defer { try? FileManager.default.removeItem(at: output) }
        let code = await Self.run([
            "run", Repository.aiToolkitFlows.appendingPathComponent("01-login.flow.json").path, "--base-url", replica.baseURL,
            "--output", output.path, "--connect", chromium.httpURL,
        ])
        await replica.stop()
        #expect(code == .success)
        #expect(ProcessTable.isAlive(chromium.processID), "discover closed a browser it did not launch")
        let capture = try CaptureFile.read(output.appendingPathComponent("capture.jsonl"))
        #expect(capture.exchanges.contains { $0.url.hasSuffix("/api/auth") && $0.response?.status == 200 })
    }
}
