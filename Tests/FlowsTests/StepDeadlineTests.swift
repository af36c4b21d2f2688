import Browser
import Flows
import Foundation
import JSONCore
import Testing
import Wire

/// A step ends within its timeout plus a small grace whatever it waits on. The bounds below are
/// generous (a shared two-core machine); what they rule out is the old behaviour of waiting for a
/// reply that can never come (60 s per command, 180–241 s per run).
@Suite("Step deadline in Chromium")
struct StepDeadlineTests {
    @Test("a script that never yields fails its step near the timeout, is stopped, and the page works afterwards")
    func runawayScriptIsStopped() async throws {
        try await TestBed.with { bed in
            let started = ContinuousClock.now
            let result = try await bed.run([["goto": "/pages/controls"], ["evaluate": "while (true) {}", "timeout": 1000]])
            let elapsed = ContinuousClock.now - started
            let failure = try #require(result.failures.first)
            #expect(failure.step == 2)
            #expect(failure.message.contains("did not finish within its timeout of 1.0 s"), "\(failure.message)")
            #expect(failure.message.contains("stopped (Runtime.terminateExecution)"), "\(failure.message)")
            #expect(failure.screenshot != nil, "the page answers again, so the evidence is taken")
            #expect(elapsed < .seconds(20), "took \(elapsed)")
            let after = try await bed.run([["evaluate": "document.title = 'alive'"], ["expect": ["expression": "document.title === 'alive'"]]])
            #expect(after.passed, "\(after.report)")
        }
    }

    @Test("a renderer crash fails the waiting step at once and says so, instead of waiting out its timeout")
    func rendererCrashIsReported() async throws {
        try await TestBed.with { bed in
            let page = bed.page
            let crasher = Task {
                try await Task.sleep(for: .seconds(2))
                _ = try? await page.session.send("Page.crash", timeout: .seconds(2))
            }
            let started = ContinuousClock.now
            let result = try await bed.run([["goto": "/pages/controls"], ["waitFor": ["text": "never shown"], "timeout": 60000]])
            let elapsed = ContinuousClock.now - started
            crasher.cancel()
            let failure = try #require(result.failures.first)
            #expect(failure.step == 2)
            #expect(failure.message.contains("renderer crashed"), "\(failure.message)")
            #expect(failure.cause == .browserGone, "the environment's failure: exit 3")
            #expect(failure.screenshot == nil, "a crashed page has nothing to show")
            #expect(elapsed < .seconds(30), "took \(elapsed), the step's timeout is 60 s")
        }
    }

    @Test("a goto to a server that accepts connections and never answers ends at the step's timeout, naming the cause")
    func silentServerNavigation() async throws {
        // Listening without ever accepting: the kernel completes the handshake, nobody answers.
        let silent = try Socket.listen()
        defer { silent.close() }
        try await TestBed.with { bed in
            let started = ContinuousClock.now
            let result = try await bed.run([["goto": .string("http://127.0.0.1:\(silent.localPort)/"), "timeout": 1500]])
            let elapsed = ContinuousClock.now - started
            let failure = try #require(result.failures.first)
            #expect(failure.message.contains("no answer within 1.5 s"), "\(failure.message)")
            #expect(elapsed < .seconds(20), "took \(elapsed); Page.navigate alone used to wait 30 s")
        }
    }
}
