import Foundation
import Testing
import TestSupport
import HTTPServer
import Wire

@Suite("HTTPServer WebSocket")
struct HTTPServerWebSocketTests {
    static let key = "dGhlIHNhbXBsZSBub25jZQ=="

    static func upgrade(_ connection: LoopbackHTTPConnection, path: String = "/ws") async throws -> (status: Int, headers: HTTPHeaders) {
        try await connection.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n")
        return try await connection.readHead()
    }

    static func nextFrame(_ connection: LoopbackHTTPConnection, _ parser: inout WebSocketFrameParser) async throws -> WebSocketFrame {
        while true {
            if let frame = try parser.nextFrame() { return frame }
            let bytes = try await connection.readSome()
            guard !bytes.isEmpty else { throw LoopbackHTTPConnection.ClientError.closed(awaiting: "a WebSocket frame", received: 0) }
            parser.append(bytes)
        }
    }

    static func echoServer() throws -> HTTPServer {
        try HTTPServer.start { request in
            guard request.path == "/ws" else { return .text("not here", status: 404) }
            return .webSocket { socket in
                try? socket.send(text: "hello from \(socket.request.path)")
                while let message = await socket.receive() {
                    try? socket.send(text: "echo: \(message.text ?? "\(message.payload.count) bytes")")
                }
            }
        }
    }

    @Test func upgradesAndExchangesAFrameEachWay() async throws {
        let server = try Self.echoServer()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        let head = try await Self.upgrade(connection)
        #expect(head.status == 101)
        #expect(head.headers["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(head.headers["Upgrade"] == "websocket")
        var parser = WebSocketFrameParser(masking: .forbidden)
        let greeting = try await Self.nextFrame(connection, &parser)
        #expect(greeting.opcode == .text)
        #expect(String(decoding: greeting.payload, as: UTF8.self) == "hello from /ws")

        let ping = WebSocketFrame(opcode: .ping, payload: Array("p".utf8)).encoded(maskingKey: 0x1234_5678)
        try await connection.send(ping + WebSocketFrame(opcode: .text, payload: Array("hi".utf8)).encoded(maskingKey: 0x0BAD_F00D))
        let pong = try await Self.nextFrame(connection, &parser)
        #expect(pong.opcode == .pong)
        #expect(pong.payload == Array("p".utf8))
        let echo = try await Self.nextFrame(connection, &parser)
        #expect(String(decoding: echo.payload, as: UTF8.self) == "echo: hi")

        try await connection.send(WebSocketFrame(opcode: .close, payload: WebSocketClose(code: 1000).payload).encoded(maskingKey: 7))
        let close = try await Self.nextFrame(connection, &parser)
        #expect(close.opcode == .close)
        #expect(try WebSocketClose(payload: close.payload).code == 1000)
        #expect(await connection.isClosedByPeer())
        await server.stop()
    }

    @Test func unmaskedClientFrameIsAProtocolError() async throws {
        let server = try Self.echoServer()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        #expect(try await Self.upgrade(connection).status == 101)
        var parser = WebSocketFrameParser(masking: .forbidden)
        _ = try await Self.nextFrame(connection, &parser)
        try await connection.send(WebSocketFrame(opcode: .text, payload: Array("x".utf8)).encoded(maskingKey: nil))
        let close = try await Self.nextFrame(connection, &parser)
        #expect(close.opcode == .close)
        #expect(try WebSocketClose(payload: close.payload).code == 1002)
        await server.stop()
    }

    @Test func plainRequestToAWebSocketEndpointIsRefused() async throws {
        let server = try Self.echoServer()
        let response = try await loopbackRequest(port: server.port, "GET", "/ws")
        #expect(response.status == 426)
        #expect(response.headers["Sec-WebSocket-Version"] == "13")
        await server.stop()
    }

    @Test func wireClientTalksToTheServerSide() async throws {
        let server = try Self.echoServer()
        let client = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(server.port)/ws")
        #expect(try await client.receive().text == "hello from /ws")
        try await client.send(binary: [1, 2, 3])
        #expect(try await client.receive().text == "echo: 3 bytes")
        let large = String(repeating: "x", count: 200_000)
        try await client.send(text: large)
        #expect(try await client.receive().text == "echo: " + large)
        await client.close()
        await server.stop()
    }

    @Test func stopEndsAnOpenWebSocket() async throws {
        let server = try Self.echoServer()
        let connection = try await LoopbackHTTPConnection.open(port: server.port)
        #expect(try await Self.upgrade(connection).status == 101)
        await server.stop(timeout: .seconds(30))
        #expect(server.connectionCount == 0)
    }
}
