import Foundation
import Testing
import TestSupport
import HTTPServer

/// Slowloris: clients that dribble a head, or just hold connections, are dropped after a bounded time
/// and shed before they can lock good clients out.
@Suite("HTTPServer slow clients")
struct HTTPServerSlowClientTests {
    static func server(headTimeout: Duration = .seconds(10), maximumConnections: Int = 512) throws -> HTTPServer {
        var configuration = HTTPServer.Configuration()
        configuration.requestHeadTimeout = headTimeout
        configuration.maximumConnections = maximumConnections
        // Answers as `HTTPServerBadInputTests.server` does, so `expectStillServing` applies.
        return try HTTPServer.start(configuration: configuration) { request in .text("ok \(request.body.count)") }
    }

    /// A header line every 200 ms keeps the idle timeout from ever expiring; the head's deadline does not.
    @Test func aHeadDribbledByteByByteIsCutOffAtTheHeadDeadline() async throws {
        let server = try Self.server(headTimeout: .seconds(1))
        let connection = try await LoopbackHTTPConnection.open(port: server.port, timeout: .seconds(1), sending: Array("GET / HTTP/1.1\r\n".utf8))
        let started = ContinuousClock.now
        var answered: Int?
        dribbling: for line in 0..<100 {
            // Generous: ten times the deadline before calling it a hang.
            guard ContinuousClock.now - started < .seconds(10) else { break }
            do {
                try await connection.send("X-Slow-\(line): a\r\n")
            } catch {
                break dribbling  // the server closed its end
            }
            try await Task.sleep(for: .milliseconds(200))
            if let reply = try? await connection.readSome(), !reply.isEmpty {
                answered = Int(String(decoding: reply.prefix(12).dropFirst(9), as: UTF8.self))
                break
            }
        }
        #expect(answered == 408, "the dribbling client is answered 408 at the deadline")
        #expect(ContinuousClock.now - started < .seconds(10), "and dropped long before ten deadlines passed")
        #expect(await connection.isClosedByPeer())
        try await HTTPServerBadInputTests.expectStillServing(server)
        await server.stop()
    }

    /// After an error answer the server discards what the client still sends, so the answer is not lost
    /// to a reset; a client trickling bytes must not turn that into a thread held forever.
    @Test func aClientTricklingAfterAnErrorAnswerIsLetGo() async throws {
        let server = try Self.server()
        let connection = try await LoopbackHTTPConnection.open(port: server.port, sending: Array("\u{01} garbage\r\n\r\n".utf8))
        #expect(try await connection.readResponse().status == 400)
        let started = ContinuousClock.now
        var stillOpen = true
        // Generous: the server lets go after about two seconds.
        while stillOpen, ContinuousClock.now - started < .seconds(20) {
            try await Task.sleep(for: .milliseconds(100))
            stillOpen = (try? await connection.send("x")) != nil
        }
        #expect(!stillOpen, "the server closed the connection within 20 s of trickling")
        await server.stop()
    }

    /// Forty slow clients against a cap of sixteen: a good client still gets its answer.
    @Test func aGoodClientIsServedWhileSlowClientsFillEveryConnection() async throws {
        let server = try Self.server(headTimeout: .seconds(60), maximumConnections: 16)
        var slow: [LoopbackHTTPConnection] = []
        for index in 0..<40 {
            slow.append(try await LoopbackHTTPConnection.open(port: server.port, sending: Array("GET /slow-\(index) HTTP/1.1\r\nX-Half: ".utf8)))
        }
        for attempt in 0..<3 {
            let response = try await loopbackRequest(port: server.port, "POST", "/good-\(attempt)", body: [UInt8](repeating: 1, count: attempt))
            #expect(response.status == 200)
            #expect(response.text == "ok \(attempt)")
        }
        #expect(server.connectionCount <= 16 + 1, "shed connections are gone, not piling up: \(server.connectionCount)")
        withExtendedLifetime(slow) {}
        await server.stop()
    }

    /// Only waiting connections are shed: with every connection inside its handler, a newcomer gets 503.
    @Test func connectionsInsideTheirHandlerAreNeverShed() async throws {
        let release = AsyncGate()
        var configuration = HTTPServer.Configuration()
        configuration.maximumConnections = 2
        let server = try HTTPServer.start(configuration: configuration) { request in
            if request.path == "/hold" { await release.wait() }
            return .text("done \(request.path)")
        }
        let held = try await (0..<2).asyncMap { _ in
            try await LoopbackHTTPConnection.open(port: server.port, sending: LoopbackHTTPConnection.requestBytes("GET", "/hold"))
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while await release.waiting < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await release.waiting == 2, "both connections are inside their handler")
        let refused = try await loopbackRequest(port: server.port, "GET", "/late")
        #expect(refused.status == 503)
        await release.open()
        for connection in held { #expect(try await connection.readResponse().text == "done /hold") }
        await server.stop()
    }
}

/// Suspends waiters until opened.
actor AsyncGate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    var waiting: Int { waiters.count }

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
