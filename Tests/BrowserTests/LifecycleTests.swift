import Browser
import DevTools
import Foundation
import JSONCore
import Testing
import TestSupport

@Suite("Browser close and crash cleanup", .timeLimit(.minutes(1)))
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
        let (outcome, latency) = try await TestBrowser.killDuringPendingCommand(browser, pid: pid)
        #expect(latency < .seconds(2))
        #expect(await browser.connection.waitUntilClosed() == "the browser closed the connection")
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

    @Test func aBrowserThatDiesAtStartIsALaunchError() async throws {
        await #expect {
            _ = try await Browser.launch(LaunchOptions(executablePath: "/bin/false"))
        } throws: { error in
            (error as? BrowserLaunchError)?.message.contains("/bin/false did not start") == true
        }
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

@Suite("Concurrent close", .timeLimit(.minutes(1)))
struct ConcurrentCloseTests {
    @Test func everyConcurrentCloseReturnsOnlyOnceTheBrowserIsGone() async throws {
        let browser = try await TestBrowser.launch()
        let pid = try #require(browser.processIdentifier)
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    await browser.close()
                    return ProcessTable.liveMembers(ofGroup: pid).isEmpty
                }
            }
            for await gone in group { #expect(gone) }
        }
    }
}
