import Browser
import DevTools
import Foundation
import JSONCore
import Synchronization
import Testing
import TestSupport

@Suite("Auto-attach of iframes and workers", .timeLimit(.minutes(1)))
struct AutoAttachTests {
    /// Served through browser-level request interception, so two sites need no server and no DNS.
    static let site: [String: InterceptedSite.Resource] = [
        "http://site-a.test/": .init("text/html", """
            <script>
            window.results = new Promise(resolve => {
              const got = {};
              const take = data => { got[data.from] = data.bound; if (Object.keys(got).length === 2) resolve(got); };
              addEventListener('message', event => take(event.data));
              new Worker('/worker.js').onmessage = event => take(event.data);
            });
            </script>
            <iframe src="http://site-b.test/frame.html"></iframe>
            """),
        "http://site-b.test/frame.html": .init("text/html", "<script>parent.postMessage({from: 'iframe', bound: typeof hookRan}, '*')</script>"),
        "http://site-a.test/worker.js": .init("text/javascript", "postMessage({from: 'worker', bound: typeof hookRan})"),
    ]

    @Test func crossSiteIframeAndWorkerAreSetUpBeforeTheyRun() async throws {
        try await TestBrowser.with(LaunchOptions(extraArguments: ["--site-per-process"])) { browser in
            let seen = Mutex<[String]>([])
            browser.addTargetSetup { target in
                seen.withLock { $0.append("\(target.type) \(target.url)") }
                if target.type == "iframe" || target.type == "worker" {
                    // A binding exists from the first line of script only if this ran before the target
                    // resumed. Frames install bindings in new contexts only with Runtime enabled.
                    _ = try await target.session.send("Runtime.enable")
                    _ = try await target.session.send("Runtime.addBinding", ["name": "hookRan"])
                }
            }
            let server = try await InterceptedSite.serve(browser, Self.site)
            defer { server.cancel() }
            let page = try await browser.newPage()
            try await page.goto("http://site-a.test/")
            let results = try await page.evaluate("window.results")
            #expect(results == ["iframe": "function", "worker": "function"])
            let types = seen.withLock { $0 }
            // An OOPIF is attached before its navigation commits, so its URL is still empty here.
            #expect(types.contains { $0.hasPrefix("iframe") }, "the cross-site iframe got no session of its own: \(types)")
            #expect(types.contains("worker http://site-a.test/worker.js"), "\(types)")
            // The parent knows the OOPIF's frame id only from its <iframe> element.
            let element = try await page.session.send("Runtime.evaluate", ["expression": "document.querySelector('iframe')", "returnByValue": false])
            let objectId = try #require(element["result"]?["objectId"])
            let node = try await page.session.send("DOM.describeNode", ["objectId": objectId])
            let frameId = try #require(node["node"]?["frameId"]?.stringValue)
            let frameContexts = try await page.frameContexts(forFrame: frameId, timeout: .seconds(10))
            let frameSession = frameContexts.session
            #expect(frameSession.id != page.session.id, "the OOPIF's frame id led to the page's own session, not the frame's target")
            #expect(try await frameSession.send("Runtime.evaluate", ["expression": "location.host", "returnByValue": true])["result"]?["value"] == "site-b.test")
        }
    }
}

@Suite("Tabs that answer only once resumed", .timeLimit(.minutes(1)))
struct NoopenerPopupTests {
    static let site: [String: InterceptedSite.Resource] = [
        "http://site-a.test/": .init("text/html", "<a id=open href='/popup.html' target=_blank>open</a>"),
        "http://site-a.test/popup.html": .init("text/html", "<script>window.sawHook = typeof hookRan</script><p>popup</p>"),
    ]

    /// A `target=_blank` tab has no renderer while it waits for the debugger, so its `Page.enable`
    /// answers only after the resume: the setup must not wait for it (it used to, for a minute).
    @Test func aTargetBlankTabIsResumedWithItsHooksAppliedBeforeItsFirstScript() async throws {
        try await TestBrowser.with { browser in
            browser.addTargetSetup { target in
                _ = try await target.session.send("Page.addScriptToEvaluateOnNewDocument", ["source": "window.hookRan = true"])
            }
            let server = try await InterceptedSite.serve(browser, Self.site)
            defer { server.cancel() }
            let page = try await browser.newPage()
            try await page.goto("http://site-a.test/")
            let ready = browser.readyTargets()
            let started = ContinuousClock.now
            _ = try await page.evaluate("document.getElementById('open').click()", userGesture: true)
            var popup: AttachedTarget?
            for await target in ready where target.targetId != page.targetId && target.type == "page" {
                popup = target
                break
            }
            let tab = try #require(popup)
            // The old setup waited for Page.enable until its 60 s timeout; a loaded machine needs a few seconds.
            #expect(ContinuousClock.now - started < .seconds(20))
            let popupPage = browser.page(for: tab)
            var saw: JSON = .null
            let deadline = ContinuousClock.now + .seconds(10)
            while saw == .null, ContinuousClock.now < deadline {
                saw = (try? await popupPage.evaluate("window.sawHook ?? null")) ?? .null
                if saw == .null { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(saw == "boolean", "the hook's script was not in place before the popup's own script")
        }
    }
}

@Suite("Commands of a target that goes away", .timeLimit(.minutes(1)))
struct DetachedSessionTests {
    @Test func aCommandStillWaitingWhenItsTargetClosesFailsAtOnce() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            let started = ContinuousClock.now
            async let pending = page.session.send(
                "Runtime.evaluate", ["expression": "new Promise(() => {})", "awaitPromise": true], timeout: .seconds(50))
            try await Task.sleep(for: .milliseconds(200))
            _ = try await browser.session.send("Target.closeTarget", ["targetId": .string(page.targetId)])
            do {
                _ = try await pending
                Issue.record("the command on the closed target succeeded")
            } catch let error as DevToolsError {
                guard case .targetClosed(let method, _) = error else {
                    Issue.record("expected targetClosed, got \(error)")
                    return
                }
                #expect(method == "Runtime.evaluate")
            }
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }
}
