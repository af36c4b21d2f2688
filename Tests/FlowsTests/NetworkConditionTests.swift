import Flows
import Foundation
import JSONCore
import Testing

/// waitFor/expect/save on responses and stream messages, seen through the page's Network events.
@Suite("Network conditions in Chromium")
struct NetworkConditionTests {
    @Test("waitFor a response by method, URL glob and status, after the click that caused it")
    func waitForResponse() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/network"],
                ["click": "text=Create"],
                ["waitFor": ["response": ["method": "POST", "url": "**/api/items", "status": 201]]],
                ["click": "text=Slow"],
                ["waitFor": ["response": ["url": "/api/slow", "status": 200]]],
            ])
            #expect(result.passed, "\(result.report)")
        }
    }

    @Test("waitFor a 204 answer: Chromium ends it with a canceled loadingFailed, and it is still a response (five times over)")
    func noContentResponse() async throws {
        try await TestBed.with { bed in
            var steps: [JSON] = [["goto": "/pages/network"]]
            for _ in 0..<5 {
                steps.append(["click": "text=Delete"])
                steps.append(["waitFor": ["response": ["method": "DELETE", "url": "**/api/items/42", "status": 204]], "timeout": 3000])
            }
            let result = try await bed.run(steps)
            #expect(result.passed, "\(result.report)")
        }
    }

    @Test("a waitFor response that times out lists the near misses: the URL with another method or status, a path a typo away, one before the last action")
    func nearMisses() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/network"],
                ["click": "text=Create"],
                ["waitFor": ["response": ["method": "POST", "url": "**/api/items", "status": 201]]],
                ["click": "text=Load"],
                ["waitFor": ["response": ["method": "GET", "url": "/api/items", "status": 201]], "timeout": 800],
            ])
            let failure = try #require(result.failures.first)
            let found = failure.found.joined(separator: "\n")
            #expect(failure.step == 5)
            #expect(found.contains("near misses:"), "\(found)")
            #expect(found.contains("GET http://") && found.contains("/api/items -> 200: the status is 200, not 201"), "\(found)")
            #expect(found.contains("-> 201: the method is POST, not GET"), "\(found)")

            let typo = try await bed.run([
                ["goto": "/pages/network"],
                ["click": "text=Load"],
                ["waitFor": ["response": ["url": "/api/item", "status": 200]], "timeout": 800],
            ])
            let typoFound = try #require(typo.failures.first).found.joined(separator: "\n")
            #expect(typoFound.contains("/api/items -> 200: the path is 1 edit from /api/item"), "\(typoFound)")

            let early = try await bed.run([
                ["goto": "/pages/network"],
                ["click": "text=Load"],
                ["waitFor": ["response": ["url": "/api/items", "status": 200]]],
                ["click": "text=Slow"],
                ["waitFor": ["response": ["url": "/api/items", "status": 200]], "timeout": 800],
            ])
            let earlyFound = try #require(early.failures.first).found.joined(separator: "\n")
            #expect(earlyFound.contains("/api/items -> 200: it came before the last action"), "\(earlyFound)")
        }
    }

    @Test("an optional step that times out is skipped with its reason and the flow goes on; a required one still fails")
    func optionalStep() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/network"],
                ["click": "text=No such banner", "timeout": 400, "optional": true, "name": "dismiss the banner if it shows"],
                ["waitFor": ["response": ["url": "**/api/monitor", "status": 401]], "timeout": 400, "optional": true],
                ["click": "text=Load"],
                ["waitFor": ["response": ["url": "/api/items", "status": 200]], "optional": true],
            ])
            #expect(result.passed, "\(result.report)")
            let steps = try #require(result.flows.first).steps
            #expect(steps.map(\.status) == [.passed, .skipped, .skipped, .passed, .passed])
            #expect(steps[1].description.contains("(dismiss the banner if it shows) (optional, skipped: timed out after 0."), "\(steps[1].description)")
            let evidence = (try? FileManager.default.contentsOfDirectory(atPath: bed.output.appendingPathComponent("failures").path)) ?? []
            #expect(evidence.isEmpty, "an optional step's miss left failure files: \(evidence)")
            try await bed.expectEvents(["items:2"])

            let required = try await bed.run([["goto": "/pages/network"], ["click": "text=No such banner", "timeout": 400]])
            #expect(!required.passed)
        }
    }

    @Test("a response whose body the page cancelled (a stream reader stopped on a 401) is still a response to wait for")
    func responseWithCancelledBody() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/network"],
                ["click": "text=Denied"],
                ["evaluate": "window.denied"],
                ["waitFor": ["response": ["url": "/api/denied", "status": 401]], "timeout": 2000],
            ])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["status:401"])
        }
    }

    @Test("waitFor a count of responses")
    func responseCount() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/network"],
                ["click": "text=Load thrice"],
                ["waitFor": ["response": ["method": "GET", "url": "**/api/items"], "count": 3]],
            ])
            #expect(result.passed, "\(result.report)")
        }
    }

    @Test("expect a response's JSON at a path to equal a value and to exist")
    func responseJSON() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/network"],
                ["click": "text=Create"],
                ["expect": ["response": ["method": "POST", "url": "**/api/items"], "json": ["path": "$.name", "equals": "alpha"]]],
                ["expect": ["response": ["method": "POST", "url": "**/api/items"], "json": ["path": "$.id", "equals": 42]]],
                ["click": "role=button[name=\"Load\"][exact]"],
                ["expect": ["response": "**/api/items", "json": ["path": "$.items[-1].name", "equals": "second"]]],
                ["expect": ["response": "**/api/items", "json": ["path": "$.missing", "exists": false]]],
            ])
            #expect(result.passed, "\(result.report)")
        }
    }

    @Test("a JSON expectation that never holds fails with the value it saw and the recent responses")
    func responseJSONMismatch() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/network"],
                ["click": "text=Create"],
                // The response first, so the short timeout below only bounds the JSON check, not a loaded machine.
                ["waitFor": ["response": ["method": "POST", "url": "**/api/items"]]],
                ["expect": ["response": ["url": "**/api/items"], "json": ["path": "$.name", "equals": "beta"]], "timeout": 300],
            ])
            let failure = try #require(result.failures.first)
            #expect(failure.message.contains(#"$.name = "alpha""#), "\(failure.message)")
            #expect(failure.found.contains { $0.contains("POST \(bed.baseURL)/api/items -> 201") }, "\(failure.found)")
        }
    }

    @Test("save takes a value from the latest matching response's JSON")
    func saveFromResponse() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/network"],
                ["click": "text=Create"],
                ["save": "itemId", "from": ["response": ["method": "POST", "url": "**/api/items"], "path": "$.id"]],
                ["evaluate": "'item-${vars.itemId}'", "save": "label"],
            ])
            #expect(result.passed, "\(result.report)")
            #expect(result.variables["itemId"] == "42")
            #expect(result.variables["label"] == "item-42")
        }
    }

    @Test("waitFor server-sent events from an EventSource by event name and content")
    func eventSourceMessages() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/network"],
                ["click": "text=Listen"],
                ["waitFor": ["message": ["url": "**/events", "event": "progress", "contains": "\"step\": 3"]]],
                ["waitFor": ["message": ["url": "**/events", "event": "progress"], "count": 3]],
            ])
            #expect(result.passed, "\(result.report)")
        }
    }

    @Test("waitFor events of a stream read with fetch (Network.streamResourceContent)")
    func fetchStreamMessages() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/network"],
                ["click": "text=Stream"],
                ["waitFor": ["message": ["url": "**/events", "matches": "^finished$"]]],
            ])
            #expect(result.passed, "\(result.report)")
        }
    }

    @Test("waitFor WebSocket frames sent and received")
    func webSocketMessages() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/network"],
                ["click": "text=Socket"],
                ["waitFor": ["message": ["url": "ws://**/ws", "direction": "sent", "contains": "hello"]]],
                ["waitFor": ["message": ["url": "**/ws", "direction": "received", "matches": "^echo: hello$"]]],
            ])
            #expect(result.passed, "\(result.report)")
        }
    }

    @Test("a runner on a browser whose network someone else activated first still sees every response")
    func networkActivatedBeforeTheRunner() async throws {
        try await TestBed.with { bed in
            await bed.page.browser.network.activate(maxPostDataSize: 1 << 20)
            let flow = try FlowLoader.decode(
                ["name": "listen", "steps": [["goto": "/pages/network"], ["click": "text=Create"],
                                             ["expect": ["response": "**/api/items", "json": ["path": "$.id", "equals": 42]]]]],
                file: nil)
            let runner = FlowRunner(
                page: bed.page, baseURL: bed.baseURL, environment: [:], outputFolder: bed.output, options: FlowRunOptions(timeout: .seconds(5)))
            let result = await runner.run([flow])
            #expect(result.passed, "\(result.report)")
        }
    }

    @Test("url conditions take globs and /regex/")
    func urlConditions() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"],
                ["click": "text=Open job 123"],
                ["waitFor": ["url": "/pages/jobs/*"]],
                ["expect": ["url": "/jobs\\/\\d+\\?tab=overview$/"]],
            ])
            #expect(result.passed, "\(result.report)")
        }
    }
}
