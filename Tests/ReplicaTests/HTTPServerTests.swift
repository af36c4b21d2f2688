import Foundation
import Synchronization
import Testing
import TestSupport
import HTTPServer
import Wire

@Suite("HTTPServer")
struct HTTPServerTests {
    static func echoServer(_ configure: (inout HTTPServer.Configuration) -> Void = { _ in }) throws -> HTTPServer {
        var configuration = HTTPServer.Configuration()
        configure(&configuration)
        return try HTTPServer.start(configuration: configuration) { request in
            var headers = HTTPHeaders()
            headers.add("X-Method", request.method)
            headers.add("X-Path", request.path)
            headers.add("X-Query", request.query.map { "\($0.name)=\($0.value)" }.joined(separator: ","))
            return HTTPResponse(status: 200, headers: headers, bytes: request.body.isEmpty ? Array("empty".utf8) : request.body)
        }
    }

    @Test func answersOnAChosenFreePortWithKeepAlive() async throws {
        let server = try Self.echoServer()
        #expect(server.port != 0)
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        let first = try await connection.request("GET", "/a%20b?x=1&y=two+words")
        #expect(first.status == 200)
        #expect(first.headers["X-Path"] == "/a b")
        #expect(first.headers["X-Query"] == "x=1,y=two words")
        #expect(first.headers["Connection"] == "keep-alive")
        let second = try await connection.request("POST", "/echo", body: Array("hello".utf8))
        #expect(second.text == "hello")
        #expect(second.headers["Content-Length"] == "5")
        await server.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try Self.echoServer()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        try await connection.send(LoopbackHTTPConnection.requestBytes("POST", "/1", body: Array("one".utf8))
            + LoopbackHTTPConnection.requestBytes("GET", "/2") + LoopbackHTTPConnection.requestBytes("POST", "/3", body: Array("three".utf8)))
        #expect(try await connection.readResponse().text == "one")
        #expect(try await connection.readResponse().headers["X-Path"] == "/2")
        #expect(try await connection.readResponse().text == "three")
        await server.stop()
    }

    @Test func http10ClientsGetConnectionClose() async throws {
        let server = try Self.echoServer()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        try await connection.send("GET /old HTTP/1.0\r\n\r\n")
        let response = try await connection.readResponse()
        #expect(response.headers["Connection"] == "close")
        #expect(await connection.isClosedByPeer())
        await server.stop()
    }

    @Test func headSendsHeadersWithoutBody() async throws {
        let server = try Self.echoServer()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        let head = try await connection.request("HEAD", "/x")
        #expect(head.status == 200)
        #expect(head.headers["Content-Length"] == "5")
        #expect(head.body.isEmpty)
        // The same connection still parses the next response, so no stray body bytes were sent.
        #expect(try await connection.request("GET", "/y").text == "empty")
        await server.stop()
    }

    @Test func readsChunkedRequestBodies() async throws {
        let server = try Self.echoServer()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        try await connection.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: 1\r\n\r\n")
        let response = try await connection.readResponse()
        #expect(response.text == "hello world")
        await server.stop()
    }

    @Test func answersExpectContinueBeforeTheBody() async throws {
        let server = try Self.echoServer()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        try await connection.send("POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
        let interim = try await connection.readExactly(25)
        #expect(String(decoding: interim, as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
        try await connection.send("abc")
        #expect(try await connection.readResponse().text == "abc")
        await server.stop()
    }

    @Test func streamsChunkedResponsesAsTheyAreWritten() async throws {
        let server = try HTTPServer.start { _ in
            .stream(contentType: "text/event-stream") { writer in
                for index in 0..<3 {
                    try writer.write("data: \(index)\n\n")
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
        }
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        try await connection.send(LoopbackHTTPConnection.requestBytes("GET", "/events"))
        let head = try await connection.readHead()
        #expect(head.status == 200)
        #expect(head.headers["Transfer-Encoding"] == "chunked")
        #expect(head.headers["Content-Type"] == "text/event-stream")
        var chunks: [String] = []
        while let chunk = try await connection.readChunk() { chunks.append(String(decoding: chunk, as: UTF8.self)) }
        #expect(chunks == ["data: 0\n\n", "data: 1\n\n", "data: 2\n\n"])
        // Keep-alive survives a finished stream.
        try await connection.send(LoopbackHTTPConnection.requestBytes("GET", "/again"))
        #expect(try await connection.readResponse().status == 200)
        await server.stop()
    }

    @Test func producerLearnsWhenTheClientLeaves() async throws {
        let sawClose = AsyncStream<Void>.makeStream()
        let server = try HTTPServer.start { _ in
            .stream(contentType: "text/plain") { writer in
                do {
                    while true {
                        try writer.write("tick\n")
                        try await Task.sleep(for: .milliseconds(5))
                    }
                } catch {
                    sawClose.continuation.yield()
                }
            }
        }
        do {
            let connection = try await LoopbackHTTPConnection.open(port: server.port)
            try await connection.send(LoopbackHTTPConnection.requestBytes("GET", "/"))
            _ = try await connection.readHead()
            _ = try await connection.readChunk()
            connection.socket.shutdown()
        }
        var iterator = sawClose.stream.makeAsyncIterator()
        await iterator.next()
        await server.stop()
    }

    @Test func aClientThatStopsReadingIsDroppedAfterTheSendTimeout() async throws {
        let gaveUp = AsyncStream<Int>.makeStream()
        var configuration = HTTPServer.Configuration()
        configuration.sendTimeout = .milliseconds(200)
        let server = try HTTPServer.start(configuration: configuration) { _ in
            .stream(contentType: "application/octet-stream") { writer in
                let block = [UInt8](repeating: 0x61, count: 65_536)
                var written = 0
                do {
                    while true {
                        try writer.write(block)
                        written += block.count
                    }
                } catch {
                    gaveUp.continuation.yield(written)
                }
            }
        }
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        try await connection.send(LoopbackHTTPConnection.requestBytes("GET", "/flood"))
        var iterator = gaveUp.stream.makeAsyncIterator()
        let written = await iterator.next() ?? 0
        #expect(written > 0)
        await server.stop()
    }

    @Test func servesSixConnectionsAtOnce() async throws {
        // Every handler waits until all six are in flight: only a server that runs them concurrently answers.
        let inFlight = Mutex(0)
        let server = try HTTPServer.start { request in
            inFlight.withLock { $0 += 1 }
            // Generous: six clients may take a while to get going on a loaded machine; a pass never waits it out.
            let deadline = ContinuousClock.now + .seconds(20)
            while inFlight.withLock({ $0 }) < 6, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(2))
            }
            return .text("\(request.path) saw \(inFlight.withLock { $0 })")
        }
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<6 {
                group.addTask {
                    // A receive timeout beyond the handlers' wait, so a slow start shows as "saw 5", not as EAGAIN.
                    let request = LoopbackHTTPConnection.requestBytes("GET", "/\(index)")
                    return try await LoopbackHTTPConnection.open(port: server.port, timeout: .seconds(30), sending: request).readResponse().text
                }
            }
            var answers: Set<String> = []
            for try await answer in group { answers.insert(answer) }
            #expect(answers == Set((0..<6).map { "/\($0) saw 6" }))
        }
        await server.stop()
    }
}
