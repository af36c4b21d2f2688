import Foundation
import Testing
import TestSupport
import HTTPServer

/// The admission check sees the head before any body byte is read: a refusal is answered at once, and
/// a per-request limit turns a long claimed body into 413 unread.
@Suite("HTTPServer admission before the body")
struct HTTPServerAdmissionTests {
    static func server() throws -> HTTPServer {
        var configuration = HTTPServer.Configuration()
        configuration.admission = { request in
            if request.headers["X-Let-Me-In"] == nil { return .refuse(.text("keep out", status: 401)) }
            return .accept(maximumBodyLength: request.path == "/small" ? 10 : 1 << 20)
        }
        return try HTTPServer.start(configuration: configuration) { request in
            .text("read \(request.body.count)")
        }
    }

    @Test func aRefusedRequestIsAnsweredBeforeItsBodyArrives() async throws {
        let server = try Self.server()
        // 256 MB claimed, 64 KiB sent: a server that read the body first would wait for the rest.
        let head = "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(256 << 20)\r\n\r\n"
        let connection = try await LoopbackHTTPConnection.open(port: server.port, timeout: .seconds(20),
                                                               sending: Array(head.utf8) + [UInt8](repeating: 0x61, count: 65_536))
        let response = try await connection.readResponse()
        #expect(response.status == 401)
        #expect(response.text == "keep out")
        #expect(response.headers["Connection"] == "close")
        #expect(await connection.isClosedByPeer())
        let admitted = try await loopbackRequest(port: server.port, "POST", "/upload", headers: [("X-Let-Me-In", "1")], body: Array("hello".utf8))
        #expect(admitted.text == "read 5")
        await server.stop()
    }

    @Test func theAdmittedLimitAppliesPerRequest() async throws {
        let server = try Self.server()
        let tooLong = try await loopbackRequest(port: server.port, "POST", "/small", headers: [("X-Let-Me-In", "1")], body: Array("eleven char".utf8))
        #expect(tooLong.status == 413)
        let chunked = try await LoopbackHTTPConnection.open(port: server.port)
        try? await chunked.send("POST /small HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Let-Me-In: 1\r\nTransfer-Encoding: chunked\r\n\r\nb\r\neleven char\r\n0\r\n\r\n")
        #expect(try await chunked.readResponse().status == 413)
        let fits = try await loopbackRequest(port: server.port, "POST", "/small", headers: [("X-Let-Me-In", "1")], body: Array("ten chars!".utf8))
        #expect(fits.text == "read 10")
        let elsewhere = try await loopbackRequest(port: server.port, "POST", "/large", headers: [("X-Let-Me-In", "1")], body: Array("eleven char".utf8))
        #expect(elsewhere.text == "read 11")
        await server.stop()
    }
}
