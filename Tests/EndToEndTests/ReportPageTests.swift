import Browser
import DevTools
import Discovery
import Foundation
import JSONCore
import Recording
import Synchronization
import Testing
import TestSupport

/// `report.html` as a person opens it: from disk, in the real Chromium the tool drives, with the
/// network off.
@Suite(.serialized) struct ReportPageTests {
    /// Where the README's screenshots are kept; refreshed when `DISCOVER_README_SCREENSHOTS=1`, since a
    /// run's times differ from the last and a test run should not leave the working tree changed.
    static let screenshotFolder = Repository.root.appendingPathComponent("output/ai-toolkit")

    @Test func theDemosPageOpensOfflineWithoutErrorsShowsEveryEndpointStepAndFilterAndReadsWithScriptOff() async throws {
        let output = try temporaryFolder("report-page")
        defer { try? FileManager.default.removeItem(at: output) }
        let demo = try await CommandLineTests.discover(["demo", "--output", output.path, "--training-seconds", "2", "--no-color"])
        #expect(demo.status == 0, "\(demo.stderr)")

        // What the run printed: each passed flow and its step count, which the timeline must draw.
        var printedSteps: [String: Int] = [:]
        for line in demo.stderr.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count >= 3, words[0] == "passed", words[2].hasPrefix("("), let count = Int(words[2].dropFirst()) {
                printedSteps[String(words[1])] = count
            }
        }
        #expect(printedSteps.count == 6, "\(demo.stderr)")

        let pageURL = output.appendingPathComponent("report.html")
        let bytes = try Data(contentsOf: pageURL)
        #expect(bytes.count <= 2 << 20, "report.html is \(bytes.count) bytes")
        // The demo's generated password (`demo-` and 20 letters) is in no page and no run.json.
        for name in ["report.html", "run.json"] {
            let text = try String(contentsOf: output.appendingPathComponent(name), encoding: .utf8)
            #expect(text.range(of: #"demo-[a-zA-Z0-9]{20}"#, options: .regularExpression) == nil, "\(name) holds the demo's password")
        }

        let endpoints = try readJSON(output.appendingPathComponent("discovered-endpoints.json"))["endpoints"]?.arrayValue ?? []
        func key(_ endpoint: JSON) -> String { "\(endpoint["method"]?.stringValue ?? "") \(endpoint["path"]?.stringValue ?? "")" }
        let all = Set(endpoints.map(key))
        let posts = Set(endpoints.filter { $0["method"]?.stringValue == "POST" }.map(key))
        let datasets = Set(endpoints.filter { ($0["path"]?.stringValue ?? "").hasPrefix("/api/datasets/") }.map(key))
        let anonymous = Set(endpoints.filter { ($0["auth"]?["schemes"]?.arrayValue ?? []).isEmpty }.map(key))
        #expect(!posts.isEmpty && !datasets.isEmpty && !anonymous.isEmpty && anonymous != all)

        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            let seen = Mutex<[CDPEvent]>([])
            let events = page.session.events([
                "Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded", "Network.requestWillBeSent", "Network.loadingFailed",
            ])
            let listener = Task {
                for await event in events { seen.withLock { $0.append(event) } }
            }
            defer { listener.cancel() }
            for domain in ["Runtime.enable", "Log.enable", "Network.enable"] { _ = try await page.session.send(domain) }
            _ = try await page.session.send(
                "Network.emulateNetworkConditions", ["offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1])
            _ = try await page.session.send(
                "Emulation.setDeviceMetricsOverride", ["width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false])
            try await page.goto(pageURL.absoluteString)

            let catalog = Set(try await page.evaluate(
                "[...document.querySelectorAll('#catalog .endpoint')].map(e => e.dataset.method + ' ' + e.querySelector('.path').textContent)"
            ).arrayValue?.compactMap(\.stringValue) ?? [])
            #expect(catalog == all, "missing: \(all.subtracting(catalog).sorted()), extra: \(catalog.subtracting(all).sorted())")

            let bars = try await page.evaluate("""
                Object.fromEntries([...document.querySelectorAll('#timeline .flow')].map(f =>
                  [f.querySelector('h3').childNodes[0].textContent.trim(), f.querySelectorAll('li.step:not(.background) > .row .bar:not(.wait)').length]))
                """)
            for (file, count) in printedSteps {
                #expect(bars[file]?.intValue == count, "\(file): \(bars[file]?.intValue ?? 0) bars for \(count) steps")
            }
            // Steps that act on an element (clicks, fills) show their wait for it apart.
            let waits = try await page.evaluate("document.querySelectorAll('#timeline li.step > .row .bar.wait').length").intValue ?? 0
            #expect(waits >= 10, "\(waits) steps with their wait drawn apart")

            let filtered = try await page.evaluate("""
                (() => {
                  const visible = () => [...document.querySelectorAll('#catalog .endpoint')]
                    .filter(e => e.offsetParent !== null).map(e => e.dataset.method + ' ' + e.querySelector('.path').textContent);
                  const set = (id, value) => { const el = document.getElementById(id); el.value = value; el.dispatchEvent(new Event('input', {bubbles: true})); };
                  const result = {form: !document.getElementById('filters').hidden, all: visible()};
                  set('filter-method', 'POST'); result.post = visible(); set('filter-method', '');
                  set('filter-area', 'datasets'); result.area = visible(); set('filter-area', '');
                  set('filter-auth', 'none'); result.anonymous = visible(); set('filter-auth', '');
                  set('filter-text', '{jobid}/log'); result.text = visible();
                  result.count = document.getElementById('filter-count').value; set('filter-text', '');
                  return result;
                })()
                """)
            func strings(_ name: String) -> Set<String> { Set(filtered[name]?.arrayValue?.compactMap(\.stringValue) ?? []) }
            #expect(filtered["form"]?.boolValue == true, "the filters show once the script runs")
            #expect(strings("all") == all)
            #expect(strings("post") == posts)
            #expect(strings("area") == datasets)
            #expect(strings("anonymous") == anonymous)
            #expect(strings("text") == ["GET /api/jobs/{jobId}/log"])
            #expect(filtered["count"]?.stringValue == "1 of \(all.count) endpoints")

            // The README's pictures: the catalog with one endpoint open, and the timeline.
            _ = try await page.evaluate("""
                (() => {
                  const area = document.getElementById('filter-area');
                  area.value = 'jobs';
                  area.dispatchEvent(new Event('input', {bubbles: true}));
                  document.getElementById('ep-GET--api-jobs--jobId--log').open = true;
                })()
                """)
            let catalogShot = try await page.screenshot()
            _ = try await page.evaluate("document.getElementById('timeline').scrollIntoView()")
            let timelineShot = try await page.screenshot()
            #expect(catalogShot.starts(with: [0x89, 0x50, 0x4E, 0x47]) && catalogShot.count > 20_000)
            #expect(timelineShot.starts(with: [0x89, 0x50, 0x4E, 0x47]) && timelineShot.count > 20_000)
            if ProcessInfo.processInfo.environment["DISCOVER_README_SCREENSHOTS"] == "1" {
                try FileManager.default.createDirectory(at: Self.screenshotFolder, withIntermediateDirectories: true)
                try catalogShot.write(to: Self.screenshotFolder.appendingPathComponent("report-html-catalog.png"))
                try timelineShot.write(to: Self.screenshotFolder.appendingPathComponent("report-html-timeline.png"))
            }

            // Without JavaScript every section is there; only the filters (which need it) stay hidden.
            _ = try await page.session.send("Emulation.setScriptExecutionDisabled", ["value": true])
            try await page.goto(pageURL.absoluteString)
            let scriptOff = try await page.evaluate("""
                ({endpoints: [...document.querySelectorAll('#catalog .endpoint')].filter(e => e.offsetParent !== null).length,
                  bars: document.querySelectorAll('#timeline li.step:not(.background) > .row .bar:not(.wait)').length,
                  streams: document.querySelectorAll('#streams .stream-endpoint').length,
                  filters: document.getElementById('filters').offsetParent !== null,
                  styled: getComputedStyle(document.querySelector('.method')).color === 'rgb(255, 255, 255)'})
                """)
            #expect(scriptOff["endpoints"]?.intValue == all.count)
            #expect(scriptOff["bars"]?.intValue == printedSteps.values.reduce(0, +))
            #expect(scriptOff["streams"]?.intValue == endpoints.filter { $0["kind"]?.stringValue != "http" }.count)
            #expect(scriptOff["filters"]?.boolValue == false, "filters without a script would do nothing")
            #expect(scriptOff["styled"]?.boolValue == true, "the inline stylesheet applies")

            let recorded = seen.withLock { $0 }
            let errors = recorded.filter { event in
                switch event.method {
                case "Runtime.consoleAPICalled": return event.params["type"]?.stringValue == "error"
                case "Log.entryAdded": return event.params["entry"]?["level"]?.stringValue == "error"
                case "Runtime.exceptionThrown", "Network.loadingFailed": return true
                default: return false
                }
            }
            #expect(errors.isEmpty, "\(errors.map { "\($0.method) \($0.params.serialized())" })")
            let requests = recorded.filter { $0.method == "Network.requestWillBeSent" }.compactMap { $0.params["request"]?["url"]?.stringValue }
            #expect(requests == [pageURL.absoluteString, pageURL.absoluteString], "the page (loaded twice) asked for more than itself: \(requests)")
            await page.close()
        }
    }

    @Test func generateDrawsTheSamePageTwiceWithTheRunsTimelineAndDiffHTMLPutsBreakingChangesFirst() async throws {
        let folder = try temporaryFolder("report-generate")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A run of two steps: the first polled a job's log twice, the second started it.
        let writer = try CaptureWriter(url: folder.appendingPathComponent("capture.jsonl"))
        try writer.append(.header(CaptureHeader(toolVersion: "test", startedAt: 100, baseURL: "http://127.0.0.1:1", flows: ["01-jobs.flow.json"], redacted: true)))
        let job = "3f2b8c1e-0d6a-4b5e-9f1a-2c3d4e5f6a7b"
        for (index, (path, time, step)) in [("/api/jobs/\(job)/log", 100.2, 1), ("/api/jobs/\(job)/log", 100.7, 1), ("/api/jobs/\(job)/start", 101.2, 2)].enumerated() {
            try writer.append(.exchange(Exchange(
                id: "e\(index)", method: "GET", url: "http://127.0.0.1:1\(path)", resourceType: "Fetch", startedAt: time, endedAt: time + 0.05,
                response: Response(status: 200, headers: [Header(name: "Content-Type", value: "application/json")], mimeType: "application/json",
                                   body: Body(size: 12, mimeType: "application/json", text: #"{"ok":true}"#)),
                provenance: Provenance(flow: "jobs", step: step, description: step == 1 ? "goto /jobs" : "click text=Start"))))
        }
        try writer.append(.trailer(CaptureTrailer(complete: true, reason: nil, endedAt: 102, counts: [:], flows: ["jobs": "passed"])))
        try writer.close()
        let steps = RunSteps(flows: [RunSteps.Flow(name: "jobs", file: "01-jobs.flow.json", status: "passed", steps: [
            RunSteps.Step(file: "01-jobs.flow.json", index: 1, kind: "goto", description: "goto /jobs", status: "passed", startedAt: 100, endedAt: 101),
            RunSteps.Step(file: "01-jobs.flow.json", index: 2, kind: "click", description: "click text=Start", status: "passed", startedAt: 101, endedAt: 101.4),
        ])])
        try (steps.json.serialized(.pretty) + "\n").write(to: folder.appendingPathComponent("run.json"), atomically: true, encoding: .utf8)

        let capture = folder.appendingPathComponent("capture.jsonl").path
        let pageURL = folder.appendingPathComponent("report.html")
        let first = try await CommandLineTests.discover(["generate", capture, "--app-name", "sample"])
        #expect(first.status == 0, "\(first.stderr)")
        let firstPage = try Data(contentsOf: pageURL)
        let second = try await CommandLineTests.discover(["generate", capture, "--app-name", "sample"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try Data(contentsOf: pageURL) == firstPage, "two generates on one capture gave two pages")
        let page = String(decoding: firstPage, as: UTF8.self)
        #expect(page.components(separatedBy: "<span class=\"bar\" style=").count - 1 == 2, "one bar per step")
        #expect(page.contains("GET /api/jobs/\(job)/log") && page.contains("<span class=\"status s2\">2×</span>"), "the two polls on one row")

        // From the discovered-endpoints.json of the run folder: the same timeline, read from the capture beside it.
        let elsewhere = folder.appendingPathComponent("again")
        let fromFile = try await CommandLineTests.discover([
            "generate", folder.appendingPathComponent("discovered-endpoints.json").path, "--output", elsewhere.path,
        ])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let again = try String(contentsOf: elsewhere.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(again.components(separatedBy: "<span class=\"bar\" style=").count - 1 == 2)

        // The same API without its start route: `diff --html` lists it as a breaking removal with its rule.
        var api = try readJSON(folder.appendingPathComponent("discovered-endpoints.json")).objectValue ?? [:]
        api["endpoints"] = .array((api["endpoints"]?.arrayValue ?? []).filter { !($0["path"]?.stringValue ?? "").hasSuffix("/start") })
        let emptied = folder.appendingPathComponent("without-start.json")
        try JSON.object(api).serialized(.pretty).write(to: emptied, atomically: true, encoding: .utf8)
        let diffPage = folder.appendingPathComponent("changes.html")
        let diff = try await CommandLineTests.discover(["diff", emptied.path, folder.path, "--html", diffPage.path])
        #expect(diff.status == 1, "an added endpoint is a non-breaking change: \(diff.stdout)")
        let removal = try await CommandLineTests.discover(["diff", folder.path, emptied.path, "--html", diffPage.path])
        #expect(removal.status == 2)
        let changes = try String(contentsOf: diffPage, encoding: .utf8)
        #expect(changes.contains("<h3>Breaking (1)</h3>"))
        #expect(changes.contains("operation removed: a client calling it gets an error"))
        #expect(changes.contains("<code>GET /api/jobs/{jobId}/start</code>"))
    }
}
