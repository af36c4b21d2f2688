import Browser
import DevTools
import Foundation
import JSONCore
import Testing
import TestSupport

@Suite("Browser launch over the pipe", .timeLimit(.minutes(1)))
struct PipeLaunchTests {
    @Test func getVersionAnswers() async throws {
        try await TestBrowser.with { browser in
            let version = try await browser.version()
            #expect(version.product.contains("Chrome"))
            #expect(!version.protocolVersion.isEmpty)
        }
    }

    @Test func evaluateOnAPage() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            #expect(try await page.evaluate("1 + 1") == .integer(2))
            #expect(try await page.evaluate("Promise.resolve('done')") == .string("done"))
            await #expect(throws: JavaScriptError.self) { try await page.evaluate("throw new Error('boom')") }
        }
    }
}

@Suite("Headed mode", .timeLimit(.minutes(1)))
struct HeadedLaunchTests {
    @Test func headedPassesOverTheHeadlessShellAndRefusesItWhenNamed() throws {
        let found = try Browser.findExecutable(explicit: nil, headless: false)
        #expect(!found.contains("headless"), "\(found)")
        #expect(try Browser.findExecutable(explicit: nil, headless: true).contains("headless-shell"))
        #expect(throws: BrowserLaunchError.self) {
            try Browser.findExecutable(explicit: "/usr/lib/chromium/chromium-headless-shell", headless: false)
        }
    }

    @Test func headedWithoutADisplaySaysWhatToDoAndStartsNothing() async throws {
        var options = LaunchOptions(headless: false)
        options.environment = ["DISPLAY": "", "WAYLAND_DISPLAY": ""]
        do {
            let browser = try await Browser.launch(options)
            await browser.close()
            Issue.record("a headed browser launched without a display")
        } catch let error as BrowserLaunchError {
            #expect(error.message.contains("DISPLAY") && error.message.contains("xvfb-run"), "\(error.message)")
        }
    }

    @Test func headedShowsAWindowOnAVirtualDisplay() async throws {
        let display = try await VirtualDisplay.start()
        defer { display.stop() }
        var options = LaunchOptions(headless: false)
        options.environment = ["DISPLAY": display.name]
        try await TestBrowser.with(options) { browser in
            let page = try await browser.newPage()
            try await page.goto("data:text/html,<title>headed</title><p>shown</p>")
            let agent = try await page.evaluate("navigator.userAgent").stringValue ?? ""
            #expect(!agent.contains("Headless"), "\(agent)")
            #expect(try await page.evaluate("document.visibilityState") == "visible")
            let window = try await browser.session.send("Browser.getWindowForTarget", ["targetId": .string(page.targetId)])
            #expect((window["bounds"]?["width"]?.intValue ?? 0) > 0)
        }
    }
}
