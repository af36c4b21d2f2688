import Foundation
import Synchronization
import Testing
import TestSupport
@testable import Wire

/// `HTTPClient` and `WebSocketClient` over TLS against a real TLS peer: stunnel on loopback, in front of
/// a plain server, with certificates the test makes with the openssl command.
@Suite struct TLSClientTests {
    /// Certificates, a plain server that answers every request with the request's own head, and stunnel
    /// in front of it with the server certificate for `names`.
    struct EchoBehindTLS {
        let certificates: TestCertificates
        let server: HeadEchoServer
        let terminator: TLSTerminator
        var port: UInt16 { terminator.port }

        static func start(names: [String] = ["DNS:localhost", "IP:127.0.0.1"]) async throws -> EchoBehindTLS {
            let certificates = try TestCertificates.make()
            let identity = try certificates.server("server", names: names)
            let server = try HeadEchoServer.start()
            let terminator = try await TLSTerminator.start(forwardingTo: server.port, identity: identity, folder: certificates.folder)
            return EchoBehindTLS(certificates: certificates, server: server, terminator: terminator)
        }

        func stop() {
            terminator.stop()
            server.stop()
            certificates.remove()
        }
    }

    @Test func verifiesTheServerAgainstTheGivenCAAndSendsTheHeadersAndQuery() async throws {
        let fixture = try await EchoBehindTLS.start()
        defer { fixture.stop() }
        let tls = TLSOptions(caFile: fixture.certificates.caFile)
        let response = try await HTTPClient.get(
            url: "https://localhost:\(fixture.port)/json/version?token=abc", headers: ["X-Gateway-Token": "s3cret"], tls: tls, timeout: .seconds(10))
        #expect(response.status == 200)
        let head = try HTTP1.RequestHead.parse(response.body)
        #expect(head.target == "/json/version?token=abc")
        #expect(head.headers["X-Gateway-Token"] == "s3cret")
        #expect(head.headers["Host"] == "localhost:\(fixture.port)")
        // An IP literal is checked against the certificate's IP addresses (no SNI for it).
        let byAddress = try await HTTPClient.get(url: "https://127.0.0.1:\(fixture.port)/", tls: tls, timeout: .seconds(10))
        #expect(byAddress.status == 200)
    }

    @Test func refusesACertificateTheSystemStoreDoesNotVouchFor() async throws {
        let fixture = try await EchoBehindTLS.start()
        defer { fixture.stop() }
        let error = await #expect(throws: TLSError.self) {
            try await HTTPClient.get(url: "https://localhost:\(fixture.port)/", timeout: .seconds(10))
        }
        #expect(error == .certificateNotVerified(server: "localhost:\(fixture.port)", reason: "unable to get local issuer certificate"))
        #expect(error?.description.contains("could not be verified: unable to get local issuer certificate") == true, "\(String(describing: error))")
        #expect(error?.description.contains("--ca-file") == true)
    }

    @Test func refusesACertificateSignedByAnotherCA() async throws {
        let fixture = try await EchoBehindTLS.start()
        defer { fixture.stop() }
        let error = await #expect(throws: TLSError.self) {
            try await HTTPClient.get(url: "https://localhost:\(fixture.port)/", tls: TLSOptions(caFile: fixture.certificates.otherCAFile), timeout: .seconds(10))
        }
        #expect(error == .certificateNotVerified(server: "localhost:\(fixture.port)", reason: "unable to get local issuer certificate"))
    }

    @Test func refusesACertificateIssuedForAnotherName() async throws {
        let fixture = try await EchoBehindTLS.start(names: ["DNS:elsewhere.example"])
        defer { fixture.stop() }
        let error = await #expect(throws: TLSError.self) {
            try await HTTPClient.get(url: "https://localhost:\(fixture.port)/", tls: TLSOptions(caFile: fixture.certificates.caFile), timeout: .seconds(10))
        }
        #expect(error == .nameMismatch(server: "localhost:\(fixture.port)", name: "localhost"))
        #expect(error?.description.contains("does not match the name localhost") == true, "\(String(describing: error))")
    }

    @Test func refusesACertificateThatDoesNotListTheAddress() async throws {
        let fixture = try await EchoBehindTLS.start(names: ["DNS:localhost"])
        defer { fixture.stop() }
        let error = await #expect(throws: TLSError.self) {
            try await HTTPClient.get(url: "https://127.0.0.1:\(fixture.port)/", tls: TLSOptions(caFile: fixture.certificates.caFile), timeout: .seconds(10))
        }
        #expect(error == .nameMismatch(server: "127.0.0.1:\(fixture.port)", name: "127.0.0.1"))
    }

    @Test func insecureConnectsToAServerItCannotVerify() async throws {
        let fixture = try await EchoBehindTLS.start(names: ["DNS:elsewhere.example"])
        defer { fixture.stop() }
        let response = try await HTTPClient.get(url: "https://localhost:\(fixture.port)/", tls: TLSOptions(verifiesPeer: false), timeout: .seconds(10))
        #expect(response.status == 200)
    }

    @Test func saysWhenTheServerDoesNotSpeakTLS() async throws {
        let server = try HeadEchoServer.start()
        defer { server.stop() }
        let error = await #expect(throws: TLSError.self) {
            try await HTTPClient.get(url: "https://127.0.0.1:\(server.port)/", timeout: .seconds(10))
        }
        #expect(error?.description.contains("did not answer in TLS") == true, "\(String(describing: error))")
    }

    @Test func saysWhenTheCAFileCannotBeRead() async throws {
        let fixture = try await EchoBehindTLS.start()
        defer { fixture.stop() }
        let missing = fixture.certificates.folder + "/no-such-ca.pem"
        let error = await #expect(throws: TLSError.self) {
            try await HTTPClient.get(url: "https://localhost:\(fixture.port)/", tls: TLSOptions(caFile: missing), timeout: .seconds(10))
        }
        guard case .unreadableCAFile(let path, _) = error else {
            Issue.record("expected unreadableCAFile, got \(String(describing: error))")
            return
        }
        #expect(path == missing)
    }

    // MARK: WebSocket over TLS

    /// A WebSocket peer behind stunnel that echoes every data frame until the client's close frame.
    static func echoingWebSocketBehindTLS(_ certificates: TestCertificates) async throws -> (LoopbackWebSocketServer, TLSTerminator) {
        let server = try LoopbackWebSocketServer.start { peer in
            while true {
                let frame = try peer.nextFrame()
                if frame.opcode == .close {
                    try peer.send(WebSocketFrame(opcode: .close, payload: frame.payload))
                    return
                }
                try peer.send(WebSocketFrame(opcode: frame.opcode, payload: frame.payload))
            }
        }
        let identity = try certificates.server("server", names: ["DNS:localhost"])
        let terminator = try await TLSTerminator.start(forwardingTo: server.port, identity: identity, folder: certificates.folder)
        return (server, terminator)
    }

    /// The DevTools transport's pattern: one thread reads while several others send, large and small
    /// messages at once, so OpenSSL calls from both sides interleave on one connection.
    @Test func readsOnOneThreadWhileOthersSendOverWSS() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let (server, terminator) = try await Self.echoingWebSocketBehindTLS(certificates)
        defer { terminator.stop() }
        let client = try await WebSocketClient.connect(
            url: "wss://localhost:\(terminator.port)/devtools/browser/test?token=abc", headers: ["X-Gateway-Token": "s3cret"],
            tls: TLSOptions(caFile: certificates.caFile), timeout: .seconds(10))
        let senders = 4
        let perSender = 150
        // Every 25th message is 300 KB: more than the socket buffers hold, so writes wait for room
        // while the reader drains the echoes.
        let reader = Task {
            try await BlockingWork.run(name: "reader") { () throws -> [String: Int] in
                var seen: [String: Int] = [:]
                for _ in 0..<(senders * perSender) {
                    let message = try client.readMessage()
                    guard let text = message.text else { throw TLSTestError("expected text, got \(message.opcode)") }
                    seen[String(text.prefix { $0 != "|" }), default: 0] += 1
                }
                return seen
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in 0..<senders {
                group.addTask {
                    try await BlockingWork.run(name: "sender \(sender)") {
                        for index in 0..<perSender {
                            let padding = index % 25 == 0 ? String(repeating: "x", count: 300_000) : ""
                            try client.sendText("\(sender)-\(index)|\(padding)")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let seen = try await reader.value
        #expect(seen.count == senders * perSender)
        #expect(seen.values.allSatisfy { $0 == 1 })
        await client.close()
        let request = try await server.done.value
        #expect(request.target == "/devtools/browser/test?token=abc")
        #expect(request.headers["X-Gateway-Token"] == "s3cret")
        #expect(request.headers["Host"] == "localhost:\(terminator.port)")
    }

    /// A reader waiting for bytes that never come must wake when the connection is ended from another thread.
    @Test func closingWakesAReaderWaitingInsideTLS() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let server = try LoopbackWebSocketServer.start { peer in
            // Reads the client's close frame and never answers it, then waits for the client to leave.
            _ = try? peer.nextFrame()
            _ = try? peer.nextFrame()
        }
        let identity = try certificates.server("server", names: ["DNS:localhost"])
        let terminator = try await TLSTerminator.start(forwardingTo: server.port, identity: identity, folder: certificates.folder)
        defer { terminator.stop() }
        let client = try await WebSocketClient.connect(
            url: "wss://localhost:\(terminator.port)/devtools/browser/test", tls: TLSOptions(caFile: certificates.caFile), timeout: .seconds(10))
        let started = Atomic(false)
        let reader = Task {
            try await BlockingWork.run(name: "reader") { () -> String in
                started.store(true, ordering: .releasing)
                do {
                    let message = try client.readMessage()
                    return "unexpected message \(message.opcode)"
                } catch {
                    return "\(error)"
                }
            }
        }
        while !started.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(100))  // into poll, inside the TLS read
        let closing = ContinuousClock.now
        try await BlockingWork.run(name: "close") { client.closeBlocking(timeout: .milliseconds(300)) }
        let outcome = try await reader.value
        let waited = ContinuousClock.now - closing
        #expect(outcome.hasPrefix("WebSocket closed with code 1000"), "\(outcome)")
        #expect(waited < .seconds(3), "the reader woke \(waited) after close")
        _ = try? await server.done.value
    }
}

/// A plain HTTP server on loopback that answers every request with its own request head as the body,
/// so a test sees exactly what arrived (target, Host, extra headers). Serves until `stop()`.
final class HeadEchoServer: Sendable {
    let port: UInt16
    private let listener: Socket

    private init(listener: Socket) {
        self.listener = listener
        self.port = listener.localPort
    }

    static func start() throws -> HeadEchoServer {
        let server = HeadEchoServer(listener: try Socket.listen())
        let listener = server.listener
        Thread.detachNewThread {
            while let connection = try? listener.accept() {
                Thread.detachNewThread { Self.answer(connection) }
            }
        }
        return server
    }

    private static func answer(_ connection: Socket) {
        defer { connection.close() }
        try? connection.setReceiveTimeout(.seconds(10))
        var received: [UInt8] = []
        while HTTP1.HeadLines.endOfHead(in: received) == nil {
            guard let bytes = try? connection.read(maxBytes: 4096), !bytes.isEmpty else { return }
            received += bytes
            // What any HTTP server does with bytes that are not a request line (a TLS ClientHello here).
            if let first = received.first, !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) {
                try? connection.write(Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
                return
            }
        }
        let head = received[..<HTTP1.HeadLines.endOfHead(in: received)!]
        try? connection.write(Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(head.count)\r\nConnection: close\r\n\r\n".utf8) + head)
    }

    /// Stops accepting (a shut-down listener wakes its blocked accept).
    func stop() {
        listener.shutdown()
    }
}
