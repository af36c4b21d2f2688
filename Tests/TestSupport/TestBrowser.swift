import Browser
import Foundation

/// Launches the real Chromium for a test. A missing Chromium is a failure whose message says how to
/// install it, never a skip.
public enum TestBrowser {
    public static func launch(_ options: LaunchOptions = .init()) async throws -> Browser {
        do {
            _ = try Browser.findExecutable(explicit: options.executablePath, headless: options.headless)
        } catch {
            throw TestBrowserMissing(detail: "\(error)")
        }
        return try await Browser.launch(options)
    }

    /// Runs `body` with a launched browser and closes it on every path, including a thrown error.
    @discardableResult
    public static func with<T: Sendable>(
        _ options: LaunchOptions = .init(), _ body: (Browser) async throws -> T
    ) async throws -> T {
        let browser = try await launch(options)
        do {
            let value = try await body(browser)
            await browser.close()
            return value
        } catch {
            await browser.close()
            throw error
        }
    }
}

extension TestBrowser {
    /// Runs `body` with a new page in a new context of a launched browser, then `stop` (the server the
    /// page talks to), on every path, including a thrown error.
    public static func withPage(stopping stop: () async -> Void, _ body: (Page) async throws -> Void) async throws {
        do {
            try await with { browser in
                let context = try await browser.newContext()
                let page = try await context.newPage()
                try await body(page)
                await context.close()
            }
        } catch {
            await stop()
            throw error
        }
        await stop()
    }
}

public struct TestBrowserMissing: Error, CustomStringConvertible {
    public let detail: String
    public var description: String {
        "Chromium is required for this test. Install it: apt-get install -y chromium chromium-headless-shell (or `discover install-browser`).\n\(detail)"
    }
}
