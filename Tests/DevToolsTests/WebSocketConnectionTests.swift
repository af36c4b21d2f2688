import Browser
import DevTools
import Foundation
import JSONCore
import Testing
import TestSupport

@Suite("DevTools connection over WebSocket", .timeLimit(.minutes(1)))
struct WebSocketConnectionTests {
    @Test func launchOverWebSocketAnswersGetVersionAndEvaluates() async throws {
        try await TestBrowser.with(LaunchOptions(transport: .webSocket)) { browser in
            #expect(try await browser.version().product.contains("Chrome"))
            let page = try await browser.newPage()
            #expect(try await page.evaluate("6 * 7") == .integer(42))
        }
    }

    @Test func eventsArriveInOrder() async throws {
        try await ConnectionChecks.eventsArriveInOrder(.webSocket)
    }

    @Test func fiftyMegabyteResultArrivesWhole() async throws {
        try await ConnectionChecks.fiftyMegabyteResultArrivesWhole(.webSocket)
    }

    @Test func connectAcceptsWebSocketURLHTTPEndpointAndActivePortFile() async throws {
        try await TestBrowser.with(LaunchOptions(transport: .webSocket)) { owner in
            let profile = try #require(owner.temporaryFolder) + "/profile"
            let url = try DevToolsEndpoint.fromActivePortFile(profile + "/DevToolsActivePort")
            let port = try #require(URL(string: url)?.port)
            for endpoint in [url, "http://127.0.0.1:\(port)", profile + "/DevToolsActivePort", profile] {
                let attached = try await Browser.connect(to: endpoint)
                #expect(attached.processIdentifier == nil)
                let page = try await attached.newPage()
                #expect(try await page.evaluate("'attached via ' + 1") == "attached via 1", "\(endpoint)")
                await page.close()
                await attached.close()
            }
            // Disconnecting the attached clients left the browser running.
            #expect(try await owner.version().product.contains("Chrome"))
        }
    }

    @Test func killingTheBrowserFailsThePendingCommand() async throws {
        let browser = try await TestBrowser.launch(LaunchOptions(transport: .webSocket))
        let pid = try #require(browser.processIdentifier)
        let (outcome, latency) = try await TestBrowser.killDuringPendingCommand(browser, pid: pid)
        #expect(latency < .seconds(2))
        if case .failure(DevToolsError.disconnected) = outcome {} else { Issue.record("expected disconnected, got \(outcome)") }
        await browser.close()
        #expect(ProcessTable.liveMembers(ofGroup: pid).isEmpty)
    }

    @Test func aBadEndpointSaysWhatItExpected() async throws {
        await #expect {
            _ = try await Browser.connect(to: "/nonexistent/DevToolsActivePort")
        } throws: { error in
            "\(error)".contains("DevToolsActivePort")
        }
    }
}
