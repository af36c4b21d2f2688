import Testing
import TestSupport
@testable import Wire
import JSONCore

/// `HTTPClient` against loopback peers that answer with fixed bytes, and against a real Chromium.
@Suite struct HTTPClientTests {
    /// Serves one connection: reads the request head, writes `response`, closes; returns the request.
    private func serveOnce(_ response: String) throws -> (port: UInt16, request: Task<HTTP1.RequestHead, any Error>) {
        let listener = try Socket.listen()
        let request = onOwnThread {
            defer { listener.close() }
            let peer = try listener.accept()
            defer { peer.close() }
            var received: [UInt8] = []
            while HTTP1.HeadLines.endOfHead(in: received) == nil { received += try peer.read(maxBytes: 4096) }
            try peer.write(Array(response.utf8))
            return try HTTP1.RequestHead.parse(received)
        }
        return (listener.localPort, request)
    }

    @Test func readsABodyByContentLengthAndSendsAHostHeader() async throws {
        let (port, request) = try serveOnce("HTTP/1.1 200 OK\r\nContent-Length:5\r\n\r\nhello and more")
        let response = try await HTTPClient.get(url: "http://127.0.0.1:\(port)/json/version", timeout: .seconds(5))
        #expect(response.status == 200)
        #expect(response.text == "hello")
        let head = try await request.value
        #expect(head.target == "/json/version")
        #expect(head.headers["host"] == "127.0.0.1:\(port)")
    }

    @Test func readsAChunkedBody() async throws {
        let (port, _) = try serveOnce("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
        #expect(try await HTTPClient.get(url: "http://127.0.0.1:\(port)/", timeout: .seconds(5)).text == "abcde")
    }

    @Test func readsABodyUntilTheConnectionCloses() async throws {
        let (port, _) = try serveOnce("HTTP/1.0 200 OK\r\n\r\nall of it")
        #expect(try await HTTPClient.get(url: "http://127.0.0.1:\(port)/", timeout: .seconds(5)).text == "all of it")
    }

    @Test func reportsABodyCutShort() async throws {
        let (port, _) = try serveOnce("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")
        await #expect(throws: HTTPError.incomplete("GET http://127.0.0.1:\(port)/: the connection closed after 5 of 10 body bytes")) {
            try await HTTPClient.get(url: "http://127.0.0.1:\(port)/", timeout: .seconds(5))
        }
    }

    @Test func timesOutOnASilentServer() async throws {
        let listener = try Socket.listen()
        defer { listener.close() }
        // The kernel completes the connection from the backlog; nobody ever answers.
        await #expect(throws: HTTPError.timeout("no complete response to GET http://127.0.0.1:\(listener.localPort)/ within 0.2 seconds")) {
            try await HTTPClient.get(url: "http://127.0.0.1:\(listener.localPort)/", timeout: .milliseconds(200))
        }
    }

    @Test func refusesSchemesOtherThanHTTPAndHTTPS() async {
        await #expect(throws: HTTPError.unsupportedURL("ftp://127.0.0.1/: only http:// and https:// are supported")) {
            try await HTTPClient.get(url: "ftp://127.0.0.1/", timeout: .seconds(1))
        }
    }

    @Test func readsChromiumsJSONVersion() async throws {
        try await withDebuggingPortChromium { chromium in
            let response = try await HTTPClient.get(url: chromium.httpURL + "/json/version", timeout: .seconds(30))
            #expect(response.status == 200)
            let version = try JSON.parse(bytes: response.body)
            #expect(version["webSocketDebuggerUrl"]?.stringValue == chromium.browserWebSocketURL)
            #expect(version["Browser"]?.stringValue?.contains("Chrome") == true)
        }
    }
}
