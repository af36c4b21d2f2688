import Foundation
import JSONCore
import Recording
import Testing

@testable import Discovery

@Suite("report.html")
struct HTMLReportTests {
    static let old = Discovery.discover(from: AIToolkitSession.build(.october2025), options: DiscoveryOptions(appName: "AI Toolkit"))
    static let new = Discovery.discover(from: AIToolkitSession.build(.august2026), options: DiscoveryOptions(appName: "AI Toolkit"))

    private func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func theCatalogListsEveryEndpointAndChangesComeBreakingFirstWithTheirRule() throws {
        let diff = Discovery.diff(old: Self.old, new: Self.new)
        let page = HTMLReport.page(Self.new, HTMLReport.Context(baseline: Self.old, diff: diff))
        for endpoint in Self.new.endpoints {
            #expect(page.contains("data-method=\"\(endpoint.method)\""), "\(endpoint.key)")
            #expect(page.contains("<code class=\"path\">\(HTMLText.escape(endpoint.path))</code>"), "\(endpoint.key) is not in the catalog")
        }
        #expect(count("<details class=\"endpoint\"", in: page) == Self.new.endpoints.count)
        #expect(diff.hasBreakingChanges && diff.changes.contains { !$0.breaking }, "the sessions differ both ways")
        let changes = try #require(page.range(of: "<section id=\"changes\">"))
        let catalog = try #require(page.range(of: "<section id=\"catalog\">"))
        #expect(changes.lowerBound < catalog.lowerBound, "changes are what a reviewer opens the page for")
        let firstBreaking = try #require(page.range(of: "class=\"change breaking\""))
        let firstCompatible = try #require(page.range(of: "class=\"change compatible\""))
        #expect(firstBreaking.lowerBound < firstCompatible.lowerBound)
        #expect(count("class=\"change breaking\"", in: page) == diff.changes.filter(\.breaking).count)
        for change in diff.changes where change.breaking {
            #expect(ChangesSection.rule(change) != "breaking for an existing client", "no named rule for \(change.detail)")
        }
        // Evidence: which run reached the endpoint, and how often.
        #expect(page.contains("baseline: ") && page.contains("this run: "))
    }

    @Test func hostileTextIsEscapedAndThePageMayFetchNothing() {
        let hostile = "</code></script><img src=http://attacker.example/x onerror=alert(1)>"
        var api = DiscoveredAPI(appName: "<b>app</b>", baseURL: "http://127.0.0.1:1")
        api.endpoints = [
            DiscoveredEndpoint(
                method: "GET", path: "/api/<x>", description: hostile, operationName: "x",
                responses: [DiscoveredResponse(status: 200, count: 1, contentType: "application/json", schema: ["type": "object", "properties": [hostile: ["type": "string"]]], examples: [["html": .string(hostile)]])],
                provenance: [ProvenanceCount(flow: hostile, step: 1, description: hostile, count: 1)], observations: Observations(count: 1))
        ]
        api.steps = [StepCalls(flow: hostile, step: 1, description: hostile, calls: ["GET /api/<x>"])]
        api.notes = [hostile]
        let page = HTMLReport.page(api)
        #expect(!page.contains("<img src=http"))
        #expect(!page.contains("<b>app"))
        #expect(page.contains("&lt;img src=http://attacker.example/x onerror=alert(1)&gt;"))
        #expect(page.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' file:\""))
        for attribute in ["src=\"http", "href=\"http", "src=\"//", "href=\"//", "@import", "url("] {
            #expect(!page.contains(attribute), "the page would fetch: \(attribute)")
        }
    }

    /// A run of three steps: one skipped by its `when`, one that called two endpoints (one three times), one failed.
    static func run() -> (RunSteps, [Exchange]) {
        let steps = RunSteps(flows: [
            RunSteps.Flow(name: "jobs", file: "01-jobs.flow.json", status: "failed", steps: [
                RunSteps.Step(file: "01-jobs.flow.json", index: 1, kind: "goto", description: "goto /jobs", status: "passed", startedAt: 100, endedAt: 101.5),
                RunSteps.Step(file: "01-jobs.flow.json", index: 2, kind: "click", description: "skipped (when)", status: "skipped"),
                RunSteps.Step(
                    file: "01-jobs.flow.json", index: 3, kind: "click", description: "click text=Start", status: "failed", startedAt: 101.5, endedAt: 103,
                    message: "no element matches text=Start", screenshot: "failures/jobs-step3.png"),
            ])
        ])
        func exchange(_ id: String, _ path: String, at time: Double, step: Int, status: Int) -> Exchange {
            Exchange(
                id: id, method: "GET", url: "http://127.0.0.1:1\(path)?t=1", resourceType: "Fetch", startedAt: time, endedAt: time + 0.05,
                response: Response(status: status), provenance: Provenance(flow: "jobs", step: step, description: step == 1 ? "goto /jobs" : "click text=Start"))
        }
        let exchanges = [
            exchange("a", "/api/jobs", at: 100.2, step: 1, status: 200), exchange("b", "/api/jobs", at: 100.7, step: 1, status: 200),
            exchange("c", "/api/jobs", at: 101.2, step: 1, status: 200), exchange("d", "/api/queue", at: 101.6, step: 3, status: 500),
        ]
        return (steps, exchanges)
    }

    @Test func theTimelineDrawsOneBarPerExecutedStepWithItsCallsAndTheFailure() {
        let (steps, exchanges) = Self.run()
        var timeline = TimelineCollector()
        for exchange in exchanges { timeline.add(exchange) }
        let page = HTMLReport.page(DiscoveredAPI(appName: "t"), HTMLReport.Context(steps: steps, timeline: timeline))
        #expect(count("<span class=\"bar\" style=", in: page) == 2, "two executed steps, the skipped one has no bar")
        #expect(count("<li class=\"call\">", in: page) == 2, "one row per method and path")
        #expect(count("<span class=\"seg s2\" style=", in: page) == 3, "a segment per call: polling shows as a rhythm")
        #expect(count("<span class=\"seg s5\" style=", in: page) == 1)
        #expect(page.contains("every 500 ms"))
        #expect(page.contains("no element matches text=Start"))
        #expect(page.contains("<img src=\"failures/jobs-step3.png\""))
        // Three seconds drawn: the second step starts at half of it.
        #expect(page.contains("style=\"left:50.00%;width:50.00%\""))
    }

    @Test("a step that waited for its element draws the wait apart from the action; a step's picture (--screenshots) opens under it")
    func waitAndActionApartAndTheStepsScreenshot() {
        var flow = RunSteps.Flow(name: "jobs", file: "01-jobs.flow.json", status: "passed")
        var click = RunSteps.Step(
            file: "01-jobs.flow.json", index: 1, kind: "click", description: "click text=Start", status: "passed", startedAt: 100, endedAt: 104,
            screenshot: "steps/jobs-step1.png")
        click.actedAt = 103
        flow.steps = [click]
        let page = HTMLReport.page(DiscoveredAPI(appName: "t"), HTMLReport.Context(steps: RunSteps(flows: [flow]), timeline: TimelineCollector()))
        #expect(page.contains("<span class=\"bar wait\" style=\"left:0.00%;width:75.00%\" title=\"waited for the element: 3.0 s\">"), "\(page)")
        #expect(page.contains("<span class=\"bar\" style=\"left:75.00%;width:25.00%\""))
        #expect(page.contains("<img src=\"steps/jobs-step1.png\" alt=\"the page after step 1\""))
        #expect(RunSteps(json: RunSteps(flows: [flow]).json) == RunSteps(flows: [flow]), "actedAt survives run.json")
    }

    @Test("an optional step that missed took its time and is drawn, marked skipped; a step its `when` skipped is not")
    func anOptionalStepThatMissedIsOnTheTimeline() {
        var flow = RunSteps.Flow(name: "login", file: "01-login.flow.json", status: "passed")
        flow.steps = [
            RunSteps.Step(file: "01-login.flow.json", index: 1, kind: "goto", description: "goto /", status: "passed", startedAt: 10, endedAt: 11),
            RunSteps.Step(
                file: "01-login.flow.json", index: 2, kind: "waitFor", description: "waitFor response (optional, skipped: timed out after 5.0 s)",
                status: "skipped", startedAt: 11, endedAt: 16),
            RunSteps.Step(file: "01-login.flow.json", index: 3, kind: "click", description: "skipped (when)", status: "skipped"),
        ]
        let page = HTMLReport.page(DiscoveredAPI(appName: "t"), HTMLReport.Context(steps: RunSteps(flows: [flow]), timeline: TimelineCollector()))
        #expect(count("<li class=\"step skipped\">", in: page) == 1)
        #expect(count("<span class=\"bar\" style=", in: page) == 2)
    }

    @Test func theSameInputsGiveTheSameBytesWhateverOrderTheCaptureHadThem() {
        let (steps, exchanges) = Self.run()
        var forward = TimelineCollector()
        for exchange in exchanges { forward.add(exchange) }
        var backward = TimelineCollector()
        for exchange in exchanges.reversed() { backward.add(exchange) }
        let diff = Discovery.diff(old: Self.old, new: Self.new)
        let first = HTMLReport.page(Self.new, HTMLReport.Context(steps: steps, timeline: forward, baseline: Self.old, diff: diff))
        let second = HTMLReport.page(Self.new, HTMLReport.Context(steps: steps, timeline: backward, baseline: Self.old, diff: diff))
        #expect(first == second)
    }

    @Test func theStylesheetAndScriptAreInlinedFromTheirResourceFiles() throws {
        let css = try #require(ReportAssets.css, "report.css not found in the resource bundle")
        let script = try #require(ReportAssets.script, "report.js not found in the resource bundle")
        let page = HTMLReport.page(Self.new)
        #expect(page.contains(css) && page.contains(script))
        #expect(css.contains(".endpoint") && script.contains("filter-text"))
    }

    @Test func timesNoRunProducesAreNotDrawnAndDoNotTrap() {
        var flow = RunSteps.Flow(name: "x", file: "x.flow.json", status: "passed")
        flow.steps = [
            RunSteps.Step(file: "x.flow.json", index: 1, kind: "goto", description: "goto /", status: "passed", startedAt: -1e308, endedAt: 1e308),
            RunSteps.Step(file: "x.flow.json", index: 2, kind: "goto", description: "goto /", status: "passed", startedAt: 1, endedAt: .infinity),
        ]
        var timeline = TimelineCollector()
        timeline.add(Exchange(id: "a", method: "GET", url: "http://h/api/x", startedAt: .nan, endedAt: .infinity, provenance: Provenance(flow: "x", step: 1, description: "goto /")))
        let page = HTMLReport.page(DiscoveredAPI(appName: "x"), HTMLReport.Context(steps: RunSteps(flows: [flow]), timeline: timeline))
        #expect(page.contains("out of range: not drawn"))
        #expect(HTMLText.percent(.nan) == "0.00%" && HTMLText.percent(.infinity) == "100.00%" && HTMLText.duration(1e300) == "1000000000000.0 s")
    }

    @Test func runJSONRoundTrips() throws {
        let (steps, _) = Self.run()
        let text = steps.json.serialized(.pretty)
        #expect(RunSteps(json: try JSON.parse(text)) == steps)
    }
}
