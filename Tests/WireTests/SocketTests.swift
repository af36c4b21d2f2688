import Foundation
import Glibc
import Testing
@testable import Wire

@Suite struct SocketTests {
    @Test func echoesBytesBothWaysOverLoopback() async throws {
        let listener = try Socket.listen()
        defer { listener.close() }
        #expect(listener.localPort != 0)
        let server = onOwnThread {
            let peer = try listener.accept()
            defer { peer.close() }
            var received: [UInt8] = []
            while received.count < 5 { received += try peer.read(maxBytes: 64) }
            try peer.write(received.reversed())
            return received
        }
        let client = try Socket.connect(host: "127.0.0.1", port: listener.localPort, timeout: .seconds(2))
        defer { client.close() }
        try client.write(Array("hello".utf8))
        var reply: [UInt8] = []
        while reply.count < 5 { reply += try client.read(maxBytes: 64) }
        #expect(String(decoding: reply, as: UTF8.self) == "olleh")
        #expect(try await server.value == Array("hello".utf8))
        #expect(try client.read(maxBytes: 64).isEmpty, "the server closed: end of stream")
    }

    @Test func resolvesLocalhostByName() throws {
        let listener = try Socket.listen()
        defer { listener.close() }
        let client = try Socket.connect(host: "localhost", port: listener.localPort, timeout: .seconds(2))
        client.close()
    }

    @Test func refusedConnectionNamesTheCallAndTheReason() throws {
        let listener = try Socket.listen()
        let port = listener.localPort
        listener.close()
        let error = try #require(throws: SocketError.self) {
            try Socket.connect(host: "127.0.0.1", port: port, timeout: .seconds(2))
        }
        #expect(error.operation == "connect")
        #expect(error.code == ECONNREFUSED)
        #expect(error.description.contains("Connection refused"))
        #expect(error.description.contains("127.0.0.1:\(port)"))
    }

    @Test func receiveTimeoutExpires() throws {
        let listener = try Socket.listen()
        defer { listener.close() }
        let client = try Socket.connect(host: "127.0.0.1", port: listener.localPort, timeout: .seconds(2))
        defer { client.close() }
        try client.setReceiveTimeout(.milliseconds(50))
        let error = try #require(throws: SocketError.self) { try client.read(maxBytes: 16) }
        #expect(error.isTimeout)
    }

    @Test func shutdownWakesABlockedReader() async throws {
        let listener = try Socket.listen()
        defer { listener.close() }
        let client = try Socket.connect(host: "127.0.0.1", port: listener.localPort, timeout: .seconds(2))
        defer { client.close() }
        let reader = onOwnThread { try client.read(maxBytes: 16) }
        try await Task.sleep(for: .milliseconds(20))
        client.shutdown()
        #expect(try await reader.value.isEmpty)
    }

    @Test func writingToAClosedPeerThrowsInsteadOfSignalling() throws {
        let listener = try Socket.listen()
        defer { listener.close() }
        let client = try Socket.connect(host: "127.0.0.1", port: listener.localPort, timeout: .seconds(2))
        defer { client.close() }
        try listener.accept().close()
        let chunk = [UInt8](repeating: 1, count: 1 << 16)
        let error = try #require(throws: SocketError.self) {
            for _ in 0..<1000 { try client.write(chunk) }
        }
        #expect(error.operation == "send")
    }
}
