import Foundation
import JSONCore
import Testing
import TestSupport
import Wire

@Suite("Replica auth and pages")
struct ReplicaAuthAndPagesTests {
    @Test func apiNeedsTheBearerTokenWithTheMiddlewareRule() async throws {
        let replica = try await TestReplica.start()
        let port = replica.port
        for headers in [[], [("Authorization", "Bearer wrong")], [("Authorization", "Bearer")]] as [[(String, String)]] {
            let denied = try await loopbackRequest(port: port, "GET", "/api/auth", headers: headers)
            #expect(denied.status == 401)
            #expect(denied.json == ["error": "Unauthorized"])
            #expect(denied.headers["Content-Type"]?.hasPrefix("application/json") == true)
        }
        let allowed = try await replica.get("/api/auth")
        #expect(allowed.status == 200)
        #expect(allowed.json == ["isAuthenticated": true])
        // The scheme is never checked: the token is the second word.
        let otherScheme = try await loopbackRequest(port: port, "GET", "/api/auth", headers: [("Authorization", "Token \(TestReplica.defaultPassword)")])
        #expect(otherScheme.status == 200)
        // Public prefixes: no 401 even for the POST routes under them.
        #expect(try await loopbackRequest(port: port, "GET", "/api/img/nowhere.png").status == 403)
        #expect(try await loopbackRequest(port: port, "GET", "/api/files/nowhere.safetensors").status == 403)
        #expect(try await loopbackRequest(port: port, "POST", "/api/img/delete", body: Array("{}".utf8)).status != 401)
        // Pages are never protected on the server.
        #expect(try await loopbackRequest(port: port, "GET", "/datasets").status == 200)
        await replica.stop()
    }

    @Test func authIsOffWithoutAPassword() async throws {
        let replica = try await TestReplica.start(password: nil)
        let response = try await loopbackRequest(port: replica.port, "GET", "/api/jobs")
        #expect(response.status == 200)
        #expect(response.json == ["jobs": []])
        await replica.stop()
    }

    @Test func rootRedirectsAndPagesServeTheShellAndAssets() async throws {
        let replica = try await TestReplica.start()
        let root = try await loopbackRequest(port: replica.port, "GET", "/")
        #expect(root.status == 307)
        #expect(root.headers["Location"] == "/dashboard")
        let page = try await loopbackRequest(port: replica.port, "GET", "/jobs/new")
        #expect(page.status == 200)
        #expect(page.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(page.text.contains("/static/app.js"))
        let script = try await loopbackRequest(port: replica.port, "GET", "/static/app.js")
        #expect(script.headers["Content-Type"]?.hasPrefix("application/javascript") == true)
        #expect(script.text.contains(#"const UI_VERSION = "2026-08""#))
        let head = try await loopbackRequest(port: replica.port, "HEAD", "/static/app.js")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(Int(head.headers["Content-Length"] ?? "") == script.body.count)
        await replica.stop()
    }

    @Test func unknownApiRoutesAre404AndWrongMethods405() async throws {
        let replica = try await TestReplica.start()
        #expect(try await replica.get("/api/nothing").status == 404)
        #expect(try await replica.get("/api/jobs/abc/explode").status == 404)
        #expect(try await replica.get("/api/datasets/create").status == 405)
        #expect(try await replica.post("/api/auth", [:]).status == 405)
        await replica.stop()
    }

    @Test func devModeServesTheHotReloadWebSocket() async throws {
        let replica = try await TestReplica.start(devMode: true)
        let socket = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(replica.port)/_next/webpack-hmr")
        func next() async throws -> JSON { try JSON.parse(try await socket.receive().text ?? "") }
        #expect(try await next()["action"] == "sync")
        try await socket.send(text: #"{"event":"ping","page":"/dashboard"}"#)
        var actions: [String] = []
        while !actions.contains("pong") || !actions.contains("built") {
            actions.append(try await next()["action"]?.stringValue ?? "?")
        }
        #expect(actions.contains("building"))
        await socket.close()
        await replica.stop()
    }

    @Test func withoutDevModeThereIsNoHotReloadSocket() async throws {
        let replica = try await TestReplica.start(devMode: false)
        let response = try await loopbackRequest(port: replica.port, "GET", "/_next/webpack-hmr")
        #expect(response.headers["Upgrade"] == nil)
        #expect(response.status == 404)
        await replica.stop()
    }
}
