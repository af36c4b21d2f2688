import Foundation
import JSONCore
import Testing
import TestSupport
import Wire

@Suite("Replica jobs, queue and trainer")
struct ReplicaJobTests {
    static func config(name: String, steps: Int = 100, saveEvery: Int = 25) -> JSON {
        ["job": "extension", "config": ["name": .string(name), "process": [[
            "type": "diffusion_trainer", "train": ["steps": .integer(steps)], "save": ["save_every": .integer(saveEvery)],
            "sample": ["sample_every": .integer(saveEvery), "samples": [["prompt": "a cat"]]],
            "model": ["name_or_path": "ostris/Flex.1-alpha"],
        ]]], "meta": ["name": "[name]", "version": "1.0"]]
    }

    static func createJob(_ replica: TestReplica, name: String, steps: Int = 100) async throws -> JSON {
        let response = try await replica.post("/api/jobs", ["id": .null, "name": .string(name), "gpu_ids": "0", "job_config": config(name: name, steps: steps)])
        #expect(response.status == 200)
        return try #require(response.json)
    }

    /// Polls `GET /api/jobs?id=` until `predicate` holds; fails with the last job seen.
    static func waitForJob(_ replica: TestReplica, _ id: String, timeout: Duration = .seconds(30), _ predicate: (JSON) -> Bool) async throws -> JSON {
        let deadline = ContinuousClock.now + timeout
        var last: JSON = .null
        while ContinuousClock.now < deadline {
            last = try await replica.get("/api/jobs?id=\(id)").json ?? .null
            if predicate(last) { return last }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("job \(id) did not reach the awaited state within \(timeout); last seen: \(last.serialized())")
        return last
    }

    @Test func createReturnsAStoppedJobAndADuplicateNameIs409() async throws {
        let replica = try await TestReplica.start()
        let job = try await Self.createJob(replica, name: "lora_a")
        #expect(job["status"] == "stopped")
        #expect(job["step"] == 0)
        #expect(job["job_type"] == "train")
        #expect(job["gpu_ids"] == "0")
        #expect(job["job_config"]?.stringValue.flatMap { try? JSON.parse($0) } == Self.config(name: "lora_a"))
        #expect(job["created_at"]?.stringValue?.hasSuffix("Z") == true)
        let duplicate = try await replica.post("/api/jobs", ["id": .null, "name": "lora_a", "gpu_ids": "0", "job_config": [:]])
        #expect(duplicate.status == 409)
        #expect(duplicate.json == ["error": "Job name already exists"])
        let second = try await Self.createJob(replica, name: "lora_b")
        let listed = try await replica.get("/api/jobs").json?["jobs"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(listed == ["lora_b", "lora_a"])
        let updated = try await replica.post("/api/jobs", ["id": second["id"]!, "name": "lora_c", "gpu_ids": "0", "job_config": [:]])
        #expect(updated.json?["name"] == "lora_c")
        #expect(updated.json?["id"] == second["id"])
        #expect(try await replica.get("/api/jobs?id=nope").json == .null)
        #expect(try await replica.get("/api/jobs?only_active=true").json == ["jobs": []])
        let missing = try await replica.get("/api/jobs/nope/start")
        #expect(missing.status == 404)
        #expect(missing.json == ["error": "Job not found"])
        await replica.stop()
    }

    @Test func startReturnsThePreviousJobQueuesItAndARunningQueueTrainsItToCompletion() async throws {
        let replica = try await TestReplica.start()
        let job = try await Self.createJob(replica, name: "my_first_lora_v1")
        let id = try #require(job["id"]?.stringValue)
        let started = try await replica.get("/api/jobs/\(id)/start")
        #expect(started.json?["status"] == "stopped", "start answers with the job as it was before")
        let queued = try await replica.get("/api/jobs?id=\(id)").json
        #expect(queued?["status"] == "queued")
        #expect(queued?["info"] == "Job queued")
        #expect(try await replica.get("/api/queue").json == ["queues": [["id": 1, "gpu_ids": "0", "is_running": false]]])
        #expect(try await replica.get("/api/jobs?only_active=true").json?["jobs"]?.arrayValue?.count == 1)
        // Nothing runs until the queue does.
        try await Task.sleep(for: .milliseconds(60))
        #expect(try await replica.get("/api/jobs?id=\(id)").json?["status"] == "queued")
        // queue/[queueID]/start/route.ts answers with the row as it was before it was set running.
        #expect(try await replica.get("/api/queue/0/start").json == ["id": 1, "gpu_ids": "0", "is_running": false])

        let done = try await Self.waitForJob(replica, id) { $0["status"] == "completed" }
        #expect(done["info"] == "Training completed")
        #expect(done["step"] == 100)
        #expect(done["total_steps"] == 100)

        let files = try #require(try await replica.get("/api/jobs/\(id)/files").json?["files"]?.arrayValue)
        let names = files.compactMap { $0["path"]?.stringValue.map { URL(fileURLWithPath: $0).lastPathComponent } }
        #expect(names == ["my_first_lora_v1.safetensors", "my_first_lora_v1_000000025.safetensors",
                          "my_first_lora_v1_000000050.safetensors", "my_first_lora_v1_000000075.safetensors"])
        for file in files {
            let path = try #require(file["path"]?.stringValue)
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(file["size"]?.intValue == bytes.count)
            try Self.expectValidSafetensors(bytes)
        }

        let log = try #require(try await replica.get("/api/jobs/\(id)/log").json)
        #expect(log["reset"] == true)
        let logText = try #require(log["log"]?.stringValue)
        #expect(logText.contains("Training completed"))
        let offset = try #require(log["offset"]?.intValue)
        #expect(offset == logText.utf8.count)
        #expect(try await replica.get("/api/jobs/\(id)/log?offset=\(offset)").json == ["log": "", "offset": .integer(offset), "reset": false])
        let tail = try await replica.get("/api/jobs/\(id)/log?offset=\(offset - 19)").json
        #expect(tail?["log"] == "Training completed\n")
        #expect(try await replica.get("/api/jobs/\(id)/log?offset=\(offset + 5)").json?["reset"] == true)

        let loss = try #require(try await replica.get("/api/jobs/\(id)/loss?key=loss&limit=3").json)
        #expect(loss["key"] == "loss")
        #expect(loss["keys"] == ["loss"])
        #expect(loss["points"]?.arrayValue?.count == 3)
        #expect(loss["points"]?[0]?["wall_time"]?.doubleValue != nil)
        let samples = try #require(try await replica.get("/api/jobs/\(id)/samples").json?["samples"]?.arrayValue)
        #expect(!samples.isEmpty)
        #expect(try await replica.get("/api/jobs/\(id)/plugin?check=1").json == ["exists": false, "html": .null])
        // The answer is the row as it was, which the worker may or may not have stopped already (its
        // queue is empty): what counts is the queue afterwards.
        #expect(try await replica.get("/api/queue/0/stop").json?["gpu_ids"] == "0")
        #expect(try await replica.get("/api/queue").json?["queues"]?[0]?["is_running"] == false)
        #expect(try await replica.get("/api/queue/7/stop").json == ["error": "Queue not found"])
        await replica.stop()
    }

    @Test func runningJobWalksThroughTheRealInfoStrings() async throws {
        let replica = try await TestReplica.start()
        let id = try #require(try await Self.createJob(replica, name: "walk")["id"]?.stringValue)
        _ = try await replica.get("/api/jobs/\(id)/start")
        var polled: [String] = [try await replica.get("/api/jobs?id=\(id)").json?["info"]?.stringValue ?? "?"]
        _ = try await replica.get("/api/queue/0/start")
        let deadline = ContinuousClock.now + .seconds(30)
        while polled.last != "Training completed", ContinuousClock.now < deadline {
            let info = try await replica.get("/api/jobs?id=\(id)").json?["info"]?.stringValue ?? "?"
            if info != polled.last { polled.append(info) }
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(polled.last == "Training completed", "the job did not complete within 30 s; info strings seen: \(polled)")
        // Polls can miss a short phase on a busy machine; the replica's own record of the job cannot.
        let history = try #require(replica.server.infoHistory(ofJob: id))
        #expect(history.contains("Generating images - 1/1"))
        let phases = history.filter { !$0.hasPrefix("Generating images") }.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
        // The worker's `Starting job...`, then the trainer's own words (DiffusionTrainer.py), a `Saving model`
        // for each checkpoint (every 25 of 100 steps) and the final one.
        #expect(phases == ["Job queued", "Starting job...", "Starting", "Loading model", "Loading dataset", "Training",
                           "Saving model", "Training", "Saving model", "Training", "Saving model", "Training", "Saving model", "Training completed"])
        // What the API showed is that same walk, seen at the moments it was polled.
        var unmatched = polled[...]
        for info in history where info == unmatched.first { unmatched.removeFirst() }
        #expect(unmatched.isEmpty, "the API showed \(polled), not a subsequence of the job's info strings \(history)")
        await replica.stop()
    }

    @Test func checkpointsDownloadAsAttachmentsWithRanges() async throws {
        let replica = try await TestReplica.start()
        let id = try #require(try await Self.createJob(replica, name: "dl lora", steps: 50)["id"]?.stringValue)
        _ = try await replica.get("/api/jobs/\(id)/start")
        _ = try await replica.get("/api/queue/0/start")
        _ = try await Self.waitForJob(replica, id) { $0["status"] == "completed" }
        let folder = replica.dataRoot.appendingPathComponent("output/dl lora").path
        let target = "/api/files/\(FileRoutesEncoding.component(folder))/\(FileRoutesEncoding.component("dl lora.safetensors"))"
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/dl lora.safetensors")))
        let whole = try await loopbackRequest(port: replica.port, "GET", target)
        #expect(whole.status == 200)
        #expect(whole.body == bytes)
        #expect(whole.headers["Content-Disposition"] == "attachment; filename=\"dl%20lora.safetensors\"")
        #expect(whole.headers["Content-Type"] == "application/octet-stream")
        #expect(whole.headers["Accept-Ranges"] == "bytes")
        #expect(whole.headers["Content-Length"] == String(bytes.count))
        let part = try await loopbackRequest(port: replica.port, "GET", target, headers: [("Range", "bytes=8-")])
        #expect(part.status == 206)
        #expect(part.body == Array(bytes[8...]))
        #expect(part.headers["Content-Range"] == "bytes 8-\(bytes.count - 1)/\(bytes.count)")
        let beyond = try await loopbackRequest(port: replica.port, "GET", target, headers: [("Range", "bytes=\(bytes.count)-")])
        #expect(beyond.status == 416)
        #expect(beyond.headers["Content-Range"] == "bytes */\(bytes.count)")
        let head = try await loopbackRequest(port: replica.port, "HEAD", target)
        #expect(head.status == 200 && head.body.isEmpty && head.headers["Content-Length"] == String(bytes.count))
        let missing = try await loopbackRequest(port: replica.port, "GET", "/api/files/\(FileRoutesEncoding.component(folder))/none.safetensors")
        #expect(missing.status == 404)
        #expect(missing.text == "File not found")
        let outside = try await loopbackRequest(port: replica.port, "GET", "/api/files/%2Fetc/hostname")
        #expect(outside.status == 403)
        #expect(outside.text == "Access denied")
        #expect(try await replica.post("/api/files/delete", ["filePath": .string(folder + "/dl lora.safetensors")]).json == ["success": true])
        #expect(try await loopbackRequest(port: replica.port, "GET", target).status == 404)
        await replica.stop()
    }

    @Test func stopWorksWhileRunningAndDeleteRemovesTheFolder() async throws {
        let replica = try await TestReplica.start { $0.trainer.trainingDuration = .seconds(20) }
        let id = try #require(try await Self.createJob(replica, name: "slow_lora", steps: 1000)["id"]?.stringValue)
        _ = try await replica.get("/api/jobs/\(id)/start")
        _ = try await replica.get("/api/queue/0/start")
        let running = try await Self.waitForJob(replica, id) { $0["info"] == "Training" }
        #expect(running["status"] == "running")
        let saved = try await replica.get("/api/jobs/\(id)/save_now")
        #expect(saved.json?["save_now"] == true)
        let stopped = try await replica.get("/api/jobs/\(id)/stop")
        #expect(stopped.json?["status"] == "running", "stop answers with the job as it was before")
        let after = try await replica.get("/api/jobs?id=\(id)").json
        #expect(after?["status"] == "stopped")
        #expect(after?["info"] == "Job stopped")
        #expect(after?["stop"] == true)
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await replica.get("/api/jobs?id=\(id)").json?["status"] == "stopped", "the trainer must not resume a stopped job")
        let marked = try await replica.get("/api/jobs/\(id)/mark_stopped")
        #expect(marked.json?["status"] == "stopped")
        let deleted = try await replica.get("/api/jobs/\(id)/delete")
        #expect(deleted.json?["name"] == "slow_lora")
        #expect(!FileManager.default.fileExists(atPath: replica.dataRoot.appendingPathComponent("output/slow_lora").path))
        #expect(try await replica.get("/api/jobs").json == ["jobs": []])
        await replica.stop()
    }

    /// 8-byte little-endian header length, a JSON header whose tensors' offsets fit the data, `__metadata__`.
    static func expectValidSafetensors(_ bytes: [UInt8]) throws {
        try #require(bytes.count >= 8)
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        try #require(8 + headerLength <= bytes.count)
        let header = try JSON.parse(bytes: bytes[8..<(8 + headerLength)])
        let dataLength = bytes.count - 8 - headerLength
        #expect(header["__metadata__"]?["format"] == "pt")
        var tensors = 0
        for (name, entry) in header.objectValue ?? [:] where name != "__metadata__" {
            tensors += 1
            #expect(entry["dtype"] == "F32")
            let shape = entry["shape"]?.arrayValue?.compactMap(\.intValue) ?? []
            let offsets = entry["data_offsets"]?.arrayValue?.compactMap(\.intValue) ?? []
            #expect(offsets.count == 2 && offsets[1] <= dataLength)
            #expect(offsets[1] - offsets[0] == shape.reduce(4, *))
        }
        #expect(tensors > 0)
    }
}
