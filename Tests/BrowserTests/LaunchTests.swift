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
