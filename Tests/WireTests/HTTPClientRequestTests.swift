import JSONCore
import Testing
import TestSupport
@testable import Wire

/// `HTTPClient.request`: methods other than GET, with and without a JSON body, against a loopback peer
/// that reads exactly what the client sends.
@Suite struct HTTPClientRequestTests {
    /// Serves one connection: reads the head and a body of its Content-Length, answers `response`.
    private func serveOnce(_ response: String) throws -> (port: UInt16, request: Task<(HTTP1.RequestHead, [UInt8]), any Error>) {
        let listener = try Socket.listen()
        let request = onOwnThread {
            defer { listener.close() }
            let peer = try listener.accept()
            defer { peer.close() }
            var received: [UInt8] = []
            var end: Int?
            while end == nil {
                received += try peer.read(maxBytes: 4096)
                end = HTTP1.HeadLines.endOfHead(in: received)
            }
            let head = try HTTP1.RequestHead.parse(received[..<end!])
            let length = try head.headers.contentLength() ?? 0
            while received.count - end! < length { received += try peer.read(maxBytes: 4096) }
            try peer.write(Array(response.utf8))
            return (head, Array(received[end!...]))
        }
        return (listener.localPort, request)
    }

    @Test func postsAJSONBodyWithItsTypeAndLength() async throws {
        let (port, served) = try serveOnce("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"value\":1}")
        let sent: JSON = ["capabilities": ["alwaysMatch": ["browserName": "chrome"]], "note": "é \"quoted\""]
        let response = try await HTTPClient.request("POST", url: "http://127.0.0.1:\(port)/session", json: sent, timeout: .seconds(5))
        #expect(response.status == 200)
        #expect(try JSON.parse(bytes: response.body)["value"] == 1)
        let (head, body) = try await served.value
        #expect(head.method == "POST")
        #expect(head.target == "/session")
        #expect(head.headers["Content-Type"] == "application/json; charset=utf-8")
        #expect(try head.headers.contentLength() == body.count)
        #expect(try JSON.parse(bytes: body) == sent)
    }

    @Test func deletesWithoutABody() async throws {
        let (port, served) = try serveOnce("HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n{\"value\":null}")
        let response = try await HTTPClient.request("DELETE", url: "http://127.0.0.1:\(port)/session/abc", timeout: .seconds(5))
        #expect(response.text == "{\"value\":null}")
        let (head, body) = try await served.value
        #expect(head.method == "DELETE")
        #expect(head.target == "/session/abc")
        #expect(head.headers["Content-Length"] == nil)
        #expect(body.isEmpty)
    }

    @Test func aSilentServerTimesOutNamingTheMethod() async throws {
        let listener = try Socket.listen()
        defer { listener.close() }
        // The kernel completes the connection from the backlog; nobody ever answers.
        let started = ContinuousClock.now
        await #expect(throws: HTTPError.timeout("no complete response to DELETE http://127.0.0.1:\(listener.localPort)/session/x within 0.3 seconds")) {
            try await HTTPClient.request("DELETE", url: "http://127.0.0.1:\(listener.localPort)/session/x", timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }
}
