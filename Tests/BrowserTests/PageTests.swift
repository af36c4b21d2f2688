import Browser
import DevTools
import Foundation
import JSONCore
import Testing
import TestSupport
import Wire

@Suite("Page", .timeLimit(.minutes(1)))
struct PageTests {
    static let html = "<!doctype html><title>t</title><body style='margin:0'><div id=tall style='height:3000px'>hello page</div></body>"
    static var dataURL: String { "data:text/html," + html.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    @Test func gotoWaitsForLoadThenContentAndURLReflectThePage() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            try await page.goto(Self.dataURL)
            #expect(try await page.evaluate("document.readyState") == "complete")
            let content = try await page.content()
            #expect(content.hasPrefix("<!DOCTYPE html>"))
            #expect(content.contains("hello page"))
            #expect(try await page.url() == Self.dataURL)
        }
    }

    @Test func gotoFollowsAScriptRedirectToTheDocumentThatLoads() async throws {
        try await TestBrowser.with { browser in
            let server = try await InterceptedSite.serve(browser, [
                "http://redirect.test/": .init("text/html", "<script>location.replace('/landing')</script>"),
                "http://redirect.test/landing": .init("text/html", "<p>landed</p>"),
            ])
            defer { server.cancel() }
            let page = try await browser.newPage()
            try await page.goto("http://redirect.test/", timeout: .seconds(10))
            #expect(try await page.url() == "http://redirect.test/landing")
            #expect(try await page.evaluate("document.readyState") == "complete")
        }
    }

    @Test func dialogsAreAcceptedByDefaultSoEvaluateDoesNotBlock() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            #expect(try await page.evaluate("alert('hi'); [confirm('sure?'), prompt('name?', 'dflt')]") == [true, "dflt"])
        }
    }

    @Test func dismissDialogsWhenAsked() async throws {
        try await TestBrowser.with(LaunchOptions(dialogs: .dismiss)) { browser in
            let page = try await browser.newPage()
            #expect(try await page.evaluate("[confirm('sure?'), prompt('name?', 'dflt')]") == [false, nil])
        }
    }

    @Test func evaluateCountsAsAUserGestureOnlyWhenAsked() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            #expect(try await page.evaluate("navigator.userActivation.isActive") == false)
            #expect(try await page.evaluate("navigator.userActivation.isActive", userGesture: true) == true)
        }
    }

    @Test func aFailedNavigationThrowsWithChromiumsReason() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            // A port that was just free: nothing listens there.
            let listener = try Socket.listen()
            let url = "http://127.0.0.1:\(listener.localPort)/"
            listener.close()
            await #expect {
                try await page.goto(url)
            } throws: { error in
                guard let error = error as? NavigationError else { return false }
                return error.reason.contains("ERR_CONNECTION_REFUSED") && error.url == url
            }
        }
    }

    @Test func screenshotsArePNGsAndFullPageIsTaller() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            try await page.goto(Self.dataURL)
            let viewport = try await page.screenshot()
            let full = try await page.screenshot(fullPage: true)
            #expect(Array(viewport.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            #expect(Self.pngHeight(full) >= 3000)
            #expect(Self.pngHeight(viewport) < 3000)
        }
    }

    @Test func closeRemovesTheTarget() async throws {
        try await TestBrowser.with { browser in
            let context = try await browser.newContext()
            let page = try await context.newPage()
            await page.close()
            let targets = try await browser.session.send("Target.getTargets")
            #expect(!(targets["targetInfos"]?.arrayValue ?? []).contains { $0["targetId"]?.stringValue == page.targetId })
            await context.close()
        }
    }

    /// The IHDR height, big-endian at bytes 20..<24.
    static func pngHeight(_ data: Data) -> Int {
        let bytes = Array(data.prefix(24))
        guard bytes.count == 24 else { return 0 }
        return bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
    }
}

@Suite("Popups", .timeLimit(.minutes(1)))
struct PopupTests {
    @Test func aPopupArrivesSetUpAndCanBeDriven() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            let arrivals = browser.readyTargets()
            _ = try await page.evaluate("window.open('about:blank#popup'); 0")
            var popup: AttachedTarget?
            for await target in arrivals where target.type == "page" && target.targetId != page.targetId {
                popup = target
                break
            }
            let opened = browser.page(for: try #require(popup))
            #expect(try await opened.evaluate("window.opener !== null") == true)
            #expect(browser.attachedTargets.contains { $0.targetId == opened.targetId })
        }
    }
}
