import Foundation
import JSONCore
import Testing
import TestSupport
import Wire

/// Everything the replica decides from a request's head: the token before the body, a body limit per
/// route, and the names (`Host`, `Origin`) a request may use.
@Suite("Replica request gate")
struct ReplicaRequestGateTests {
    static func uploadHead(claiming length: Int, headers: String = "") -> [UInt8] {
        Array(("POST /api/datasets/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            + "Content-Length: \(length)\r\n\(headers)\r\n").utf8)
    }

    @Test func theTokenIsCheckedBeforeAnUploadBodyIsRead() async throws {
        let replica = try await TestReplica.start()
        // 256 MB claimed, 64 KiB sent: a replica that buffered the body first would still be waiting.
        let connection = try await LoopbackHTTPConnection.open(
            port: replica.port, timeout: .seconds(20), sending: Self.uploadHead(claiming: 256 << 20) + [UInt8](repeating: 0x2D, count: 65_536))
        let response = try await connection.readResponse()
        #expect(response.status == 401)
        #expect(response.json == ["error": "Unauthorized"])
        #expect(await connection.isClosedByPeer())
        #expect(try await replica.get("/api/auth").status == 200, "the replica keeps serving")
        await replica.stop()
    }

    /// The figure was 1.4 GB for six of these; refused before their bodies, they cost next to nothing.
    @Test func sixUnauthenticated256MegabyteUploadsLeaveMemoryFlat() async throws {
        let replica = try await TestReplica.start()
        let before = try ProcessMemory.residentBytes()
        let outcomes = try await withThrowingTaskGroup(of: (status: Int, pushed: Int).self) { group in
            for _ in 0..<6 {
                group.addTask { try await Self.pushUnauthorizedUpload(port: replica.port, claiming: 256 << 20) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let grown = try ProcessMemory.residentBytes() - before
        let pushed = outcomes.map { "\($0.pushed >> 20)" }.joined(separator: ", ")
        print("six unauthenticated 256 MB uploads (MiB pushed before the replica closed: \(pushed)): RSS \(before >> 20) MiB, then \(grown >> 20) MiB more")
        #expect(outcomes.map(\.status) == Array(repeating: 401, count: 6))
        #expect(grown < 128 << 20, "RSS grew by \(grown >> 20) MiB")
        #expect(try await replica.get("/api/auth").status == 200)
        await replica.stop()
    }

    /// Sends the head and 64 KiB, reads the answer, then pushes the rest of the claimed body the way a
    /// hostile client would, until the replica closes the connection.
    static func pushUnauthorizedUpload(port: UInt16, claiming length: Int) async throws -> (status: Int, pushed: Int) {
        let connection = try await LoopbackHTTPConnection.open(
            port: port, timeout: .seconds(20), sending: uploadHead(claiming: length) + [UInt8](repeating: 0x2D, count: 65_536))
        let status = try await connection.readResponse().status
        let pushed = try await onOwnThread {
            let megabyte = [UInt8](repeating: 0x2D, count: 1 << 20)
            var pushed = 65_536
            while pushed + megabyte.count <= length, (try? connection.socket.write(megabyte)) != nil { pushed += megabyte.count }
            return pushed
        }
        return (status, pushed)
    }

    @Test func jsonRoutesTakeSmallBodiesAndOnlyTheUploadRouteALargeOne() async throws {
        let replica = try await TestReplica.start { options in
            options.maximumRequestBodyLength = 10_000
            options.maximumUploadBodyLength = 1 << 20
        }
        let padded: JSON = ["id": .null, "name": "big", "gpu_ids": "0", "job_config": ["padding": .string(String(repeating: "p", count: 20_000))]]
        #expect(try await replica.post("/api/jobs", padded).status == 413)
        #expect(try await replica.post("/api/jobs", ["id": .null, "name": "small", "gpu_ids": "0", "job_config": [:]]).status == 200)
        let form = TestReplica.multipart(fields: [("datasetName", "cats")], files: [(field: "files", name: "a.png", type: "image/png", bytes: [UInt8](repeating: 1, count: 200_000))])
        let uploaded = try await replica.request("POST", "/api/datasets/upload", headers: [("Content-Type", form.contentType)], body: form.body)
        #expect(uploaded.status == 200)
        let tooBig = try await LoopbackHTTPConnection.open(port: replica.port, sending: Self.uploadHead(claiming: 2 << 20, headers: "Authorization: Bearer \(TestReplica.defaultPassword)\r\n"))
        #expect(try await tooBig.readResponse().status == 413)
        await replica.stop()
    }

    /// The real middleware exempts `/api/img/` and `/api/files/` for every method, so their write routes
    /// answer without the token; the replica keeps that (discovery reports it).
    @Test func theMiddlewaresPublicWriteRoutesStillWorkWithoutAToken() async throws {
        let replica = try await TestReplica.start()
        _ = try await ReplicaDatasetTests.upload(replica, dataset: "cats", files: [("a.png", ReplicaDatasetTests.png), ("b.png", ReplicaDatasetTests.png)])
        let folder = replica.dataRoot.appendingPathComponent("datasets/cats").path
        func anonymous(_ path: String, _ json: JSON) async throws -> LoopbackHTTPConnection.Response {
            try await loopbackRequest(port: replica.port, "POST", path, headers: [("Content-Type", "application/json")], body: Array(json.serialized().utf8))
        }
        #expect(try await anonymous("/api/img/caption", ["imgPath": .string(folder + "/a.png"), "caption": "no token"]).json == ["success": true])
        #expect(try String(contentsOfFile: folder + "/a.txt", encoding: .utf8) == "no token")
        #expect(try await anonymous("/api/img/delete", ["imgPath": .string(folder + "/a.png")]).json == ["success": true])
        #expect(!FileManager.default.fileExists(atPath: folder + "/a.png"))
        #expect(try await anonymous("/api/files/delete", ["filePath": .string(folder + "/b.png")]).json == ["success": true])
        #expect(!FileManager.default.fileExists(atPath: folder + "/b.png"))
        #expect(try await anonymous("/api/datasets/delete", ["name": "cats"]).status == 401, "other routes still need it")
        await replica.stop()
    }

    @Test func foreignHostNamesAreRefusedAndLoopbackNamesServed() async throws {
        // No password, the default: only the Host check stands between a rebinding page and the API.
        let replica = try await TestReplica.start(password: nil) { $0.allowedHosts = ["replica.example.internal"] }
        let port = replica.port
        func status(host: String, path: String = "/api/jobs") async throws -> Int {
            try await loopbackRequestWithoutDefaultHost(port: port, "GET \(path) HTTP/1.1\r\nHost: \(host)\r\n\r\n").status
        }
        for host in ["attacker.example:\(port)", "attacker.example", "127.0.0.1.attacker.example", "localhost.attacker.example:\(port)", "", "10.0.0.5:\(port)"] {
            #expect(try await status(host: host) == 403, "Host: \(host)")
            #expect(try await status(host: host, path: "/dashboard") == 403, "pages too, Host: \(host)")
        }
        for host in ["127.0.0.1:\(port)", "localhost:\(port)", "LOCALHOST", "[::1]:\(port)", "localhost.", "replica.example.internal", "Replica.Example.Internal:443"] {
            #expect(try await status(host: host) == 200, "Host: \(host)")
        }
        // Refused before the body: a rebinding page cannot make the replica buffer an upload either.
        let rebound = try await LoopbackHTTPConnection.open(port: port, timeout: .seconds(20), sending: Array(
            "POST /api/datasets/upload HTTP/1.1\r\nHost: attacker.example\r\nContent-Length: \(256 << 20)\r\n\r\n".utf8))
        #expect(try await rebound.readResponse().status == 403)
        await replica.stop()
    }

    /// A page on another site can post a form (or a `text/plain` fetch) to 127.0.0.1 without any rebinding;
    /// its `Origin` gives it away.
    @Test func requestsFromForeignOriginsAreRefused() async throws {
        let replica = try await TestReplica.start(password: nil)
        let body = Array(JSON.object(["name": "from elsewhere"]).serialized().utf8)
        func create(origin: String) async throws -> Int {
            try await loopbackRequest(port: replica.port, "POST", "/api/datasets/create", headers: [("Origin", origin), ("Content-Type", "text/plain")], body: body).status
        }
        #expect(try await create(origin: "https://attacker.example") == 403)
        #expect(try await create(origin: "null") == 403)
        #expect(!FileManager.default.fileExists(atPath: replica.dataRoot.appendingPathComponent("datasets/from_elsewhere").path))
        #expect(try await create(origin: "http://127.0.0.1:\(replica.port)") == 200)
        #expect(try await create(origin: "http://localhost:\(replica.port)") == 200)
        await replica.stop()
    }
}

extension ReplicaRequestGateTests {
    /// The hot-reload socket's messages are tiny; the server's general limit (256 MiB, for uploads) is not
    /// what a WebSocket message may buffer.
    @Test func aHotReloadMessageOverOneMebibyteClosesTheSocket() async throws {
        let replica = try await TestReplica.start(devMode: true)
        let socket = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(replica.port)/_next/webpack-hmr")
        #expect(try JSON.parse(try await socket.receive().text ?? "")["action"] == "sync")
        // The server answers the frame's header with a 1009 close and shuts the connection, often while
        // the 2 MiB are still being written: a broken pipe then is the same refusal, seen earlier.
        var closeCode: UInt16?
        var cutWhileSending = false
        // Rebuild notices keep coming every 100 ms while the socket is open, so this loop looks at the clock.
        let deadline = ContinuousClock.now + .seconds(20)
        do {
            try await socket.send(text: String(repeating: "x", count: 2 << 20))
            while ContinuousClock.now < deadline { _ = try await socket.receive() }
        } catch WebSocketError.closed(let code, _) {
            closeCode = code
        } catch {
            cutWhileSending = "\(error)".contains("Broken pipe") || "\(error)".contains("reset")
            #expect(cutWhileSending, "\(error)")
        }
        #expect(closeCode == 1009 || cutWhileSending, "closed as too big")
        await socket.close()
        await replica.stop()
    }
}

/// One request exactly as given (no Host added), on a fresh connection.
func loopbackRequestWithoutDefaultHost(port: UInt16, _ raw: String) async throws -> LoopbackHTTPConnection.Response {
    try await LoopbackHTTPConnection.open(port: port, sending: Array(raw.utf8)).readResponse()
}

enum ProcessMemory {
    struct Unreadable: Error {}

    /// VmRSS of this process, from /proc/self/status.
    static func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) else { throw Unreadable() }
        return kilobytes * 1024
    }
}
