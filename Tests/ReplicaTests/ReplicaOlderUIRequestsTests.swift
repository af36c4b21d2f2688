import Browser
import Foundation
import JSONCore
import Replica
import Testing
import TestSupport

/// What the `2025-10` UI asks the server for, as c9843692 did: nothing outside the page shown, `/api/gpu`
/// every second on the dashboard only (GPUMonitor), captions one image at a time.
@Suite("The 2025-10 UI's requests")
struct ReplicaOlderUIRequestsTests {
    static let password = "older-ui-test-password"

    /// Every URL the page fetches, with the time, from its first script on.
    static let recorder = """
        window.__fetched = [];
        const realFetch = window.fetch;
        window.fetch = (input, init) => {
          window.__fetched.push({ url: new URL(String(input.url || input), location.href).pathname + new URL(String(input.url || input), location.href).search,
            method: (init && init.method) || 'GET', at: performance.now() });
          return realFetch(input, init);
        };
        """

    @Test func theGPUIsPolledEverySecondOnTheDashboardAndNowhereElse() async throws {
        try await withSignedInPage { replica, page in
            try await page.goto(replica.baseURL + "/dashboard")
            try await page.waitUntil("four /api/gpu requests from the dashboard", "window.__fetched.filter((f) => f.url === '/api/gpu').length >= 4")
            let gpu = try await page.evaluate("window.__fetched.filter((f) => f.url === '/api/gpu').map((f) => f.at)")
            let times = (gpu.arrayValue ?? []).compactMap(\.doubleValue)
            // One from JobsTable's useGPUInfo at mount, then GPUMonitor's: at mount and each second.
            let gaps = zip(times.dropFirst(2), times.dropFirst(3)).map { $1 - $0 }
            // On the second's tick; a tick is skipped while the last request is out, so a loaded machine may show 2 or 3 s.
            #expect(gaps.allSatisfy { $0 >= 900 && $0 <= 3200 }, "GPUMonitor asks every second: \(times)")
            #expect(try await page.evaluate("window.__fetched.some((f) => f.url === '/api/jobs')") == true, "JobsTable asks for every job")
            #expect(try await page.evaluate("window.__fetched.filter((f) => f.url === '/api/queue').length") == 1)

            // A link, not a load: the dashboard's loops stop with it.
            _ = try await page.evaluate("document.querySelector('nav a[href=\"/datasets\"]').click()")
            try await page.waitUntil("the datasets page", "document.querySelector('h1.page-title')?.textContent === 'Datasets'")
            let left = try await page.evaluate("performance.now()").doubleValue ?? 0
            _ = try await page.evaluate("new Promise((resolve) => setTimeout(resolve, 2500))")
            let after = try await page.evaluate("window.__fetched.filter((f) => f.at > \(left + 100)).map((f) => f.url)")
            #expect(after == [], "nothing is polled on the datasets page: \(after)")
            let anywhere = try await page.evaluate("window.__fetched.map((f) => f.url).filter((u) => u.includes('only_active') || u.includes('ostris_cloud') || u.includes('monitor'))")
            #expect(anywhere == [], "no sidebar widgets and no monitor in 2025-10: \(anywhere)")
        }
    }

    @Test func eachImageAsksForItsOwnCaption() async throws {
        try await withSignedInPage { replica, page in
            let created = try await replica.post("/api/datasets/create", ["name": "older_captions"])
            #expect(created.status == 200)
            let root = try #require(try await replica.get("/api/settings").json?["DATASETS_FOLDER"]?.stringValue)
            for name in ["a.png", "b.png"] {
                try Data([0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: "\(root)/older_captions/\(name)"))
            }
            try "a caption".write(toFile: "\(root)/older_captions/a.txt", atomically: true, encoding: .utf8)
            try await page.goto(replica.baseURL + "/datasets/older_captions")
            try await page.waitUntil("the caption of a.png", "[...document.querySelectorAll('textarea.caption')].some((t) => t.value === 'a caption')")
            try await page.waitUntil("two caption requests", "window.__fetched.filter((f) => f.url === '/api/caption/get').length === 2")
            #expect(try await page.evaluate("window.__fetched.some((f) => f.url === '/api/caption/getBatch' || f.url === '/api/settings')") == false)
            #expect(try await page.evaluate("document.querySelector('.image-card img').getAttribute('src')") == .string("/api/img/" + (root + "/older_captions/a.png").addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-_.!~*'()")))!))
        }
    }

    private func withSignedInPage(_ body: (TestReplica, Page) async throws -> Void) async throws {
        let replica = try await TestReplica.start(password: Self.password, uiVersion: "2025-10")
        try await TestBrowser.withPage(stopping: { await replica.stop() }) { page in
            _ = try await page.session.send("Page.addScriptToEvaluateOnNewDocument", ["source": .string(Self.recorder)])
            try await page.goto(replica.baseURL + "/favicon.ico")
            _ = try await page.evaluate("localStorage.setItem('AI_TOOLKIT_AUTH', \(JSON.string(Self.password).serialized()))")
            try await body(replica, page)
        }
    }
}
