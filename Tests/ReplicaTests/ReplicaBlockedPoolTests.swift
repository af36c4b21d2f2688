import Foundation
import JSONCore
import Testing
import TestSupport
import Wire

@Suite("Replica while the cooperative pool is blocked")
struct ReplicaBlockedPoolTests {
    @Test func apiAndHotReloadSocketAnswerWhileEveryPoolThreadIsParked() async throws {
        let replica = try await TestReplica.start(devMode: true)
        let headers = replica.authHeaders
        let outcome = await PoolBlockade.whileParked { () throws -> (jobs: String, actions: [String]) in
            let jobs = try HTTPServerBlockedPoolTests.blockingGet(port: replica.port, path: "/api/jobs", headers: headers)
            let socket = try WebSocketClient.connectBlocking(url: "ws://127.0.0.1:\(replica.port)/_next/webpack-hmr")
            defer { socket.closeBlocking() }
            var actions = [try JSON.parse(socket.readMessage().text ?? "")["action"]?.stringValue ?? "?"]
            try socket.sendText(#"{"event":"ping","page":"/dashboard"}"#)
            while actions.last != "pong" {
                actions.append(try JSON.parse(socket.readMessage().text ?? "")["action"]?.stringValue ?? "?")
            }
            return (jobs, actions)
        }
        #expect(outcome.poolWasSaturated, "every pool thread was parked: no probe task could run meanwhile")
        let result = try outcome.result.get()
        #expect(result.jobs.hasPrefix("HTTP/1.1 200 "))
        #expect(result.jobs.hasSuffix(#"{"jobs":[]}"#))
        #expect(result.actions.first == "sync")
        #expect(result.actions.last == "pong")
        await replica.stop()
    }
}
