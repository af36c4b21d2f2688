import Foundation
import Testing
import TestSupport
import Wire

@Suite("Replica under slowloris")
struct ReplicaSlowClientTests {
    /// The case: 600 slow connections against the default cap of 512 used to lock every other
    /// client out for as long as they were held.
    @Test func aRequestIsAnsweredWhileSixHundredSlowClientsHoldConnections() async throws {
        let replica = try await TestReplica.start()
        var slow: [LoopbackHTTPConnection] = []
        for index in 0..<600 {
            let partialHead = "GET /api/jobs?slow=\(index) HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Never-Ending: "
            slow.append(try await LoopbackHTTPConnection.open(port: replica.port, sending: Array(partialHead.utf8)))
        }
        let started = ContinuousClock.now
        let response = try await replica.get("/api/auth")
        print("answered in \(ContinuousClock.now - started) with 600 slow connections held")
        #expect(response.status == 200)
        #expect(response.json == ["isAuthenticated": true])
        withExtendedLifetime(slow) {}
        await replica.stop()
    }
}
