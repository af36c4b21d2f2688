import Foundation
import Synchronization
import Testing
import TestSupport
import HTTPServer
import Wire

/// In a test process many suites run at once, and some park cooperative-pool threads (a synchronous test
/// that runs a program, a Chromium shutdown loop). The pool has one thread per core, so with every pool
/// thread parked the server must still answer: its handlers may not wait for a free pool thread.
@Suite("HTTPServer while the cooperative pool is blocked")
struct HTTPServerBlockedPoolTests {
    @Test func aRequestIsAnsweredWhileEveryPoolThreadIsParked() async throws {
        let server = try HTTPServer.start { request in
            await Suspensions.hopAround()
            return .text("served \(request.path)")
        }
        let outcome = await PoolBlockade.whileParked {
            try Self.blockingGet(port: server.port, path: "/plain")
        }
        #expect(outcome.poolWasSaturated, "every pool thread was parked: no probe task could run meanwhile")
        #expect(try outcome.result.get().hasSuffix("served /plain"))
        await server.stop()
    }

    @Test func aStreamAndAWebSocketAreServedWhileEveryPoolThreadIsParked() async throws {
        let server = try HTTPServer.start { request in
            if request.path == "/ws" {
                return .webSocket { socket in
                    while let message = await socket.receive() { try? socket.send(text: "echo \(message.text ?? "")") }
                }
            }
            return .stream(contentType: "text/plain") { writer in
                for part in ["one", "two"] {
                    try writer.write(part)
                    await Suspensions.hopAround()
                }
            }
        }
        let outcome = await PoolBlockade.whileParked { () throws -> String in
            let streamed = try Self.blockingGet(port: server.port, path: "/stream")
            let client = try WebSocketClient.connectBlocking(url: "ws://127.0.0.1:\(server.port)/ws")
            defer { client.closeBlocking() }
            try client.sendText("hi")
            let echoed = try client.readMessage().text ?? ""
            return streamed + "|" + echoed
        }
        #expect(outcome.poolWasSaturated, "every pool thread was parked: no probe task could run meanwhile")
        let result = try outcome.result.get()
        #expect(result.contains("3\r\none\r\n3\r\ntwo\r\n0\r\n\r\n"), "the chunked stream: \(result)")
        #expect(result.hasSuffix("|echo hi"))
        await server.stop()
    }

    /// One GET with `Connection: close`, read to the end, all on the calling (non-pool) thread.
    static func blockingGet(port: UInt16, path: String, headers: [(String, String)] = []) throws -> String {
        let socket = try Socket.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
        defer { socket.close() }
        try socket.setReceiveTimeout(.seconds(10))
        let fields = headers.map { "\($0.0): \($0.1)\r\n" }.joined()
        try socket.write(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(fields)Connection: close\r\n\r\n".utf8))
        var received: [UInt8] = []
        while case let chunk = try socket.read(maxBytes: 65_536), !chunk.isEmpty { received += chunk }
        return String(decoding: received, as: UTF8.self)
    }
}

/// Suspensions that resume from elsewhere, as real handlers have. (A `Task.sleep` works too, but its
/// timer fires on a Dispatch thread that, with the pool parked, libdispatch adds only after about a second.)
enum Suspensions {
    actor Counter {
        var count = 0
        func increment() { count += 1 }
    }
    static let counter = Counter()

    static func hopAround() async {
        await counter.increment()
        await Task.yield()
        await withCheckedContinuation { continuation in Thread.detachNewThread { continuation.resume() } }
    }
}

/// Parks every cooperative-pool thread, runs a body on a plain thread meanwhile, then frees the pool.
enum PoolBlockade {
    /// Two blockades at once would each hold part of the pool and wait for the rest: one at a time.
    private static let oneAtATime = DispatchSemaphore(value: 1)

    struct Outcome<T: Sendable>: Sendable {
        /// A probe task enqueued once all blockers were running did not start before the body ended.
        var poolWasSaturated: Bool
        var result: Result<T, any Error>
    }

    static func whileParked<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async -> Outcome<T> {
        // Swift's cooperative pool on Linux is one thread per active core and does not grow when they block.
        let width = ProcessInfo.processInfo.activeProcessorCount
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                oneAtATime.wait()
                defer { oneAtATime.signal() }
                let started = DispatchSemaphore(value: 0)
                let release = DispatchSemaphore(value: 0)
                for _ in 0..<width {
                    Task.detached {
                        started.signal()
                        // Bounded, so a server that does starve fails the test instead of hanging the run.
                        _ = release.wait(timeout: .now() + 30)
                    }
                }
                var allParked = true
                for _ in 0..<width where started.wait(timeout: .now() + 30) == .timedOut { allParked = false }
                let probeRan = Atomic(false)
                Task.detached { probeRan.store(true, ordering: .sequentiallyConsistent) }
                let result = Result { try body() }
                let saturated = allParked && !probeRan.load(ordering: .sequentiallyConsistent)
                for _ in 0..<width { release.signal() }
                continuation.resume(returning: Outcome(poolWasSaturated: saturated, result: result))
            }
        }
    }
}
