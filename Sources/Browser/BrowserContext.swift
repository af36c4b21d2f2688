import DevTools
import JSONCore

/// An isolated browser context (`Target.createBrowserContext`).
public final class BrowserContext: Sendable {
    public let id: String
    public let browser: Browser

    init(id: String, browser: Browser) {
        self.id = id
        self.browser = browser
    }

    public func newPage() async throws -> Page {
        try await browser.createPage(browserContextId: id)
    }

    /// Disposes the context and closes its pages.
    public func close() async {
        _ = try? await browser.session.send("Target.disposeBrowserContext", ["browserContextId": .string(id)])
    }
}
