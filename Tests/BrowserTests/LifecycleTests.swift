import Browser
import DevTools
import Foundation
import JSONCore
import Testing
import TestSupport

@Suite("Browser close and crash cleanup")
struct LifecycleTests {
    @Test func closeLeavesNoProcessAndNoProfile() async throws {
        let browser = try await TestBrowser.launch()
        let pid = try #require(browser.processIdentifier)
        let profile = try #require(browser.temporaryFolder)
        _ = try await browser.newPage()
        #expect(FileManager.default.fileExists(atPath: profile))
        await browser.close()
        #expect(ProcessTable.liveMembers(ofGroup: pid).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: profile))
        #expect(!BrowserRegistry.livePIDs.contains(pid))
    }

    @Test func killingTheBrowserFailsThePendingCommandWithinTwoSeconds() async throws {
        let browser = try await TestBrowser.launch()
        let pid = try #require(browser.processIdentifier)
        let profile = try #require(browser.temporaryFolder)
        let page = try await browser.newPage()
        let started = ContinuousClock.now
        let pending = Task { try await page.evaluate("new Promise(() => {})") }
        try await Task.sleep(for: .milliseconds(100))
        kill(pid, SIGKILL)
        let outcome = await pending.result
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(2))
        guard case .failure(let error) = outcome, case DevToolsError.disconnected = error else {
            Issue.record("expected DevToolsError.disconnected, got \(outcome)")
            await browser.close()
            return
        }
        await browser.close()
        #expect(await ProcessTable.waitUntil(.seconds(2)) { ProcessTable.liveMembers(ofGroup: pid).isEmpty })
        #expect(!FileManager.default.fileExists(atPath: profile))
    }

    @Test func chromiumQuitsWhenItsPipeCloses() async throws {
        // What happens when this process dies: the kernel closes our pipe ends.
        let browser = try await TestBrowser.launch()
        let pid = try #require(browser.processIdentifier)
        await browser.connection.close()
        let exited = await ProcessTable.waitUntil(.seconds(5)) { !ProcessTable.isAlive(pid) }
        #expect(exited, "Chromium still runs 5 s after its DevTools pipe closed")
        await browser.close()
        #expect(ProcessTable.liveMembers(ofGroup: pid).isEmpty)
    }

    @Test func aMissingExecutableNamesTheInstallCommand() throws {
        #expect {
            _ = try Browser.findExecutable(explicit: "/nonexistent/chromium")
        } throws: { error in
            let text = "\(error)"
            return text.contains("apt-get install -y chromium chromium-headless-shell") && text.contains("discover install-browser")
        }
    }
}
