import Foundation
import JSONCore
import HTTPServer
import Wire

/// One loopback server for the whole test target: fixture pages under /pages/, a small JSON API,
/// an event stream, a WebSocket echo and a download.
enum FixtureServer {
    static let shared: HTTPServer = {
        do {
            return try HTTPServer.start(handler: handle)
        } catch {
            fatalError("the fixture server could not start: \(error)")
        }
    }()

    static var baseURL: String { shared.baseURL }

    @Sendable static func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let path = request.path
        if path.hasPrefix("/pages/") {
            let name = String(path.dropFirst("/pages/".count))
            // localhost is another origin than 127.0.0.1: an out-of-process iframe.
            if let html = FixturePages.all[name] { return .html(html.replacingOccurrences(of: "{{PORT}}", with: String(shared.port))) }
            if name.hasPrefix("jobs/") { return .html("<!doctype html><title>Job</title><h1>Job \(name.dropFirst(5))</h1>") }
            return .status(404)
        }
        switch (request.method, path) {
        case ("GET", "/api/items"):
            return .json(["items": [["id": 1, "name": "first"], ["id": 2, "name": "second"]], "total": 2])
        case ("POST", "/api/items"):
            let name = request.jsonBody?["name"]?.stringValue ?? "unnamed"
            return .json(["id": 42, "name": .string(name), "status": "created"], status: 201)
        case ("DELETE", "/api/items/42"):
            return .status(204)
        case ("GET", "/api/slow"):
            try? await Task.sleep(for: .milliseconds(300))
            return .json(["done": true])
        case ("GET", "/api/denied"):
            // A 401 whose body never ends: the page reads the status, then cancels the body.
            var headers = HTTPHeaders()
            headers.add("Content-Type", "application/json")
            return HTTPResponse(status: 401, headers: headers, body: .stream { writer in
                try writer.write("{\"error\":")
                try await Task.sleep(for: .seconds(5))
            })
        case ("GET", "/download/report.csv"):
            var headers = HTTPHeaders()
            headers.add("Content-Type", "text/csv")
            headers.add("Content-Disposition", "attachment; filename=\"report.csv\"")
            return HTTPResponse(status: 200, headers: headers, bytes: Array("a,b\n1,2\n".utf8))
        case ("GET", "/events"):
            return .stream(contentType: "text/event-stream") { writer in
                for index in 1...3 {
                    try writer.write("event: progress\ndata: {\"step\": \(index)}\n\n")
                    try await Task.sleep(for: .milliseconds(30))
                }
                try writer.write("data: finished\n\n")
                try await Task.sleep(for: .seconds(5))
            }
        case ("GET", "/ws"):
            return .webSocket { socket in
                for await message in socket.messages {
                    if let text = message.text { try? socket.send(text: "echo: \(text)") }
                }
            }
        default:
            return .status(404)
        }
    }
}
