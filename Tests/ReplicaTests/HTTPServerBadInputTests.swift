import Foundation
import Testing
import TestSupport
import HTTPServer
import Wire

/// Malformed, oversized and abandoned requests: each gets an answer or is dropped, and the server keeps
/// serving a second client.
@Suite("HTTPServer bad input")
struct HTTPServerBadInputTests {
    static func server(idleTimeout: Duration = .seconds(30), bodyLimit: Int = 1 << 20) throws -> HTTPServer {
        var configuration = HTTPServer.Configuration()
        configuration.idleTimeout = idleTimeout
        configuration.maximumBodyLength = bodyLimit
        return try HTTPServer.start(configuration: configuration) { request in .text("ok \(request.body.count)") }
    }

    static func expectStillServing(_ server: HTTPServer) async throws {
        let response = try await loopbackRequest(port: server.port, "GET", "/health")
        #expect(response.status == 200)
        #expect(response.text == "ok 0")
    }

    @Test func truncatedRequestLineGets400() async throws {
        let server = try Self.server()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        try await connection.send("GET /only-half")
        connection.socket.shutdownWrite()
        let response = try await connection.readResponse()
        #expect(response.status == 400)
        try await Self.expectStillServing(server)
        await server.stop()
    }

    @Test func garbageRequestLineGets400() async throws {
        let server = try Self.server()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        try await connection.send("\u{01}\u{02} nonsense\r\n\r\n")
        #expect(try await connection.readResponse().status == 400)
        let other = try await LoopbackHTTPConnection.open(port: server.port)
        try await other.send("GET / HTTP/9.9\r\n\r\n")
        #expect(try await other.readResponse().status == 505)
        try await Self.expectStillServing(server)
        await server.stop()
    }

    @Test func tenMegabyteHeaderGets431() async throws {
        let server = try Self.server()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        let huge = "GET / HTTP/1.1\r\nX-Big: " + String(repeating: "a", count: 10 << 20) + "\r\n\r\n"
        // The server answers and closes once the head passes 64 KiB, so the rest of the send may fail.
        try? await connection.send(huge)
        let response = try await connection.readResponse()
        #expect(response.status == 431)
        try await Self.expectStillServing(server)
        await server.stop()
    }

    @Test func bodyShorterThanContentLengthTimesOutWith408() async throws {
        let server = try Self.server(idleTimeout: .milliseconds(300))
        let connection = try await LoopbackHTTPConnection.open(
            port: server.port, sending: Array("POST /upload HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly twenty bytes...".utf8))
        try await Self.expectStillServing(server)
        #expect(try await connection.readResponse().status == 408)
        await server.stop()
    }

    @Test func clientLeavingMidUploadIsDropped() async throws {
        let server = try Self.server()
        do {
            let connection = try await LoopbackHTTPConnection.open(port: server.port)
            try await connection.send("POST /upload HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n" + String(repeating: "x", count: 50_000))
            connection.socket.shutdown()
        }
        try await Self.expectStillServing(server)
        let deadline = ContinuousClock.now + .seconds(20)
        while server.connectionCount > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(server.connectionCount == 0, "the abandoned upload's connection should be released")
        await server.stop()
    }

    @Test func oversizedBodyGets413() async throws {
        let server = try Self.server(bodyLimit: 1000)
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        try await connection.send("POST /upload HTTP/1.1\r\nContent-Length: 5000\r\n\r\n")
        #expect(try await connection.readResponse().status == 413)
        let chunked = try await LoopbackHTTPConnection.open(port: server.port)
        try await chunked.send("POST /upload HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + String(repeating: "y", count: 2048) + "\r\n")
        #expect(try await chunked.readResponse().status == 413)
        try await Self.expectStillServing(server)
        await server.stop()
    }

    @Test func conflictingOrInvalidLengthsGet400() async throws {
        let server = try Self.server()
        for head in [
            "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
            "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "GET / HTTP/1.1\r\n folded: header\r\n\r\n",
        ] {
            let connection = try await LoopbackHTTPConnection.open(port: server.port)
            try await connection.send(head)
            #expect(try await connection.readResponse().status == 400, "for \(head.debugDescription)")
        }
        try await Self.expectStillServing(server)
        await server.stop()
    }
}

@Suite("HTTP helpers")
struct HTTPHelperTests {
    @Test func multipartPartsWithFilesAndFields() throws {
        let body = Array("""
        preamble\r
        --XyZ\r
        Content-Disposition: form-data; name="files"; filename="a b.png"\r
        Content-Type: image/png\r
        \r
        \u{89}PNG--XyZ-not-a-boundary\r
        --XyZ\r
        Content-Disposition: form-data; name="datasetName"\r
        \r
        cats\r
        --XyZ--\r

        """.utf8)
        let parts = try MultipartFormData.parse(body: body, boundary: "XyZ")
        #expect(parts.count == 2)
        #expect(parts[0].name == "files")
        #expect(parts[0].filename == "a b.png")
        #expect(parts[0].contentType == "image/png")
        #expect(parts[0].text == "\u{89}PNG--XyZ-not-a-boundary")
        #expect(parts[1].name == "datasetName")
        #expect(parts[1].filename == nil)
        #expect(parts[1].text == "cats")
        #expect(MultipartFormData.boundary(contentType: "multipart/form-data; boundary=\"----WebKitFormBoundaryQ\"") == "----WebKitFormBoundaryQ")
        #expect(throws: MultipartFormData.ParseError.self) {
            try MultipartFormData.parse(body: Array("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ntrunc".utf8), boundary: "XyZ")
        }
    }

    @Test func byteRangesResolveLikeRFC9110() {
        #expect(ByteRange.resolve(nil, size: 10) == .whole)
        #expect(ByteRange.resolve("bytes=0-3", size: 10) == .partial(0...3))
        #expect(ByteRange.resolve("bytes=4-", size: 10) == .partial(4...9))
        #expect(ByteRange.resolve("bytes=-3", size: 10) == .partial(7...9))
        #expect(ByteRange.resolve("bytes=5-100", size: 10) == .partial(5...9))
        #expect(ByteRange.resolve("bytes=10-", size: 10) == .unsatisfiable)
        #expect(ByteRange.resolve("bytes=0-1,3-4", size: 10) == .whole)
        #expect(ByteRange.resolve("items=0-1", size: 10) == .whole)
    }
}
