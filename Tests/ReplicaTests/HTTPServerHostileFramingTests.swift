import Foundation
import Testing
import TestSupport
import HTTPServer

/// Chunk sizes, lines and heads built to break the reader's arithmetic: each gets an error answer, and
/// the server (whose traps used to take the whole process down) keeps serving.
@Suite("HTTPServer hostile framing")
struct HTTPServerHostileFramingTests {
    static let chunkedHead = "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"

    @Test func negativeOverflowingOrNonHexChunkSizesGet400() async throws {
        let server = try HTTPServerBadInputTests.server()
        let sizes = ["-1", "-0", "+1", "0x10", "ffffffffffffffff", "7fffffffffffffff", "1 2", "g", String(repeating: "0", count: 20) + "1",
                     String(repeating: "1", count: 70_000)]
        for size in sizes {
            let connection = try await LoopbackHTTPConnection.open(port: server.port)
            try? await connection.send(Self.chunkedHead + size + "\r\nabc\r\n0\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 400, "for chunk size \(size.prefix(24).debugDescription)")
            #expect(await connection.isClosedByPeer(), "the connection ends after a bad chunk size")
        }
        try await HTTPServerBadInputTests.expectStillServing(server)
        await server.stop()
    }

    /// 20,000 one-byte chunks: over 64 KiB of chunk-size lines, read across many reads and buffer compactions.
    @Test func moreThan64KiBOfChunkSizeLinesIsReassembled() async throws {
        let server = try HTTPServerBadInputTests.server()
        let chunks = String(repeating: "1\r\nx\r\n", count: 20_000)
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        try await connection.send(Self.chunkedHead + chunks + "0\r\n\r\n")
        let response = try await connection.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "ok 20000")
        try await HTTPServerBadInputTests.expectStillServing(server)
        await server.stop()
    }

    @Test func moreThan64KiBOfTrailerLinesGets400() async throws {
        let server = try HTTPServerBadInputTests.server()
        let trailers = (0..<100).map { "X-Trailer-\($0): \(String(repeating: "t", count: 1000))\r\n" }.joined()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        try? await connection.send(Self.chunkedHead + "3\r\nabc\r\n0\r\n" + trailers + "\r\n")
        #expect(try await connection.readResponse().status == 400)
        try await HTTPServerBadInputTests.expectStillServing(server)
        await server.stop()
    }

    /// A trailer line that arrives in two reads after a 100 KB chunk: the second read compacts the buffer
    /// while the line is half scanned (this trapped the process).
    @Test func aTrailerLineSplitAcrossReadsAfterA100KBChunkIsDiscarded() async throws {
        let server = try HTTPServerBadInputTests.server()
        let data = String(repeating: "d", count: 100_000)
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        try await connection.send(Self.chunkedHead + String(data.utf8.count, radix: 16) + "\r\n" + data + "\r\n0\r\nX-Trailer: first half")
        // Not an assertion on time: only a pause so the rest comes in a read of its own.
        try await Task.sleep(for: .milliseconds(200))
        try await connection.send(", second half\r\n\r\n")
        let response = try await connection.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "ok 100000")
        await server.stop()
    }

    @Test func endlessEmptyLinesBeforeARequestGet400() async throws {
        let server = try HTTPServerBadInputTests.server()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        // Without a bound these were skipped and buffered forever, a megabyte at a time.
        try? await connection.send(String(repeating: "\r\n", count: 1 << 20))
        #expect(try await connection.readResponse().status == 400)
        let polite = try await LoopbackHTTPConnection.open(port: server.port)
        try await polite.send("\r\n\r\nGET /after-blank-lines HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try await polite.readResponse().status == 200)
        await server.stop()
    }

    @Test func hugeOrSignedContentLengthsGet400Or413() async throws {
        let server = try HTTPServerBadInputTests.server(bodyLimit: 1000)
        for (length, status) in [("-5", 400), ("+5", 400), ("99999999999999999999", 400), ("999999999999999999", 413), ("0x10", 400), ("1e3", 400)] {
            let connection = try await LoopbackHTTPConnection.open(port: server.port)
            try? await connection.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(length)\r\n\r\nabc")
            #expect(try await connection.readResponse().status == status, "for Content-Length \(length)")
        }
        try await HTTPServerBadInputTests.expectStillServing(server)
        await server.stop()
    }

    @Test func moreThan256HeaderFieldsGet431() async throws {
        let server = try HTTPServerBadInputTests.server()
        let fields = (0..<300).map { "X-\($0): v\r\n" }.joined()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        try? await connection.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\(fields)\r\n")
        #expect(try await connection.readResponse().status == 431)
        try await HTTPServerBadInputTests.expectStillServing(server)
        await server.stop()
    }
}
