import Testing
@testable import Wire

/// `WebSocketClient` against a loopback server that can misbehave on purpose.
@Suite struct WebSocketClientLoopbackTests {
    @Test func sendsAnUpgradeRequestWithoutOriginAndMasksEveryFrame() async throws {
        let server = try LoopbackWebSocketServer.start { peer in
            let frame = try peer.nextFrame()
            #expect(frame.masked)
            try peer.send(WebSocketFrame(opcode: .text, payload: frame.payload.reversed()))
        }
        let client = try await WebSocketClient.connect(url: server.url, timeout: .seconds(5))
        try await client.send(text: "abc")
        #expect(try await client.receive() == .text("cba"))
        let request = try await server.done.value
        #expect(request.target == "/devtools/browser/test")
        #expect(request.headers["Origin"] == nil)
        #expect(request.headers["Sec-WebSocket-Version"] == "13")
        #expect(request.headers["Host"] == "127.0.0.1:\(server.port)")
    }

    @Test func answersAPingInsideAFragmentedMessageWithAPong() async throws {
        let server = try LoopbackWebSocketServer.start { peer in
            try peer.send(WebSocketFrame(fin: false, opcode: .text, payload: Array("frag".utf8)))
            try peer.send(WebSocketFrame(opcode: .ping, payload: Array("are you there".utf8)))
            try peer.send(WebSocketFrame(opcode: .continuation, payload: Array("ments".utf8)))
            let pong = try peer.nextFrame()
            #expect(pong.opcode == .pong)
            #expect(pong.payload == Array("are you there".utf8))
        }
        let client = try await WebSocketClient.connect(url: server.url, timeout: .seconds(5))
        #expect(try await client.receive() == .text("fragments"))
        _ = try await server.done.value
    }

    @Test func usesAllThreeLengthEncodingsBothWays() async throws {
        let sizes = [5, 300, 70_000]
        let server = try LoopbackWebSocketServer.start { peer in
            for _ in sizes {
                let frame = try peer.nextFrame()
                try peer.send(WebSocketFrame(opcode: .binary, payload: frame.payload))
            }
        }
        let client = try await WebSocketClient.connect(url: server.url, timeout: .seconds(5))
        for size in sizes {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 * 31) }
            try await client.send(binary: payload)
            #expect(try await client.receive() == .binary(payload))
        }
        _ = try await server.done.value
    }

    @Test func answersTheServersCloseByEchoingItsCode() async throws {
        let server = try LoopbackWebSocketServer.start { peer in
            try peer.send(WebSocketFrame(opcode: .close, payload: WebSocketClose(code: 1001, reason: "going away").payload))
            let reply = try peer.nextFrame()
            #expect(reply.opcode == .close)
            #expect(try WebSocketClose(payload: reply.payload).code == 1001)
        }
        let client = try await WebSocketClient.connect(url: server.url, timeout: .seconds(5))
        await #expect(throws: WebSocketError.closed(code: 1001, reason: "going away")) { try await client.receive() }
        await #expect(throws: WebSocketError.closed(code: 1001, reason: "going away")) { try await client.receive() }
        _ = try await server.done.value
    }

    @Test func completesTheClosingHandshakeItStarts() async throws {
        let server = try LoopbackWebSocketServer.start { peer in
            let close = try peer.nextFrame()
            #expect(close.opcode == .close)
            #expect(try WebSocketClose(payload: close.payload) == WebSocketClose(code: 4000, reason: "bye"))
            try peer.send(WebSocketFrame(opcode: .close, payload: close.payload))
        }
        let client = try await WebSocketClient.connect(url: server.url, timeout: .seconds(5))
        await client.close(code: 4000, reason: "bye", timeout: .seconds(5))
        #expect(client.endReason == .closed(code: 4000, reason: "bye"))
        _ = try await server.done.value
    }

    /// Sends `frame` from the server and expects the client to refuse it with `error`, telling the
    /// server with close code `closeCode`.
    private func expectRefusal(of bytes: [UInt8], limit: Int = 256 << 20, error expected: WebSocketError, closeCode: UInt16) async throws {
        let server = try LoopbackWebSocketServer.start { peer in
            try peer.sendRaw(bytes)
            let close = try peer.nextFrame()
            #expect(close.opcode == .close)
            #expect(try WebSocketClose(payload: close.payload).code == closeCode)
        }
        let client = try await WebSocketClient.connect(url: server.url, maximumMessageSize: limit, timeout: .seconds(5))
        await #expect(throws: expected) { try await client.receive() }
        #expect(client.endReason == expected)
        _ = try await server.done.value
    }

    @Test func refusesAMaskedServerFrame() async throws {
        try await expectRefusal(
            of: WebSocketFrame(opcode: .text, payload: Array("hi".utf8)).encoded(maskingKey: 7),
            error: .protocolViolation("a server frame arrived masked"), closeCode: 1002)
    }

    @Test func refusesAFrameOverTheSizeLimit() async throws {
        try await expectRefusal(
            of: WebSocketFrame(opcode: .binary, payload: [UInt8](repeating: 1, count: 2000)).encoded(maskingKey: nil), limit: 1024,
            error: .messageTooLarge(size: 2000, limit: 1024), closeCode: 1009)
    }

    @Test func refusesInvalidUTF8InATextFrame() async throws {
        try await expectRefusal(
            of: WebSocketFrame(opcode: .text, payload: [0x7B, 0xC3, 0x28, 0x7D]).encoded(maskingKey: nil),
            error: .invalidUTF8("text message has an invalid byte 0xc3 at offset 1 of 4"), closeCode: 1007)
    }

    @Test func refusesACloseCodeReservedForLocalUse() async throws {
        try await expectRefusal(
            of: WebSocketFrame(opcode: .close, payload: [0x03, 0xED]).encoded(maskingKey: nil),
            error: .protocolViolation("close frame with status code 1005, which is not allowed on the wire"), closeCode: 1002)
    }

    @Test func reportsAConnectionDroppedWithoutACloseFrame() async throws {
        let server = try LoopbackWebSocketServer.start()
        let client = try await WebSocketClient.connect(url: server.url, timeout: .seconds(5))
        _ = try await server.done.value
        await #expect(throws: WebSocketError.connectionLost("\(server.url) closed the TCP connection without a close frame")) {
            try await client.receive()
        }
    }

    @Test func rejectsAWrongAcceptValue() async throws {
        let server = try LoopbackWebSocketServer.start(respond: { _ in
            Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: bm9wZQ==\r\n\r\n".utf8)
        })
        let error = try await #require(throws: WebSocketError.self) { try await WebSocketClient.connect(url: server.url, timeout: .seconds(5)) }
        #expect(error.description.hasPrefix("WebSocket handshake failed: Sec-WebSocket-Accept is \"bm9wZQ==\", expected \""))
        _ = try? await server.done.value
    }

    @Test func quotesTheServersRefusal() async throws {
        let body = "Rejected an incoming WebSocket connection from the http://evil origin."
        let server = try LoopbackWebSocketServer.start(respond: { _ in
            Array("HTTP/1.1 403 Forbidden\r\nContent-Length:\(body.utf8.count)\r\n\r\n\(body)".utf8)
        })
        await #expect(throws: WebSocketError.handshakeFailed("expected status 101 Switching Protocols, got 403 Forbidden: \(body)")) {
            try await WebSocketClient.connect(url: server.url, timeout: .seconds(5))
        }
        _ = try? await server.done.value
    }

    @Test func timesOutOnAServerThatNeverAnswers() async throws {
        let listener = try Socket.listen()
        defer { listener.close() }
        let url = "ws://127.0.0.1:\(listener.localPort)/"
        await #expect(throws: WebSocketError.handshakeFailed("no complete WebSocket handshake response from \(url) within 0.2 seconds")) {
            try await WebSocketClient.connect(url: url, timeout: .milliseconds(200))
        }
    }

    /// A query may carry a gateway's token: error messages show that there was one, never what it was.
    @Test func errorMessagesLeaveTheQueryOut() async throws {
        let listener = try Socket.listen()
        defer { listener.close() }
        let url = "ws://127.0.0.1:\(listener.localPort)/devtools/browser/x?token=tok-SECRET"
        await #expect(throws: WebSocketError.handshakeFailed(
            "no complete WebSocket handshake response from ws://127.0.0.1:\(listener.localPort)/devtools/browser/x?… within 0.2 seconds")
        ) {
            try await WebSocketClient.connect(url: url, timeout: .milliseconds(200))
        }
        await #expect(throws: HTTPError.timeout("no complete response to GET http://127.0.0.1:\(listener.localPort)/json/version?… within 0.2 seconds")) {
            try await HTTPClient.get(url: "http://127.0.0.1:\(listener.localPort)/json/version?token=tok-SECRET", timeout: .milliseconds(200))
        }
    }

    @Test func servesTheBlockingFastPathFromAReaderThread() async throws {
        let count = 200
        let server = try LoopbackWebSocketServer.start { peer in
            for _ in 0..<count { try peer.send(WebSocketFrame(opcode: .text, payload: try peer.nextFrame().payload)) }
        }
        let client = try WebSocketClient.connectBlocking(url: server.url, timeout: .seconds(5))
        let reader = onOwnThread {
            var replies: [String] = []
            for _ in 0..<count { replies.append(try client.readMessage().text ?? "") }
            return replies
        }
        for index in 0..<count { try client.sendText(Array("{\"id\":\(index)}".utf8)) }
        #expect(try await reader.value == (0..<count).map { "{\"id\":\($0)}" })
        _ = try await server.done.value
    }
}

@Suite struct WebSocketHandshakeTests {
    @Test func computesTheRFCAcceptValue() {
        #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func makesRandomSixteenByteKeys() {
        let key = WebSocketHandshake.randomKey()
        #expect(key.count == 24 && key.hasSuffix("=="))
        #expect(key != WebSocketHandshake.randomKey())
    }

    @Test func answersTheRFCExampleRequestAsAServer() throws {
        let request = try HTTP1.RequestHead.parse(Array("""
            GET /chat HTTP/1.1\r
            Host: server.example.com\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
            Origin: http://example.com\r
            Sec-WebSocket-Version: 13\r
            \r

            """.utf8))
        let response = try WebSocketHandshake.serverResponse(to: request)
        #expect(response.status == 101)
        #expect(response.headers["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        try WebSocketHandshake.validate(response: response, key: "dGhlIHNhbXBsZSBub25jZQ==")
    }

    @Test func refusesAnUpgradeRequestWithoutVersion13() throws {
        var request = WebSocketHandshake.clientRequest(host: "h", target: "/", key: WebSocketHandshake.randomKey())
        request.headers.set("Sec-WebSocket-Version", "8")
        #expect(throws: WebSocketError.handshakeFailed("the request has Sec-WebSocket-Version \"8\", expected 13")) {
            try WebSocketHandshake.serverResponse(to: request)
        }
    }

    @Test func namesTheMissingHeaderOfABadResponse() {
        let key = WebSocketHandshake.randomKey()
        let response = HTTP1.ResponseHead(status: 101, reason: "Switching Protocols", headers: ["Upgrade": "websocket"])
        #expect(throws: WebSocketError.handshakeFailed("the 101 response has Connection (missing), expected Upgrade")) {
            try WebSocketHandshake.validate(response: response, key: key)
        }
    }
}
