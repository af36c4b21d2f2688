import Browser
import DevTools
import Foundation
import JSONCore
import Synchronization
import Testing
import TestSupport

/// `report.html` as a person opens it: from disk, in the real Chromium the tool drives, with the
/// network off.
@Suite(.serialized) struct ReportPageTests {
    /// Where the README's screenshots are kept; refreshed when `DISCOVER_README_SCREENSHOTS=1`, since a
    /// run's times differ from the last and a test run should not leave the working tree changed.
    static let screenshotFolder = Repository.root.appendingPathComponent("output/ai-toolkit")

    @Test func theDemosPageOpensOfflineWithoutErrorsAndShowsEveryEndpointStepAndFilter() async throws {
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
                  [f.querySelector('h3').childNodes[0].textContent.trim(), f.querySelectorAll('li.step:not(.background) > .row .bar').length]))
                """)
            for (file, count) in printedSteps {
                #expect(bars[file]?.intValue == count, "\(file): \(bars[file]?.intValue ?? 0) bars for \(count) steps")
            }

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
            #expect(requests == [pageURL.absoluteString], "the page asked for more than itself: \(requests)")
            await page.close()
        }
    }
}
