import Browser
import DevTools
import Foundation
import Glibc
import JSONCore

extension TestBrowser {
    /// Starts a command that never answers, kills the browser with SIGKILL 100 ms later, and returns how
    /// the command ended and how long after the kill. The waiting task runs on the reader thread, so the
    /// figure is the library's latency, not the wait for a free pool thread on a busy machine.
    public static func killDuringPendingCommand(_ browser: Browser, pid: pid_t) async throws -> (outcome: Result<JSON, any Error>, latency: Duration) {
        let page = try await browser.newPage()
        let pending = Task(executorPreference: browser.executor) { () async -> (Result<JSON, any Error>, ContinuousClock.Instant) in
            do {
                return (.success(try await page.evaluate("new Promise(() => {})")), .now)
            } catch {
                return (.failure(error), .now)
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        kill(pid, SIGKILL)
        let killedAt = ContinuousClock.now
        let (outcome, failedAt) = await pending.value
        return (outcome, failedAt - killedAt)
    }
}
