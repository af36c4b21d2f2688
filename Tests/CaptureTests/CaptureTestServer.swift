import Foundation
import JSONCore
import HTTPServer
import Wire

/// A loopback server with every case the recorder must see: JSON with cookies, a 302 -> 302 -> 200
/// chain, a 500, SSE and NDJSON streams, an upload sink, a file download, a WebSocket echo, an iframe,
/// a dedicated worker, and the burst page.
enum CaptureTestServer {
    static let downloadBytes: [UInt8] = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ ($0 >> 8)) }

    /// 50 MB, the largest body the recorder promises to keep whole.
    static let bigBody: [UInt8] = {
        var block = [UInt8](repeating: 0, count: 1 << 16)
        var state: UInt32 = 0x1234_5678
        for index in block.indices {
            state = state &* 1_664_525 &+ 1_013_904_223
            block[index] = UInt8(truncatingIfNeeded: state >> 24)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(50 << 20)
        for round in 0..<(50 << 20) / block.count {
            block[round % block.count] &+= 1
            bytes += block
        }
        return bytes
    }()

    static func start() throws -> HTTPServer {
        try HTTPServer.start { request in await respond(request) }
    }

    static func respond(_ request: HTTPRequest) async -> HTTPResponse {
        switch request.path {
        case "/", "/index.html":
            return .html("<!doctype html><title>capture</title><body>capture test</body>")
        case "/api/json":
            var response = HTTPResponse.json(["ok": true, "from": .string(request.queryValue("from") ?? "page")])
            response.headers.add("Set-Cookie", "sid=server-session-1; Path=/; HttpOnly")
            return response
        case "/api/echo":
            return .json(["method": .string(request.method), "length": .integer(request.body.count)])
        case "/r1": return .redirect(to: "/r2", status: 302)
        case "/r2": return .redirect(to: "/api/json?from=redirect", status: 302)
        case "/api/boom": return .json(["error": "boom"], status: 500)
        case "/cached":
            var response = HTTPResponse.json(["cached": true])
            response.headers.add("Cache-Control", "public, max-age=600")
            return response
        case "/sse":
            return .stream(contentType: "text/event-stream") { writer in
                try writer.write(": hello\n\nevent: init\ndata: {\"gpu\":0}\n\n")
                for index in 0..<3 {
                    try await Task.sleep(for: .milliseconds(20))
                    try writer.write("event: sample\r\ndata: {\"step\":\(index)}\r\nid: \(index)\r\n\r\n")
                }
                try await keepOpen(writer)
            }
        case "/ndjson":
            return .stream(contentType: "application/x-ndjson") { writer in
                try writer.write("{\"n\":1}\n{\"n\"")
                try await Task.sleep(for: .milliseconds(20))
                try writer.write(":2}\n{\"n\":3}\n")
            }
        case "/api/attachment":
            // The query's `text` served back as a file: a download whose contents the page chose.
            var headers = HTTPHeaders()
            headers.add("Content-Type", "text/plain")
            headers.add("Content-Disposition", "attachment; filename=\"config.txt\"")
            return HTTPResponse(status: 200, headers: headers, bytes: Array((request.queryValue("text") ?? "").utf8))
        case "/file.bin":
            var headers = HTTPHeaders()
            headers.add("Content-Type", "application/octet-stream")
            headers.add("Content-Disposition", "attachment; filename=\"lora.safetensors\"")
            return HTTPResponse(status: 200, headers: headers, bytes: downloadBytes)
        case "/ws":
            return .webSocket { socket in
                while let message = await socket.receive() {
                    try? socket.send(message)
                }
            }
        case "/slow":
            // Answers after a while, so a request can be in flight when its page goes away.
            try? await Task.sleep(for: .seconds(2))
            return .json(["slow": true])
        case "/big.bin":
            let size = Int(request.queryValue("mb") ?? "50").map { $0 << 20 } ?? bigBody.count
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/octet-stream")]), bytes: Array(bigBody[..<size]))
        case "/events":
            return .stream(contentType: "text/event-stream") { writer in
                try writer.write("event: progress\ndata: {\"p\":1}\nid: 1\n\n")
                try await Task.sleep(for: .milliseconds(20))
                try writer.write("data: plain\n\n")
                try await keepOpen(writer)
            }
        case "/frame.html":
            return .html("<!doctype html><script>window.done = fetch('/api/json?from=iframe').then(r => r.json())</script>")
        case "/worker.js":
            return .text("fetch('/api/json?from=worker').then(r => r.json()).then(j => postMessage(j))", contentType: "text/javascript")
        default:
            return .status(404)
        }
    }

    /// Keeps a stream open (a comment every 100 ms) until the client goes away, at most 20 s.
    static func keepOpen(_ writer: HTTPStreamWriter) async throws {
        for _ in 0..<200 {
            try await Task.sleep(for: .milliseconds(100))
            try writer.write(": ping\n\n")
        }
    }

    /// A loopback port nothing listens on: bound, then closed.
    static func closedPort() throws -> UInt16 {
        let socket = try Socket.listen(host: "127.0.0.1", port: 0)
        let port = socket.localPort
        socket.close()
        return port
    }
}
