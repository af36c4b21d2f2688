import Foundation
import Replica
import Testing
import TestSupport

@Suite("The replica's simulated network latency")
struct ReplicaLatencyTests {
    @Test("every answer comes at least the latency late: a handled request and a refused one alike")
    func answersAreLate() async throws {
        let replica = try await TestReplica.start { $0.latency = NetworkLatency(base: .milliseconds(400)) }
        for (target, headers, status) in [("/api/settings", replica.authHeaders, 200), ("/api/settings", [], 401)] {
            let started = ContinuousClock.now
            let response = try await loopbackRequest(port: replica.port, "GET", target, headers: headers)
            // A lower bound only: an answer cannot come before the delay, however loaded the machine.
            #expect(ContinuousClock.now - started >= .milliseconds(400), "\(status)")
            #expect(response.status == status)
        }
        await replica.stop()
    }

    @Test("MS or MS:JITTER in whole milliseconds; a jitter above the base or a base above a minute is refused")
    func parsing() {
        #expect(NetworkLatency(parsing: "300") == NetworkLatency(base: .milliseconds(300)))
        #expect(NetworkLatency(parsing: "300:150") == NetworkLatency(base: .milliseconds(300), jitter: .milliseconds(150)))
        #expect(NetworkLatency(parsing: "0")?.isNone == true)
        for bad in ["", "-1", "300:400", "300:", ":5", "1.5", "60001", "a:b", "1:2:3"] {
            #expect(NetworkLatency(parsing: bad) == nil, "\(bad)")
        }
    }
}
