import Foundation
import Synchronization
import HTTPServer
import Wire

/// A small app whose every request a step causes and waits for, so two runs record the same
/// exchanges in the same order. `legacy` and `broken` change it between runs.
final class ItemsApp: Sendable {
    final class State: Sendable {
        let legacy = Atomic(true)
        let broken = Atomic(false)
    }
    let server: HTTPServer
    private let state = State()
    var baseURL: String { "http://127.0.0.1:\(server.port)" }

    init() throws {
        let state = self.state
        server = try HTTPServer.start { request in
            let (legacy, broken) = (state.legacy.load(ordering: .relaxed), state.broken.load(ordering: .relaxed))
            let port = request.headers["Host"] ?? "?"
            switch request.path {
            case "/api/status": return .json(["ok": true])
            case "/api/legacy" where legacy: return .json(["version": 1])
            case "/api/items/7": return .json(["id": 7, "name": broken ? "eight" : "seven"])
            case "/files/report.txt":
                var headers = HTTPHeaders()
                headers.set("Content-Type", "text/plain")
                headers.set("Content-Disposition", #"attachment; filename="report.txt""#)
                return HTTPResponse(status: 200, headers: headers, bytes: Array("report from \(port)\n".utf8))
            case "/":
                return .html("""
                    <html><body><h1>Items</h1>
                    <button onclick="fetch('/api/items/7').then(r => r.json()).then(j => { document.getElementById('out').textContent = j.name })">Load</button>
                    <div id="out"></div>
                    <a href="/files/report.txt" download>Get report</a>
                    <script>fetch('/api/status')\(legacy ? "; fetch('/api/legacy')" : "")</script>
                    </body></html>
                    """)
            default: return HTTPResponse(status: 404, bytes: Array("not found".utf8))
            }
        }
    }

    func change(legacy: Bool, broken: Bool) {
        state.legacy.store(legacy, ordering: .relaxed)
        state.broken.store(broken, ordering: .relaxed)
    }
    func stop() async { await server.stop() }

    /// `items/01-items.flow.json` in `folder`: load the page, click, see the item, download the report.
    static func flows(in folder: URL) throws -> URL {
        let flows = folder.appendingPathComponent("items")
        try FileManager.default.createDirectory(at: flows, withIntermediateDirectories: true)
        try #"""
            {"name": "items", "steps": [
              {"goto": "/"},
              {"waitFor": {"response": "/api/status"}},
              {"click": {"role": "button", "name": "Load"}},
              {"waitFor": {"text": "seven"}, "timeout": 3000},
              {"download": {"text": "Get report"}}
            ]}
            """#.write(to: flows.appendingPathComponent("01-items.flow.json"), atomically: true, encoding: .utf8)
        return flows
    }
}

