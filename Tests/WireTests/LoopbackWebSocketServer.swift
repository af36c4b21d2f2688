import Wire

/// One-connection WebSocket server on loopback, built on Wire's server-side codec, for the cases a real
/// peer cannot produce (masked server frames, bad UTF-8, oversized frames, wrong accept values).
/// `respond` answers the upgrade request; `script` then runs on the server's own thread.
struct LoopbackWebSocketServer {
    let port: UInt16
    let done: Task<HTTP1.RequestHead, any Error>

    var url: String { "ws://127.0.0.1:\(port)/devtools/browser/test" }

    /// The server end of an upgraded connection.
    final class Peer: @unchecked Sendable {
        let socket: Socket
        var parser = WebSocketFrameParser(masking: .required)

        init(socket: Socket, pending: [UInt8]) {
            self.socket = socket
            parser.append(pending)
        }

        func send(_ frame: WebSocketFrame, maskingKey: UInt32? = nil) throws {
            try socket.write(frame.encoded(maskingKey: maskingKey))
        }

        func sendRaw(_ bytes: [UInt8]) throws { try socket.write(bytes) }

        /// The next frame from the client (which must be masked).
        func nextFrame() throws -> WebSocketFrame {
            while true {
                if let frame = try parser.nextFrame() { return frame }
                let bytes = try socket.read(maxBytes: 64 << 10)
                if bytes.isEmpty { throw WebSocketError.connectionLost("client closed") }
                parser.append(bytes)
            }
        }
    }

    static func start(
        script: @escaping @Sendable (Peer) throws -> Void = { _ in },
        respond: @escaping @Sendable (HTTP1.RequestHead) throws -> [UInt8] = { try WebSocketHandshake.serverResponse(to: $0).serialized }
    ) throws -> LoopbackWebSocketServer {
        let listener = try Socket.listen()
        let done = onOwnThread {
            defer { listener.close() }
            let socket = try listener.accept()
            defer { socket.close() }
            var received: [UInt8] = []
            var end: Int?
            while end == nil {
                let bytes = try socket.read(maxBytes: 4096)
                if bytes.isEmpty { throw WebSocketError.connectionLost("client left during the handshake") }
                received += bytes
                end = HTTP1.HeadLines.endOfHead(in: received)
            }
            let request = try HTTP1.RequestHead.parse(received[..<end!])
            try socket.write(try respond(request))
            try script(Peer(socket: socket, pending: Array(received[end!...])))
            return request
        }
        return LoopbackWebSocketServer(port: listener.localPort, done: done)
    }
}
