import Foundation
import Replica
import Testing
import TestSupport

/// `discover doctor --base-url`, against the replica in each state a pod can be in.
@Suite(.serialized) struct PodPreflightTests {
    func doctor(_ replica: TestReplica, password: String?) async throws -> CommandLineTests.Outcome {
        try await CommandLineTests.discover(["doctor", "--base-url", replica.baseURL], environment: ["AI_TOOLKIT_PASSWORD": password ?? ""])
    }

    @Test("a ready pod behind a slow proxy: every check passes, the round trip is told, exit 0, no password printed")
    func readyPod() async throws {
        let replica = try await TestReplica.start(password: "pod-Secret-1") { $0.latency = NetworkLatency(base: .milliseconds(300)) }
        let outcome = try await doctor(replica, password: "pod-Secret-1")
        await replica.stop()
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        for line in ["ok      auth: on", "ok      password: AI_TOOLKIT_PASSWORD is accepted", "ok      GPU: 1 visible", "ok      UI version: 2026-08-14 or later", "ready for a run"] {
            #expect(outcome.stdout.contains(line), "\(line) in \(outcome.stdout)")
        }
        let round = outcome.stdout.components(separatedBy: "a request takes ").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }
        #expect((round ?? 0) >= 300, "\(outcome.stdout)")
        #expect(!outcome.stdout.contains("pod-Secret-1") && !outcome.stderr.contains("pod-Secret-1"))
    }

    @Test("auth off, a wrong password, no GPU: each is a problem that says what to do, and the exit is 3")
    func problems() async throws {
        let open = try await TestReplica.start(password: nil)
        let authOff = try await doctor(open, password: "anything")
        await open.stop()
        #expect(authOff.status == 3)
        #expect(authOff.stdout.contains("PROBLEM auth: off: the pod was started without AI_TOOLKIT_AUTH"), "\(authOff.stdout)")

        let guarded = try await TestReplica.start(password: "right")
        let wrong = try await doctor(guarded, password: "wrong")
        let missing = try await doctor(guarded, password: nil)
        await guarded.stop()
        #expect(wrong.status == 3)
        #expect(wrong.stdout.contains("PROBLEM password: the pod refuses AI_TOOLKIT_PASSWORD"), "\(wrong.stdout)")
        #expect(missing.stdout.contains("PROBLEM password: AI_TOOLKIT_PASSWORD is not set here"), "\(missing.stdout)")

        let gpuless = try await TestReplica.start(uiVersion: "2025-10") { $0.hasGPU = false }
        let noGPU = try await doctor(gpuless, password: TestReplica.defaultPassword)
        await gpuless.stop()
        #expect(noGPU.status == 3)
        #expect(noGPU.stdout.contains("PROBLEM GPU: none visible to the UI"), "\(noGPU.stdout)")
        #expect(noGPU.stdout.contains("UI version: older than 2026-08-14"), "\(noGPU.stdout)")
    }

    @Test("a pod that is not there is one problem, within the page-load limit")
    func unreachable() async throws {
        let outcome = try await CommandLineTests.discover(["doctor", "--base-url", "http://127.0.0.1:9"], environment: ["AI_TOOLKIT_PASSWORD": "x"])
        #expect(outcome.status == 3)
        #expect(outcome.stdout.contains("PROBLEM reachable: http://127.0.0.1:9 did not load"), "\(outcome.stdout)")
    }
}
