import Flows
import Foundation
import JSONCore
import Testing

/// What a run reports: failures with their evidence, secrets hidden, observer calls, skipping and keep-going.
@Suite("Runner reports in Chromium")
struct RunnerReportTests {
    @Test("a failure names the file and step, quotes the step, the locator and URL, and saves a screenshot and the HTML")
    func failureReport() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run(
                [["goto": "/pages/controls"], ["click": "role=button[name=\"Create Job\"]", "name": "open the form", "timeout": 300]],
                name: "create-job")
            let failure = try #require(result.failures.first)
            #expect(failure.file == "create-job.flow.json" && failure.step == 2 && failure.kind == "click")
            #expect(failure.written == #"{"click":"role=button[name=\"Create Job\"]","name":"open the form","timeout":300}"#)
            #expect(failure.locator == "role=button \"Create Job\"")
            #expect(failure.url == "\(bed.baseURL)/pages/controls")
            let screenshot = try #require(failure.screenshot)
            let html = try #require(failure.html)
            #expect(screenshot.hasSuffix("failures/create-job-step2.png") && FileManager.default.fileExists(atPath: screenshot))
            #expect(try String(contentsOfFile: html, encoding: .utf8).contains("<h1>Controls</h1>"))
            let text = failure.description
            #expect(text.hasPrefix("flow \"create-job\" failed at create-job.flow.json step 2 (click)"))
            for part in ["step:", "locator:", "error:", "found:", "url:", "screenshot:", "html:"] { #expect(text.contains(part), "\(part)") }
            #expect(result.flows.first?.steps.map(\.status) == [.passed, .failed])
        }
    }

    @Test("secret values never appear in failures, step descriptions or saved HTML")
    func secretsRedacted() async throws {
        try await TestBed.with { bed in
            let observer = RecordingObserver()
            let result = try await bed.run(
                [
                    ["goto": "/pages/controls"],
                    ["fill": "placeholder=Dataset Name", "value": "${env.TOKEN}"],
                    ["evaluate": "document.body.setAttribute('data-token', document.getElementById('ds').value)"],
                    ["click": "text=${env.TOKEN}", "timeout": 200],
                ],
                secrets: ["TOKEN"], environment: ["TOKEN": "s3cr3t-value"], observer: observer)
            let failure = try #require(result.failures.first)
            #expect(!failure.description.contains("s3cr3t-value"))
            #expect(failure.message.contains("<redacted:TOKEN>"))
            #expect(!(try String(contentsOfFile: try #require(failure.html), encoding: .utf8).contains("s3cr3t-value")))
            #expect(!observer.events.withLock { $0 }.joined().contains("s3cr3t-value"))
        }
    }

    @Test("the observer hears start and finish for every step in order, included steps with their own file")
    func observerOrder() async throws {
        try await TestBed.with { bed in
            try FileManager.default.createDirectory(at: bed.output, withIntermediateDirectories: true)
            try #"{"name": "part", "steps": [{"click": "text=Save all"}]}"#.write(
                to: bed.output.appendingPathComponent("part.flow.json"), atomically: true, encoding: .utf8)
            let observer = RecordingObserver()
            let result = try await bed.run(
                [["goto": "/pages/controls"], ["include": "part.flow.json"], ["click": "testId=go"]], name: "main", observer: observer)
            #expect(result.passed, "\(result.report)")
            #expect(observer.events.withLock { $0 } == [
                "start main.flow.json#1 goto /pages/controls", "finish main.flow.json#1",
                "start main.flow.json#2 include part.flow.json", "start part.flow.json#1 click text=Save all", "finish part.flow.json#1",
                "finish main.flow.json#2",
                "start main.flow.json#3 click testId=go", "finish main.flow.json#3",
                "flow main.flow.json passed",
            ])
        }
    }

    @Test("an unknown variable fails its step naming the variable; the observer still hears its start and finish")
    func unknownVariable() async throws {
        try await TestBed.with { bed in
            let observer = RecordingObserver()
            let result = try await bed.run([["goto": "/pages/controls"], ["fill": "#ds", "value": "${vars.jobName}"]], name: "vars", observer: observer)
            let failure = try #require(result.failures.first)
            #expect(failure.step == 2 && failure.message.contains("no variable `jobName`"), "\(failure.message)")
            #expect(observer.events.withLock { $0 }.suffix(3) == ["start vars.flow.json#2 fill css=#ds", "finish vars.flow.json#2 failed", "flow vars.flow.json failed"])
        }
    }

    @Test("a failing included step names the included file and where it was included from")
    func includedFailure() async throws {
        try await TestBed.with { bed in
            try FileManager.default.createDirectory(at: bed.output, withIntermediateDirectories: true)
            try #"{"name": "part", "steps": [{"goto": "/pages/controls"}, {"click": "text=Nope", "timeout": 100}]}"#.write(
                to: bed.output.appendingPathComponent("part.flow.json"), atomically: true, encoding: .utf8)
            let result = try await bed.run([["include": "part.flow.json"]], name: "outer")
            let failure = try #require(result.failures.first)
            #expect(failure.file == "part.flow.json" && failure.step == 2)
            #expect(failure.includedFrom == ["outer.flow.json step 1"])
        }
    }

    @Test("without keep-going later flows are skipped; with it they run; when skips by run variable")
    func keepGoingAndWhen() async throws {
        try await TestBed.with { bed in
            let failing = try FlowLoader.decode(["name": "a", "steps": [["goto": "/pages/controls"], ["click": "text=Nope", "timeout": 100]]], file: nil)
            let passing = try FlowLoader.decode(["name": "b", "steps": [["click": "text=Save all"]]], file: nil)
            let gated = try FlowLoader.decode(
                ["name": "c", "when": ["var": "until", "in": ["completed"]], "steps": [["click": "testId=go"]]], file: nil)
            let stopped = await bed.run([failing, passing, gated], variables: ["until": "checkpoint"])
            #expect(stopped.flows.map(\.status) == [.failed, .skipped, .skipped])
            let observer = RecordingObserver()
            let kept = await bed.run([failing, passing, gated], variables: ["until": "checkpoint"], keepGoing: true, observer: observer)
            #expect(kept.flows.map(\.status) == [.failed, .passed, .skipped])
            // Each flow's outcome is told as it ends (progress on a terminal), not after the whole run.
            let events = observer.events.withLock { $0 }
            let aEnded = try #require(events.firstIndex(of: "flow a failed"))
            #expect(events.firstIndex { $0.hasPrefix("start b#1") }.map { aEnded < $0 } == true, "\(events)")
            #expect(events.filter { $0.hasPrefix("flow ") } == ["flow a failed", "flow b passed", "flow c skipped"])
            #expect(kept.flows[2].skipReason?.contains("until is `checkpoint`") == true)
            let all = await bed.run([passing, gated], variables: ["until": "completed"])
            #expect(all.flows.map(\.status) == [.passed, .passed])
            #expect(all.passed)
        }
    }

    @Test("missing environment variables stop the run before any step, naming them all")
    func missingEnvironment() async throws {
        try await TestBed.with { bed in
            let flow = try FlowLoader.decode(
                ["name": "login", "requires": ["PASSWORD"], "steps": [["goto": "/pages/${env.START_PAGE}"]]], file: nil)
            let result = await bed.run([flow])
            let error = try #require(result.setupError)
            #expect(error.contains("PASSWORD") && error.contains("START_PAGE"))
            #expect(result.flows.isEmpty && !result.passed)
            #expect(try await bed.evaluate("location.href") == "about:blank")
        }
    }

    @Test("flow vars interpolate run built-ins and each other in any order, and --var values win over them")
    func flowVariables() async throws {
        try await TestBed.with { bed in
            let flow = try FlowLoader.decode(
                ["name": "v", "vars": ["dataset": "${vars.prefix}_${run.id}", "prefix": "ds", "fixed": "from-flow"],
                 "steps": [["goto": "/pages/controls"], ["fill": "placeholder=Dataset Name", "value": "${vars.dataset}/${vars.fixed}"]]],
                file: nil)
            let result = await bed.run([flow], variables: ["fixed": "from-cli"])
            #expect(result.passed, "\(result.report)")
            let value = try #require(try await bed.evaluate("document.getElementById('ds').value").stringValue)
            #expect(value.hasPrefix("ds_") && value.hasSuffix("/from-cli") && !value.contains("${"))
        }
    }
}
