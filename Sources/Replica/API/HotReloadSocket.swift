import Foundation
import JSONCore
import HTTPServer
import Wire

/// The dev server's hot-reload WebSocket (`/_next/webpack-hmr` under `npm run dev`): a `sync` on
/// connect, a rebuild notice (`building`, then `built` with a new hash) every interval, and a `pong`
/// for each client `ping` event. The only WebSocket the real app has.
struct HotReloadSocket: Sendable {
    let interval: Duration

    func response(for request: HTTPRequest) -> HTTPResponse {
        .webSocket { socket in
            let startHash = Self.hash(0)
            try? socket.send(text: JSON.object([
                "action": "sync", "hash": .string(startHash), "errors": [], "warnings": [],
                "versionInfo": ["installed": "15.5.2", "staleness": "fresh"],
            ]).serialized())
            // A child task, not `Task {}`: it then runs where the handler runs (the connection's thread),
            // so rebuild notices keep coming while the cooperative pool is busy.
            await withDiscardingTaskGroup { group in
                group.addTask {
                    var build = 1
                    while !Task.isCancelled, !socket.isClosed {
                        do { try await Task.sleep(for: interval) } catch { return }
                        do {
                            try socket.send(text: JSON.object(["action": "building"]).serialized())
                            try socket.send(text: JSON.object([
                                "action": "built", "hash": .string(Self.hash(build)), "errors": [], "warnings": [],
                            ]).serialized())
                        } catch { return }
                        build += 1
                    }
                }
                while let message = await socket.receive() {
                    let parsed = message.text.flatMap { try? JSON.parse($0) }
                    let reply: JSON = parsed?["event"]?.stringValue == "ping"
                        ? ["action": "pong", "page": parsed?["page"] ?? .null]
                        : ["action": "ack", "received": parsed ?? .string(message.text ?? "\(message.payload.count) bytes")]
                    try? socket.send(text: reply.serialized())
                }
                group.cancelAll()
            }
        }
    }

    /// A stable 20-hex-digit build hash per build number.
    static func hash(_ build: Int) -> String {
        let digest = SHA1.hash(Array("replica-build-\(build)".utf8))
        return digest.prefix(10).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
