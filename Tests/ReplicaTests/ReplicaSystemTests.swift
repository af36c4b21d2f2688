import Foundation
import JSONCore
import Replica
import Testing
import TestSupport
import Wire

@Suite("Replica system routes and UI versions")
struct ReplicaSystemTests {
    /// Reads SSE chunks until `count` events have arrived; returns (event, data) pairs.
    static func readEvents(_ connection: LoopbackHTTPConnection, count: Int) async throws -> [(event: String, data: JSON)] {
        var text = ""
        var events: [(String, JSON)] = []
        while events.count < count {
            guard let chunk = try await connection.readChunk() else { break }
            text += String(decoding: chunk, as: UTF8.self)
            while let end = text.range(of: "\n\n") {
                let block = text[..<end.lowerBound]
                text = String(text[end.upperBound...])
                var event = "message", data = ""
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data += line.dropFirst(6) }
                }
                events.append((event, try JSON.parse(data)))
            }
        }
        return events
    }

    @Test func monitorStreamsInitThenSamplesWithAFakeGPU() async throws {
        let replica = try await TestReplica.start()
        let connection = try await LoopbackHTTPConnection.open(port: replica.port)
        try await connection.send(LoopbackHTTPConnection.requestBytes("GET", "/api/monitor",
            headers: replica.authHeaders + [("Accept", "text/event-stream")]))
        let head = try await connection.readHead()
        #expect(head.status == 200)
        #expect(head.headers["Content-Type"] == "text/event-stream")
        #expect(head.headers["Transfer-Encoding"] == "chunked")
        let events = try await Self.readEvents(connection, count: 3)
        #expect(events.map(\.event) == ["init", "sample", "sample"])
        #expect(events[0].data["history"]?.arrayValue?.isEmpty == false)
        #expect(events[0].data["gpu"]?["hasNvidiaSmi"] == true)
        #expect(events[1].data["gpu"]?["gpus"]?[0]?["name"] == "NVIDIA GeForce RTX 4090")
        #expect(events[1].data["t"]?.intValue != nil)
        #expect(events[1].data["cpu"]?["cores"] != nil)
        let unauthorized = try await loopbackRequest(port: replica.port, "GET", "/api/monitor")
        #expect(unauthorized.status == 401)
        await replica.stop()
    }

    @Test func settingsDefaultUnderTheDataRootAndCanBeChanged() async throws {
        let replica = try await TestReplica.start()
        let defaults = try #require(try await replica.get("/api/settings").json)
        #expect(defaults["TRAINING_FOLDER"]?.stringValue == replica.dataRoot.appendingPathComponent("output").path)
        #expect(defaults["DATASETS_FOLDER"]?.stringValue == replica.dataRoot.appendingPathComponent("datasets").path)
        #expect(defaults["MODELS_PATH"] != nil)
        let elsewhere = replica.dataRoot.appendingPathComponent("other-datasets").path
        #expect(try await replica.post("/api/settings", ["HF_TOKEN": "hf_x", "TRAINING_FOLDER": "", "DATASETS_FOLDER": .string(elsewhere), "MODELS_PATH": ""]).json == ["success": true])
        let changed = try #require(try await replica.get("/api/settings").json)
        #expect(changed["DATASETS_FOLDER"]?.stringValue == elsewhere)
        #expect(changed["HF_TOKEN"] == "hf_x")
        _ = try await replica.post("/api/datasets/create", ["name": "moved"])
        #expect(FileManager.default.fileExists(atPath: elsewhere + "/moved"))
        await replica.stop()
    }

    @Test func gpuCpuCloudAndScripts() async throws {
        let replica = try await TestReplica.start()
        #expect(try await replica.get("/api/gpu").json?["gpus"]?.arrayValue?.count == 1)
        #expect(try await replica.get("/api/cpu").json?["cores"] != nil)
        #expect(try await replica.get("/api/ostris_cloud").json == ["enabled": false])
        let connection = try await LoopbackHTTPConnection.open(port: replica.port)
        let body = Array(JSON.object(["script": "test_script.py", "args": ["--count", "2"], "stream": true]).serialized().utf8)
        try await connection.send(LoopbackHTTPConnection.requestBytes("POST", "/api/scripts", headers: replica.authHeaders, body: body))
        let streamed = try await connection.readResponse()
        #expect(streamed.headers["Content-Type"] == "application/x-ndjson; charset=utf-8")
        let lines = try streamed.text.split(separator: "\n").map { try JSON.parse(String($0)) }
        #expect(lines.first?["type"] == "stdout")
        #expect(lines.last?["type"] == "exit")
        await replica.stop()
    }

    @Test func october2025HasNoMonitorAndOlderShapes() async throws {
        let replica = try await TestReplica.start(uiVersion: "2025-10")
        #expect(try await replica.get("/api/monitor").status == 404)
        #expect(try await replica.get("/api/gpu").json?["hasNvidiaSmi"] == true)
        _ = try await replica.post("/api/datasets/create", ["name": "cats"])
        let form = TestReplica.multipart(fields: [("datasetName", "cats")], files: [
            (field: "files", name: "a.png", type: "image/png", bytes: [1]), (field: "files", name: "b.png", type: "image/png", bytes: [2]),
        ])
        let upload = try await replica.request("POST", "/api/datasets/upload", headers: [("Content-Type", form.contentType)], body: form.body)
        #expect(upload.json?["files"] == ["a.png", "b.png"])
        let folder = replica.dataRoot.appendingPathComponent("datasets/cats").path
        // In readdir order at c9843692 (no sort yet).
        let images = try await replica.post("/api/datasets/listImages", ["datasetName": "cats"]).json?["images"]?.arrayValue ?? []
        #expect(Set(images) == [["img_path": .string(folder + "/a.png")], ["img_path": .string(folder + "/b.png")]])
        #expect(images.count == 2)
        let job = try await replica.post("/api/jobs", ["id": .null, "name": "old", "gpu_ids": "0", "job_config": ReplicaJobTests.config(name: "old", steps: 20)])
        let id = try #require(job.json?["id"]?.stringValue)
        #expect(try await replica.get("/api/jobs/\(id)/log").json == ["log": ""])
        _ = try await replica.get("/api/jobs/\(id)/start")
        _ = try await replica.get("/api/queue/0/start")
        _ = try await ReplicaJobTests.waitForJob(replica, id) { $0["status"] == "completed" }
        let log = try #require(try await replica.get("/api/jobs/\(id)/log?offset=5").json)
        #expect(log.objectValue?.keys.sorted() == ["log"], "the old /log has no offset or reset")
        #expect(log["log"]?.stringValue?.hasPrefix("Running 1 job") == true)
        let script = try await loopbackRequest(port: replica.port, "GET", "/static/app.js")
        #expect(script.text.contains(#"const UI_VERSION = "2025-10""#))
        await replica.stop()
    }

    @Test func unknownVersionIsRefused() async throws {
        var options = ReplicaOptions()
        options.uiVersion = "1999-01"
        await #expect(throws: ReplicaServer.OptionsError.self) { try await ReplicaServer.start(options) }
    }

    @Test func stopEndsOpenMonitorStreamsAndRemovesTheTemporaryDataRoot() async throws {
        let replica = try await TestReplica.start()
        let connection = try await LoopbackHTTPConnection.open(port: replica.port)
        try await connection.send(LoopbackHTTPConnection.requestBytes("GET", "/api/monitor", headers: replica.authHeaders))
        _ = try await connection.readHead()
        let root = replica.dataRoot
        #expect(FileManager.default.fileExists(atPath: root.path))
        await replica.stop()
        var closed = false
        for _ in 0..<100 where !closed { closed = await connection.isClosedByPeer() }
        #expect(closed, "the monitor stream should end when the replica stops")
        #expect(!FileManager.default.fileExists(atPath: root.path))
    }
}

@Suite("Replica bad input")
struct ReplicaBadInputTests {
    @Test func malformedBodiesGetTheRoutesErrorAnswers() async throws {
        let replica = try await TestReplica.start()
        let notJSON = try await replica.request("POST", "/api/jobs", headers: [("Content-Type", "application/json")], body: Array("{nope".utf8))
        #expect(notJSON.status == 500)
        #expect(notJSON.json == ["error": "Failed to save training data"])
        let truncated = Array("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n\r\nPNG".utf8)
        let upload = try await replica.request("POST", "/api/datasets/upload", headers: [("Content-Type", "multipart/form-data; boundary=b")], body: truncated)
        #expect(upload.status == 500)
        #expect(upload.json == ["error": "Error uploading files"])
        #expect(try await replica.post("/api/datasets/create", ["nome": "x"]).status == 500)
        #expect(try await replica.post("/api/datasets/listImages", ["datasetName": "../../etc"]).status == 404)
        await replica.stop()
    }

    @Test func aClientLeavingMidUploadLeavesTheReplicaServing() async throws {
        let replica = try await TestReplica.start()
        let form = TestReplica.multipart(fields: [("datasetName", "cats")], files: [(field: "files", name: "big.png", type: "image/png", bytes: Array(repeating: 1, count: 400_000))])
        do {
            let connection = try await LoopbackHTTPConnection.open(port: replica.port)
            var head = "POST /api/datasets/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(TestReplica.defaultPassword)\r\n"
            head += "Content-Type: \(form.contentType)\r\nContent-Length: \(form.body.count)\r\n\r\n"
            try await connection.send(Array(head.utf8) + Array(form.body.prefix(100_000)))
            connection.socket.shutdown()
        }
        #expect(try await replica.get("/api/datasets/list").status == 200)
        #expect(!FileManager.default.fileExists(atPath: replica.dataRoot.appendingPathComponent("datasets/cats/big.png").path))
        await replica.stop()
    }
}
