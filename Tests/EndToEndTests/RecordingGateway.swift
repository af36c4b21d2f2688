import Foundation
import Synchronization
import Wire

/// A stand-in for the authenticating gateway a remote browser sits behind: for each connection it reads
/// the request head, records it, refuses it (401) without the expected header and `token` query value,
/// and otherwise forwards the bytes both ways to Chromium's debugging port. Behind a `TLSTerminator`,
/// it shows what `discover` sent inside TLS.
final class RecordingGateway: Sendable {
    let port: UInt16
    private let listener: Socket
    private let heads = Mutex<[HTTP1.RequestHead]>([])
    private let open = Mutex<[Socket]>([])

    /// The request heads received, in order.
    var requests: [HTTP1.RequestHead] { heads.withLock { $0 } }

    private init(listener: Socket) {
        self.listener = listener
        port = listener.localPort
    }

    static func start(forwardingTo targetPort: UInt16, header: (name: String, value: String), token: String) throws -> RecordingGateway {
        let gateway = RecordingGateway(listener: try Socket.listen())
        Thread.detachNewThread {
            while let client = try? gateway.listener.accept() {
                Thread.detachNewThread { gateway.serve(client, targetPort: targetPort, header: header, token: token) }
            }
        }
        return gateway
    }

    private func serve(_ client: Socket, targetPort: UInt16, header: (name: String, value: String), token: String) {
        open.withLock { $0.append(client) }
        defer { client.close() }
        var received: [UInt8] = []
        while HTTP1.HeadLines.endOfHead(in: received) == nil {
            guard let bytes = try? client.read(maxBytes: 64 << 10), !bytes.isEmpty else { return }
            received += bytes
        }
        guard let head = try? HTTP1.RequestHead.parse(received[..<HTTP1.HeadLines.endOfHead(in: received)!]) else { return }
        heads.withLock { $0.append(head) }
        let query = head.query.map { $0.split(separator: "&").map(String.init) } ?? []
        guard head.headers[header.name] == header.value, query.contains("token=\(token)") else {
            try? client.write(Array("HTTP/1.1 401 Unauthorized\r\nContent-Length: 13\r\nConnection: close\r\n\r\nno credential".utf8))
            return
        }
        guard let browser = try? Socket.connect(host: "127.0.0.1", port: targetPort, timeout: .seconds(5)) else { return }
        open.withLock { $0.append(browser) }
        defer { browser.close() }
        guard (try? browser.write(received)) != nil else { return }
        let upstream = Thread { Self.pump(from: client, to: browser) }
        upstream.start()
        Self.pump(from: browser, to: client)
        // The browser is done: end the client's side too, which ends the other pump.
        client.shutdown()
        browser.shutdown()
        while !upstream.isFinished { usleep(1_000) }
    }

    private static func pump(from source: Socket, to sink: Socket) {
        while let bytes = try? source.read(maxBytes: 64 << 10), !bytes.isEmpty {
            guard (try? sink.write(bytes)) != nil else { break }
        }
        sink.shutdownWrite()
    }

    /// Stops accepting and ends every connection still open.
    func stop() {
        listener.shutdown()
        for socket in open.withLock({ $0 }) { socket.shutdown() }
    }
}
