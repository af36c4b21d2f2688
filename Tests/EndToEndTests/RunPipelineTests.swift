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
    /// The routes flows/ai-toolkit reaches (`--until checkpoint`) at the current UI version, `{}` for any
    /// parameter; the /api ones must be real routes at 27a03a91 (`Tests/Fixtures`).
    static let reachedRoutes: Set<String> = [
        "GET /api/auth", "GET /api/datasets/list", "POST /api/datasets/create", "POST /api/datasets/delete",
        "POST /api/datasets/listImages", "POST /api/datasets/upload", "POST /api/caption/getBatch",
        // Catch-alls in the real source (`api/img/[...imagePath]`, `api/files/[...filePath]`): `{+path}`.
        "GET /api/img/{}", "GET /api/files/{}", "GET /api/jobs", "POST /api/jobs",
        "GET /api/jobs/{}/start", "GET /api/jobs/{}/delete", "GET /api/jobs/{}/log", "GET /api/jobs/{}/files",
        "GET /api/jobs/{}/plugin", "GET /api/queue", "GET /api/queue/{}/start", "GET /api/settings",
        "GET /api/monitor", "GET /api/ostris_cloud", "GET /_next/webpack-hmr",
    ]

    /// What flows/ai-toolkit reaches `--until started` (and the cleanup flow) on the 2025-10 UI, from the
    /// real UI at c9843692: components/GPUMonitor.tsx and JobsTable.tsx (`/api/gpu`, `/api/jobs`, `/api/queue`),
    /// DatasetImageCard.tsx (`/api/img/<one encoded path>`, `caption/get` per card), JobOverview.tsx
    /// (`/api/cpu`, `/api/gpu`, log, files); no monitor, cloud balance, caption batch or plugin yet.
    static let reachedRoutesOctober2025: Set<String> = [
        "GET /api/auth", "GET /api/gpu", "GET /api/jobs", "GET /api/queue", "GET /api/datasets/list", "POST /api/datasets/create",
        "POST /api/datasets/listImages", "POST /api/datasets/upload", "GET /api/img/{}", "POST /api/caption/get", "GET /api/settings",
        "POST /api/jobs", "GET /api/jobs/{}/log", "GET /api/jobs/{}/files", "GET /api/cpu", "GET /api/jobs/{}/start",
        "GET /api/queue/{}/start", "GET /api/jobs/{}/delete", "POST /api/datasets/delete", "GET /_next/webpack-hmr",
    ]

    /// Next's dev-server socket: a route of the dev server, not of `ui/src/app/api`.
    static let devServerRoutes: Set<String> = ["GET /_next/webpack-hmr"]

    /// The real routes of a UI version in `shape` form (`{}` for `{x}` and `{+x}` alike).
    static func realRoutes(_ uiVersion: String) throws -> Set<String> {
        Set(try RealRouteTable.routes(uiVersion: uiVersion).map { line in
            let parts = line.split(separator: " ")
            return shape(String(parts[0]), String(parts[1]))
        }).union(devServerRoutes)
    }

    /// The discovered, observed (not manual) endpoints of a run folder, in `shape` form.
    static func discovered(in output: URL) throws -> Set<String> {
        let endpoints = try readJSON(output.appendingPathComponent("discovered-endpoints.json"))["endpoints"]?.arrayValue ?? []
        return Set(endpoints.filter { $0["manual"]?.boolValue != true && ($0["observations"]?["count"]?.intValue ?? 0) > 0 }
            .compactMap { endpoint -> String? in
                guard let method = endpoint["method"]?.stringValue, let path = endpoint["path"]?.stringValue else { return nil }
                return shape(method, path)
            })
    }

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

        let real = try Self.realRoutes("2026-08")
        #expect(Self.reachedRoutes.subtracting(real).sorted() == [], "the hand list holds a route that is not real")
        let discovered = try Self.discovered(in: output)
        let precision = Double(discovered.intersection(real).count) / Double(max(discovered.count, 1))
        let recall = Double(Self.reachedRoutes.intersection(discovered).count) / Double(Self.reachedRoutes.count)
        print("template accuracy against the real routes of 27a03a91: precision \(precision), recall \(recall) (\(discovered.count) discovered, \(Self.reachedRoutes.count) reached)")
        #expect(discovered.subtracting(real).isEmpty, "discovered but not a real route: \(discovered.subtracting(real).sorted())")
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

        // Discovery on the 2025-10 run against c9843692's real routes: precision and recall 1.0.
        let oldReal = try Self.realRoutes("2025-10")
        #expect(Self.reachedRoutesOctober2025.subtracting(oldReal).sorted() == [], "the hand list holds a route that is not real at c9843692")
        let oldFound = try Self.discovered(in: oldOutput)
        #expect(oldFound.subtracting(oldReal).sorted() == [], "discovered on 2025-10 but not a real route of c9843692")
        #expect(Self.reachedRoutesOctober2025.subtracting(oldFound).sorted() == [], "reached on 2025-10 but not discovered")
        #expect(try Self.discovered(in: newOutput).subtracting(try Self.realRoutes("2026-08")).sorted() == [])

        let diff = try readJSON(newOutput.appendingPathComponent("diff.json"))
        let changes = diff["changes"]?.arrayValue ?? []
        func key(_ change: JSON) -> String {
            let kind = change["kind"]?.stringValue ?? "", endpoint = change["endpoint"]?.stringValue ?? ""
            let parts = endpoint.split(separator: " ", maxSplits: 1).map(String.init)
            let erased = parts.count == 2 ? shape(parts[0], parts[1]) : endpoint
            // Added and removed routes by their shape; changes with their detail.
            return kind == "changed" ? "\(kind) \(erased): \(change["detail"]?.stringValue ?? "")" : "\(kind) \(erased)"
        }
        // The hot-reload socket's ping (every 5 s) and pong show or not with how long a page stays open:
        // the dev server's timing, not a difference between the commits.
        let timing = changes.filter { $0["endpoint"]?.stringValue == "GET /_next/webpack-hmr" }
        #expect(timing.allSatisfy { ($0["detail"]?.stringValue ?? "").contains("stream message") }, "\(timing)")
        // `/log?offset=` is sent from the UI's second poll on (2 s), so it shows only when the job page
        // stays that long before the run stops.
        let optional: Set<String> = ["changed GET /api/jobs/{}/log: query parameter offset added (optional)"]
        let listed = Set(changes.filter { $0["endpoint"]?.stringValue != "GET /_next/webpack-hmr" }.map(key)).subtracting(optional)
        #expect(listed.subtracting(Self.realFlowChanges).sorted() == [], "listed but not a real difference")
        #expect(Self.realFlowChanges.subtracting(listed).sorted() == [], "a real difference not listed")
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

    /// What the real commits change in what flows/ai-toolkit reaches `--until started` (and cleanup), 2025-10
    /// (c9843692) to 2026-08 (27a03a91), each with the file under `ui/` that causes it. UI: from the browser
    /// side (Sources/Replica/UI must send what the real UI of that commit sends).
    static let realFlowChanges: Set<String> = {
        var changes: Set<String> = [
            // UI: hooks/useCaptionBatch.tsx (one batch) replaced DatasetImageCard.tsx's caption/get per card.
            "added POST /api/caption/getBatch", "removed POST /api/caption/get",
            // UI: hooks/useMonitorStream.tsx (monitor/route.ts, new) feeds useGPUInfo/useCPUInfo; at c9843692
            // GPUMonitor.tsx, JobsTable.tsx and JobOverview.tsx polled /api/gpu and JobOverview.tsx /api/cpu.
            "added GET /api/monitor", "removed GET /api/gpu", "removed GET /api/cpu",
            // UI: components/OstrisCloudBalance.tsx (ostris_cloud/route.ts, new).
            "added GET /api/ostris_cloud",
            // UI: the job page checks for a plugin every 5 s (jobs/[jobID]/plugin/route.ts, new).
            "added GET /api/jobs/{}/plugin",
            // UI: DatasetImageCard.tsx `/api/img/${encodeFilePathForUrl(path)}?thumb=1` (<folder>/<file>, a
            // catch-all in discovery) replaced `/api/img/${encodeURIComponent(path)}` (one segment).
            "added GET /api/img/{}", "removed GET /api/img/{}",
            // UI: components/JobsTable.tsx and ActiveJobWidget.tsx send only_active (jobs/route.ts reads it).
            "changed GET /api/jobs: query parameter only_active added (optional)",
            // UI: components/AutoCaptionButton.tsx polls hooks/useJobByRef.tsx on the dataset page (both new).
            "changed GET /api/jobs: query parameter job_ref added (optional)",
            // datasets/listImages/route.ts: `{root, images: [sub-path]}`.
            "changed POST /api/datasets/listImages: response 200 body.images[]: type object -> string",
            "changed POST /api/datasets/listImages: response 200 body.root added",
            // UI: components/AddImagesModal.tsx uploads the three fixtures one a request (c9843692: all in one).
            "changed POST /api/datasets/upload: request body.files: type array -> binary",
            "changed POST /api/datasets/upload: multipart part files: up to 3 per request -> one per request",
            // jobs/[jobID]/log/route.ts: `{log, offset, reset}`.
            "changed GET /api/jobs/{}/log: response 200 body.offset added", "changed GET /api/jobs/{}/log: response 200 body.reset added",
            // settings/route.ts: MODELS_PATH defaulted.
            "changed GET /api/settings: response 200 body.MODELS_PATH added",
        ]
        // prisma/schema.prisma: six Job columns, in each answer that is a job.
        for column in ["job_ref", "job_type", "pid", "sample_now", "save_now", "total_steps"] {
            changes.insert("changed GET /api/jobs: response 200 body.jobs[].\(column) added")
            for endpoint in ["POST /api/jobs", "GET /api/jobs/{}/start", "GET /api/jobs/{}/delete"] {
                changes.insert("changed \(endpoint): response 200 body.\(column) added")
            }
        }
        return changes
    }()

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
