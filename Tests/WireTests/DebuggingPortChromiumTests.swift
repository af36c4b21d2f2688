import Foundation
import Testing
import TestSupport

/// The shared test helper must never leave a Chromium process or profile behind.
@Suite struct DebuggingPortChromiumTests {
    @Test func closeEndsEveryProcessOfTheGroupAndRemovesTheProfile() async throws {
        let chromium = try await DebuggingPortChromium.launch()
        #expect(DebuggingPortChromium.liveProcessIDs(inGroup: chromium.processID).count >= 2, "browser plus helpers")
        #expect(FileManager.default.fileExists(atPath: chromium.activePortFile))
        await closeOffThePool(chromium)
        #expect(DebuggingPortChromium.liveProcessIDs(inGroup: chromium.processID).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: chromium.profileDirectory))
    }

    @Test func reportsAMissingExecutableWithTheInstallCommand() async {
        let error = await #expect(throws: DebuggingPortChromium.LaunchError.self) {
            try await DebuggingPortChromium.launch(executable: "/nonexistent/chromium")
        }
        #expect(error?.description.contains("apt-get install -y chromium chromium-headless-shell") == true)
    }
}
