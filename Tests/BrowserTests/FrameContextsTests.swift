import Browser
import DevTools
import Foundation
import JSONCore
import Testing
import TestSupport

/// Frames and execution contexts followed in a real Chromium.
@Suite("Frame contexts in Chromium", .timeLimit(.minutes(1)))
struct FrameContextsTests {
    static let world = "frame-contexts-test"
    static let site: [String: InterceptedSite.Resource] = [
        "http://a.test/one": .init("text/html", "<h1>one</h1><iframe id=inner src=\"/inner\"></iframe>"),
        "http://a.test/inner": .init("text/html", "<p>inner</p>"),
        "http://a.test/two": .init("text/html", "<h1>two</h1>"),
    ]

    @Test("a navigation kills the world's context; the next document gets a new one that evaluates")
    func newDocumentNewWorld() async throws {
        try await Self.withPage(at: "http://a.test/one") { page in
            let first = try await page.isolatedContext(world: Self.world)
            #expect(try await Self.evaluate("document.querySelector('h1').textContent", in: first, page) == "one")
            #expect(try await page.isolatedContext(world: Self.world) == first, "a live world is reused, not made again")
            try await page.goto("http://a.test/two")
            #expect(!page.frameContexts.isAlive(first))
            let second = try await page.isolatedContext(world: Self.world)
            #expect(second != first)
            #expect(try await Self.evaluate("document.querySelector('h1').textContent", in: second, page) == "two")
        }
    }

    /// The browser answers commands in flight when a new document commits, before the renderer reports
    /// the old document's contexts gone: the failure can come first, the tracker hears of the death next.
    @Test("an evaluate in flight when its document goes fails, and the tracker then reports its context gone")
    func inFlightEvaluateAndTheDeath() async throws {
        try await Self.withPage(at: "http://a.test/one") { page in
            let context = try await page.isolatedContext(world: Self.world)
            // Never settles: the reply can only come from the document going away.
            let session = page.session
            let pending = Task {
                try await session.send("Runtime.evaluate", ["expression": "new Promise(() => {})", "contextId": .integer(context), "awaitPromise": true])
            }
            _ = try await page.session.send("Page.navigate", ["url": "http://a.test/two"])
            await #expect(throws: CDPError.self) { _ = try await pending.value }
            try await page.frameContexts.waitUntilGone(context, timeout: .seconds(10))
            let next = try await page.isolatedContext(world: Self.world)
            #expect(next != context)
            #expect(try await Self.evaluate("document.querySelector('h1').textContent", in: next, page) == "two")
        }
    }

    @Test("an iframe in the page's process has its own world; removing the iframe ends waits for it")
    func iframeWorld() async throws {
        try await Self.withPage(at: "http://a.test/one") { page in
            let frameId = try #require(try await page.session.send("Page.getFrameTree")["frameTree"]?["childFrames"]?[0]?["frame"]?["id"]?.stringValue)
            try await page.frameContexts.activate()
            #expect(page.frameContexts.knows(frame: frameId))
            let inner = try await page.isolatedContext(frame: frameId, world: Self.world)
            #expect(try await Self.evaluate("document.body.textContent", in: inner, page) == "inner")
            _ = try await page.evaluate("document.getElementById('inner').remove()")
            await #expect(throws: FrameContextError.self) { try await page.isolatedContext(frame: frameId, world: Self.world, timeout: .seconds(5)) }
            #expect(!page.frameContexts.isAlive(inner))
        }
    }

    static func withPage(at url: String, _ body: (Page) async throws -> Void) async throws {
        try await TestBrowser.with { browser in
            let server = try await InterceptedSite.serve(browser, Self.site)
            defer { server.cancel() }
            let page = try await browser.newPage()
            try await page.goto(url)
            try await body(page)
        }
    }

    static func evaluate(_ expression: String, in context: Int, _ page: Page) async throws -> JSON {
        try await page.session.send("Runtime.evaluate", ["expression": .string(expression), "contextId": .integer(context), "returnByValue": true])["result"]?["value"] ?? .null
    }
}
