import Browser
import Foundation
import JSONCore
import Testing
import TestSupport

@Suite("The viewport pages lay out at", .timeLimit(.minutes(1)))
struct ViewportTests {
    static let site: [String: InterceptedSite.Resource] = [
        "http://site-a.test/": .init("text/html", """
            <script>window.first = [innerWidth, innerHeight, screen.width]</script>
            <a id=open href='/popup.html' target=_blank>open</a>
            """),
        "http://site-a.test/popup.html": .init("text/html", "<script>window.first = [innerWidth, innerHeight, screen.width]</script><p>popup</p>"),
    ]

    @Test("every page and popup lays out at 1280x720 from its first script, not at headless Chromium's 800x600")
    func standardSizeFromTheFirstScript() async throws {
        try await TestBrowser.with { browser in
            let server = try await InterceptedSite.serve(browser, Self.site)
            defer { server.cancel() }
            let page = try await browser.newPage()
            try await page.goto("http://site-a.test/")
            #expect(try await page.evaluate("window.first") == [1280, 720, 1280])
            let ready = browser.readyTargets()
            _ = try await page.evaluate("document.getElementById('open').click()", userGesture: true)
            var popup: AttachedTarget?
            for await target in ready where target.targetId != page.targetId && target.type == "page" {
                popup = target
                break
            }
            let popupPage = browser.page(for: try #require(popup))
            var first: JSON = .null
            let deadline = ContinuousClock.now + .seconds(10)
            while first == .null, ContinuousClock.now < deadline {
                first = (try? await popupPage.evaluate("window.first ?? null")) ?? .null
                if first == .null { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(first == [1280, 720, 1280])
        }
    }

    @Test("a chosen size applies; none leaves the browser's own window")
    func chosenAndNone() async throws {
        var options = LaunchOptions()
        options.viewport = Viewport(width: 1024, height: 768)
        try await TestBrowser.with(options) { browser in
            let page = try await browser.newPage()
            #expect(try await page.evaluate("[innerWidth, innerHeight]") == [1024, 768])
        }
        options.viewport = nil
        try await TestBrowser.with(options) { browser in
            let page = try await browser.newPage()
            #expect(try await page.evaluate("[innerWidth, innerHeight]") == [800, 600])
        }
    }

    @Test("WxH is read as the command line writes it; nonsense is refused")
    func parsing() {
        #expect(Viewport(parsing: "1280x720") == Viewport(width: 1280, height: 720))
        #expect(Viewport(parsing: "800X600") == Viewport(width: 800, height: 600))
        #expect(Viewport(parsing: "1024×768") == Viewport(width: 1024, height: 768))
        for bad in ["1280", "x720", "1280x", "0x720", "-1x5", "1280x720x2", "99999x1", "wide"] {
            #expect(Viewport(parsing: bad) == nil, "\(bad)")
        }
    }
}
