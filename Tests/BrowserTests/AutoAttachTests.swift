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
            let element = try await page.session.send(CDP.Runtime.Evaluate(expression: "document.querySelector('iframe')", returnByValue: false))
            let node = try await page.session.send(CDP.DOM.DescribeNode(CDP.DOM.NodeReference(objectId: element.result.objectId)))
            let frameId = try #require(node.node.frameId)
            let frameSession = try #require(browser.session(forFrame: frameId), "no session for the OOPIF's frame id")
            #expect(try await frameSession.send("Runtime.evaluate", ["expression": "location.host", "returnByValue": true])["result"]?["value"] == "site-b.test")
        }
    }
}
