import DevTools
import Flows
import Foundation
import JSONCore
import Synchronization
import TestSupport
import Testing

/// A Chrome DevTools Recorder export, as the Recorder panel writes it, converted and replayed against
/// the AI Toolkit replica: it logs in and opens the datasets page.
@Suite("Recorder exports replay against the replica")
struct RecorderReplayTests {
    /// What the Recorder records for: open the dashboard, type the password, click "Check Password",
    /// wait for the sidebar, click "Datasets", wait for the nav links and the URL.
    static func recording(baseURL: String, password: String) -> JSON {
        [
            "title": "Log in and open datasets",
            "timeout": 10000,
            "steps": [
                ["type": "setViewport", "width": 1280, "height": 800, "deviceScaleFactor": 1, "isMobile": false, "hasTouch": false, "isLandscape": false],
                [
                    "type": "navigate", "url": .string("\(baseURL)/dashboard"),
                    "assertedEvents": [["type": "navigation", "url": .string("\(baseURL)/dashboard"), "title": "AI Toolkit"]],
                ],
                [
                    "type": "click", "target": "main", "selectors": [["aria/Password"], ["#token"], ["xpath///*[@id=\"token\"]"], ["pierce/#token"]],
                    "offsetX": 61, "offsetY": 9.5,
                ],
                ["type": "change", "value": .string(password), "selectors": [["aria/Password"], ["#token"]], "target": "main"],
                [
                    "type": "click", "target": "main",
                    "selectors": [["aria/Check Password[role=\"button\"]"], ["form > button"], ["xpath///*[@id=\"root\"]/div/div/form/button"], ["text/Check Password"]],
                    "offsetX": 24.5, "offsetY": 8, "button": "primary", "deviceType": "mouse", "duration": 70,
                ],
                ["type": "waitForElement", "target": "main", "selectors": [["aria/Datasets[role=\"link\"]"], ["a[href=\"/datasets\"]"]]],
                [
                    "type": "click", "target": "main", "selectors": [["aria/Datasets[role=\"link\"]"], ["a:nth-of-type(4)"], ["text/Datasets"]],
                    "offsetX": 30, "offsetY": 10,
                    "assertedEvents": [["type": "navigation", "url": .string("\(baseURL)/datasets"), "title": ""]],
                ],
                ["type": "waitForElement", "target": "main", "selectors": [["a.nav-link"]], "count": 5, "operator": "=="],
                ["type": "waitForElement", "target": "main", "selectors": [["aria/New Dataset[role=\"button\"]"]], "count": 1, "operator": ">="],
                ["type": "waitForExpression", "target": "main", "expression": "location.pathname === '/datasets' && document.querySelectorAll('a.nav-link.active').length === 1"],
            ],
        ]
    }

    @Test("a Recorder export converts, loads and runs: the login reaches /api/auth with 200 and the datasets page opens")
    func recorderExportRuns() async throws {
        let replica = try await TestReplica.start(password: "recorder-secret")
        defer { Task { await replica.stop() } }
        let recording = Self.recording(baseURL: replica.baseURL, password: "recorder-secret")
        #expect(RecorderImport.isRecording(recording))
        let converted = try RecorderImport.convert(recording, file: "login.json")
        let steps = converted["steps"]?.arrayValue ?? []
        #expect(steps.contains { $0["position"] == ["x": 24.5, "y": 8] }, "the click keeps its offset: \(converted.serialized())")
        #expect(steps.contains { $0["waitFor"]?["operator"] == "==" && $0["waitFor"]?["count"] == 5 })
        #expect(steps.contains { $0["waitFor"]?["expression"] != nil })
        let flow = try FlowLoader.decode(converted, file: nil)

        try await TestBed.with { bed in
            let responses = bed.page.session.events(["Network.responseReceived"])
            let runner = FlowRunner(
                page: bed.page, baseURL: replica.baseURL, environment: [:], outputFolder: bed.output,
                options: FlowRunOptions(timeout: .seconds(20)))
            let result = await runner.run([flow])
            #expect(result.passed, "\(result.report)")
            let url = try await bed.page.url()
            #expect(url == "\(replica.baseURL)/datasets")

            let auth = await Self.first(in: responses, within: .seconds(5)) { event in
                let url = event.params["response"]?["url"]?.stringValue ?? ""
                return URLComponents(string: url)?.path == "/api/auth" && event.params["response"]?["status"]?.intValue == 200
            }
            #expect(auth != nil, "no 200 response from /api/auth")
        }
    }

    /// The first event that satisfies `predicate`, or nil when none arrives in time.
    static func first(
        in events: AsyncStream<CDPEvent>, within limit: Duration, where predicate: @escaping @Sendable (CDPEvent) -> Bool
    ) async -> CDPEvent? {
        await withTaskGroup(of: CDPEvent?.self) { group in
            group.addTask {
                for await event in events where predicate(event) { return event }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let found = await group.next() ?? nil
            group.cancelAll()
            return found
        }
    }
}
