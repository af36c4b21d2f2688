import Foundation
import JSONCore
import Recording
import Synchronization
import Testing
import HTTPServer
@testable import Discovery

/// `discover run A B --workers N`: several apps at once in one browser, each recorded apart, each
/// written as a run of its own would write it; one summary, one exit code, a JUnit file CI can read.
@Suite(.serialized) struct WorkersTests {
    /// A run's file with what differs between two runs of the same flows blanked: times, and the
    /// app's port (each app of a batch has its own).
    static func comparable(_ url: URL, port: UInt16) throws -> String {
        var text = try String(contentsOf: url, encoding: .utf8)
        text = text.replacingOccurrences(of: #""(firstSeen|lastSeen|startedAt|endedAt|generatedAt|time|durationMs)": [0-9.e+-]+"#, with: "\"$1\": 0", options: .regularExpression)
        text = text.replacingOccurrences(of: "127.0.0.1:\(port)", with: "HOST")
        return text
    }

    static func firstDifference(_ left: String, _ right: String) -> String {
        let (a, b) = (left.split(separator: "\n", omittingEmptySubsequences: false), right.split(separator: "\n", omittingEmptySubsequences: false))
        for index in 0..<max(a.count, b.count) where index >= a.count || index >= b.count || a[index] != b[index] {
            return "line \(index + 1): \(index < a.count ? String(a[index]) : "(end)") <> \(index < b.count ? String(b[index]) : "(end)")"
        }
        return "none"
    }

    @Test func runsAtOnceInOneBrowserWriteWhatEachWritesAloneAndRecordOnlyTheirOwnTraffic() async throws {
        let first = try ItemsApp(), second = try ItemsApp()
        let folder = try temporaryFolder("workers")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flows = try ItemsApp.flows(in: folder)
        let batch = folder.appendingPathComponent("batch")
        let summaryPath = folder.appendingPathComponent("summary.json")
        let outcome = try await CommandLineTests.discover([
            "run", "\(flows.path)@\(first.baseURL)", "\(flows.path)@\(second.baseURL)", "--workers", "2",
            "--output", batch.path, "--summary", summaryPath.path,
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // Each alone, one after the other, as a scheduled job without --workers would run them.
        var alone: [URL] = []
        for app in [first, second] {
            let output = folder.appendingPathComponent("alone-\(app.server.port)")
            let single = try await CommandLineTests.discover(["run", flows.path, "--base-url", app.baseURL, "--output", output.path])
            #expect(single.status == 0, "\(single.stderr)")
            alone.append(output)
        }
        await first.stop()
        await second.stop()

        for (app, aloneFolder) in zip([first, second], alone) {
            let port = app.server.port
            let runFolder = batch.appendingPathComponent("items-127.0.0.1-\(port)")
            for name in ["discovered-endpoints.json", "openapi.json", "items-client.generated.ts", "report.md"] {
                let together = try Self.comparable(runFolder.appendingPathComponent(name), port: port)
                let apart = try Self.comparable(aloneFolder.appendingPathComponent(name), port: port)
                #expect(together == apart, "\(name) of the run on :\(port) differs from the same run alone: \(Self.firstDifference(together, apart))")
            }
            // One browser, two contexts: each capture holds its own app's exchanges and download, no other.
            let capture = try CaptureFile.read(runFolder.appendingPathComponent("capture.jsonl"))
            let hosts = Set(capture.exchanges.compactMap { URL(string: $0.url)?.port })
            #expect(hosts == [Int(port)], "the capture of :\(port) holds exchanges of \(hosts.sorted())")
            let aloneCapture = try CaptureFile.read(aloneFolder.appendingPathComponent("capture.jsonl"))
            #expect(capture.exchanges.map(\.url).sorted() == aloneCapture.exchanges.map(\.url).sorted())
            let downloads = capture.exchanges.compactMap(\.download)
            #expect(downloads.count == 1 && downloads.first?.state == .completed)
            let saved = try String(contentsOf: runFolder.appendingPathComponent("downloads/report.txt"), encoding: .utf8)
            #expect(saved == "report from 127.0.0.1:\(port)\n")
        }

        let summary = try readJSON(summaryPath)
        #expect(summary["exitCode"]?.intValue == 0 && summary["passed"]?.boolValue == true)
        let runs = summary["runs"]?.arrayValue ?? []
        #expect(runs.compactMap { $0["baseURL"]?.stringValue } == [first.baseURL, second.baseURL], "runs in the order given")
        for run in runs {
            #expect(run["status"]?.stringValue == "passed")
            #expect(run["flowResults"]?.arrayValue?.map { $0["status"]?.stringValue } == ["passed"])
            #expect(run["capture"]?["downloads"]?.intValue == 1)
            #expect((run["endpoints"]?.intValue ?? 0) >= 3)
        }
    }

    /// What a CI system reads of a JUnit file, through a real JUnit parser (Python's junitparser).
    static func parseJUnit(_ url: URL) async throws -> JSON {
        let script = """
            import json, sys, junitparser
            xml = junitparser.JUnitXml.fromfile(sys.argv[1])
            suites = []
            for suite in xml:
                cases = []
                for case in suite:
                    results = [{"kind": type(r).__name__, "type": r.type, "message": r.message} for r in case.result]
                    cases.append({"classname": case.classname, "name": case.name, "results": results})
                suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures, "errors": suite.errors, "cases": cases})
            print(json.dumps({"tests": xml.tests, "failures": xml.failures, "errors": xml.errors, "suites": suites}))
            """
        let output = try await python(script, [url.path], hint: "junitparser failed (make test installs it with pip)")
        return try JSON.parse(output)
    }

    @Test func aFailedFlowAndABreakingChangeAreFailuresInJUnitAndTheSummaryAndTheExitCodeIsTheGravest() async throws {
        let changing = try ItemsApp(), failing = try ItemsApp()
        let folder = try temporaryFolder("workers-junit")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flows = try ItemsApp.flows(in: folder)
        let targets = ["\(flows.path)@\(changing.baseURL)", "\(flows.path)@\(failing.baseURL)"]
        let before = folder.appendingPathComponent("before")
        let baseline = try await CommandLineTests.discover(["run"] + targets + ["--workers", "2", "--output", before.path])
        #expect(baseline.status == 0, "\(baseline.stderr)")

        changing.change(legacy: false, broken: false)
        failing.change(legacy: true, broken: true)
        let junit = folder.appendingPathComponent("results/junit.xml")
        let summaryPath = folder.appendingPathComponent("results/summary.json")
        let after = try await CommandLineTests.discover(
            ["run"] + targets + [
                "--workers", "2", "--output", folder.appendingPathComponent("after").path, "--baseline", before.path,
                "--junit", junit.path, "--summary", summaryPath.path,
            ])
        await changing.stop()
        await failing.stop()
        // A breaking change (2) is graver than a failed step (1).
        #expect(after.status == 2, "\(after.stderr)")

        let parsed = try await Self.parseJUnit(junit)
        let suites = parsed["suites"]?.arrayValue ?? []
        #expect(suites.count == 2)
        let changed = try #require(suites.first { $0["name"]?.stringValue == "items-127.0.0.1-\(changing.server.port)" })
        let removed = (changed["cases"]?.arrayValue ?? []).filter { $0["name"]?.stringValue?.hasPrefix("GET /api/legacy removed") == true }
        #expect(removed.count == 1, "\(changed)")
        #expect(removed.first?["results"]?[0]?["kind"]?.stringValue == "Failure")
        #expect(removed.first?["results"]?[0]?["type"]?.stringValue == "breaking-change")
        #expect(changed["failures"]?.intValue == 1)

        let broken = try #require(suites.first { $0["name"]?.stringValue == "items-127.0.0.1-\(failing.server.port)" })
        let flowCase = try #require(broken["cases"]?.arrayValue?.first { $0["name"]?.stringValue == "01-items.flow.json: items" })
        #expect(flowCase["results"]?[0]?["kind"]?.stringValue == "Failure")
        #expect(flowCase["results"]?[0]?["message"]?.stringValue?.hasPrefix("step 4 (waitFor)") == true, "\(flowCase)")
        #expect((parsed["failures"]?.intValue ?? 0) >= 2)

        let summary = try readJSON(summaryPath)
        #expect(summary["exitCode"]?.intValue == 2 && summary["passed"]?.boolValue == false)
        let runs = summary["runs"]?.arrayValue ?? []
        #expect(runs.map { $0["exitCode"]?.intValue } == [2, 1])
        #expect(runs[0]["changes"]?["breaking"]?.intValue == 1)
        let failure = runs[1]["flowResults"]?[0]?["failure"]
        #expect(failure?["step"]?.intValue == 4 && failure?["kind"]?.stringValue == "waitFor")
        #expect(failure?["screenshot"]?.stringValue?.hasSuffix(".png") == true)
    }

    @Test func eachRunInABrowserOfItsOwn() async throws {
        let first = try ItemsApp(), second = try ItemsApp()
        let folder = try temporaryFolder("workers-isolate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flows = try ItemsApp.flows(in: folder)
        let junit = folder.appendingPathComponent("junit.xml")
        let outcome = try await CommandLineTests.discover([
            "run", "\(flows.path)@\(first.baseURL)", "\(flows.path)@\(second.baseURL)", "--workers", "2", "--isolate", "browser",
            "--output", folder.appendingPathComponent("out").path, "--junit", junit.path, "--verbose",
        ])
        await first.stop()
        await second.stop()
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("each in its own browser"))
        // Each run launched a browser of its own, and none was shared.
        let launches = outcome.stderr.split(separator: "\n").filter { $0.contains("launching ") }
        #expect(launches.count == 2, "\(launches)")
        for app in [first, second] {
            #expect(launches.contains { $0.hasPrefix("[items-127.0.0.1-\(app.server.port)]") }, "\(launches)")
        }
        let parsed = try await Self.parseJUnit(junit)
        #expect(parsed["tests"]?.intValue == 2 && parsed["failures"]?.intValue == 0 && parsed["errors"]?.intValue == 0)
    }

    @Test func aBatchThatCannotStartItsBrowserStillWritesItsReports() async throws {
        let folder = try temporaryFolder("workers-no-browser")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flows = try ItemsApp.flows(in: folder)
        let junit = folder.appendingPathComponent("junit.xml")
        let summaryPath = folder.appendingPathComponent("summary.json")
        let outcome = try await CommandLineTests.discover([
            "run", "\(flows.path)@http://127.0.0.1:9", "\(flows.path)@http://127.0.0.1:10", "--browser", "/nonexistent/chromium",
            "--output", folder.appendingPathComponent("out").path, "--junit", junit.path, "--summary", summaryPath.path,
        ])
        #expect(outcome.status == 3, "\(outcome.stderr)")
        let parsed = try await Self.parseJUnit(junit)
        #expect(parsed["errors"]?.intValue == 2)
        let summary = try readJSON(summaryPath)
        #expect(summary["runs"]?.arrayValue?.allSatisfy { $0["status"]?.stringValue == "error" && $0["stopped"]?.stringValue?.contains("/nonexistent/chromium") == true } == true)
    }
}

/// A folder whose `folder.json` says `{"parallel": true}`: its independent chains of flows run side by
/// side, each in its own browser context, into one capture whose exchanges name the step that made them.
@Suite(.serialized) struct ParallelChainsTests {
    @Test func independentChainsRunSideBySideAndEachExchangeNamesItsOwnChainsStep() async throws {
        // Each page fetches once with its own query, and shows "done" after a while: a chain takes 1.5 s.
        let server = try HTTPServer.start { request in
            if request.path == "/api/hello" { return .json(["hello": true]) }
            return .html("""
                <html><body><h1>Page</h1>
                <script>fetch('/api/hello?from=' + location.search.slice(1)); setTimeout(() => document.body.append(Object.assign(document.createElement('p'), {textContent: 'done'})), 1500)</script>
                </body></html>
                """)
        }
        let folder = try temporaryFolder("parallel-chains")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flows = folder.appendingPathComponent("chains")
        try FileManager.default.createDirectory(at: flows, withIntermediateDirectories: true)
        let files = [
            ("01-a.flow.json", #"{"name": "a", "steps": [{"goto": "/?a"}, {"waitFor": {"text": "done"}}]}"#),
            ("02-b.flow.json", #"{"name": "b", "steps": [{"goto": "/?b"}, {"waitFor": {"text": "done"}}]}"#),
            ("03-a2.flow.json", #"{"name": "a2", "prerequisites": ["01-a.flow.json"], "steps": [{"goto": "/?a2"}, {"waitFor": {"text": "done"}}]}"#),
            ("folder.json", #"{"parallel": true}"#),
        ]
        for (name, text) in files { try text.write(to: flows.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let output = folder.appendingPathComponent("out")
        let outcome = try await CommandLineTests.discover(["run", flows.path, "--base-url", "http://127.0.0.1:\(server.port)", "--workers", "2", "--output", output.path])
        await server.stop()
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("2 independent chains of flows"))

        // The chains overlapped: b ran while a did.
        let steps = try #require(RunSteps.load(in: output))
        func span(_ flow: String) throws -> ClosedRange<Double> {
            let times = try #require(steps.flows.first { $0.name == flow }).steps.compactMap { step in step.startedAt.flatMap { start in step.endedAt.map { start...$0 } } }
            return try #require(times.first).lowerBound...(try #require(times.last)).upperBound
        }
        #expect(try span("a").overlaps(try span("b")), "b did not run beside a")
        #expect(try span("a2").lowerBound >= (try span("a")).upperBound, "a2 ran before its prerequisite ended")
        #expect(steps.flows.map(\.name) == ["a", "b", "a2"], "the results are in the folder's order")

        // Each fetch is its own chain's step's, though another chain's step was running at that moment.
        let capture = try CaptureFile.read(output.appendingPathComponent("capture.jsonl"))
        let fetches = capture.exchanges.filter { $0.url.contains("/api/hello?from=") }
        #expect(fetches.count == 3)
        for fetch in fetches {
            let from = String(fetch.url.split(separator: "=").last ?? "")
            #expect(fetch.provenance?.flow == from && fetch.provenance?.step == 1, "\(fetch.url) is attributed to \(String(describing: fetch.provenance))")
        }
    }
}
