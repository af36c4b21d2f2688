import Foundation
import JSONCore
import Testing
import TestSupport
import Wire

/// The job and queue routes as `ui/src/app/api/jobs/**` and `ui/src/app/api/queue/**` behave at 27a03a91,
/// and the worker as `ui/cron/actions/processQueue.ts` runs it.
@Suite("Replica job and queue routes as the real app has them")
struct ReplicaRealJobRoutesTests {
    static func create(_ replica: TestReplica, _ name: String, extra: [String: JSON] = [:]) async throws -> JSON {
        var body: [String: JSON] = ["id": .null, "name": .string(name), "gpu_ids": "0", "job_config": ReplicaJobTests.config(name: name)]
        body.merge(extra) { $1 }
        let response = try await replica.post("/api/jobs", .object(body))
        #expect(response.status == 200, "\(response)")
        return try #require(response.json)
    }

    @Test func jobRefAnswersTheLatestJobOrNull() async throws {
        let replica = try await TestReplica.start()
        #expect(try await replica.get("/api/jobs?job_ref=/nowhere").json == .null)
        let first = try await Self.create(replica, "caption_a", extra: ["job_type": "caption", "job_ref": "/data/datasets/cats"])
        try await Task.sleep(for: .milliseconds(5))
        let second = try await Self.create(replica, "caption_b", extra: ["job_type": "caption", "job_ref": "/data/datasets/cats"])
        // Unencoded, as hooks/useJobByRef.tsx sends it.
        #expect(try await replica.get("/api/jobs?job_ref=/data/datasets/cats").json?["id"] == second["id"])
        try await Task.sleep(for: .milliseconds(5))
        _ = try await replica.get("/api/jobs/\(first["id"]!.stringValue!)/save_now")
        #expect(try await replica.get("/api/jobs?job_ref=/data/datasets/cats").json?["id"] == first["id"], "newest updated_at wins")
        #expect(try await replica.get("/api/jobs?job_type=caption").json?["jobs"]?.arrayValue?.count == 2)
        #expect(try await replica.get("/api/jobs?job_type=train").json == ["jobs": []])
        await replica.stop()
    }

    @Test func createAndStartPlaceJobsAtTheHighestPositionPlus1000() async throws {
        let replica = try await TestReplica.start()
        let a = try await Self.create(replica, "a")
        let b = try await Self.create(replica, "b")
        #expect(a["queue_position"] == 1000)
        #expect(b["queue_position"] == 2000)
        let id = try #require(a["id"]?.stringValue)
        #expect(try await replica.get("/api/jobs/\(id)/start").json?["queue_position"] == 1000, "start answers the job as it was")
        #expect(try await replica.get("/api/jobs?id=\(id)").json?["queue_position"] == 3000)
        // An update may set job_type and job_ref; a create without gpu_ids fails the insert.
        let updated = try await replica.post("/api/jobs", ["id": .string(id), "name": "a", "job_ref": "r", "job_type": "caption"])
        #expect(updated.json?["job_ref"] == "r")
        #expect(updated.json?["job_type"] == "caption")
        #expect(updated.json?["gpu_ids"] == "0", "a field left out is left alone")
        let noGPU = try await replica.post("/api/jobs", ["id": .null, "name": "c", "job_config": [:]])
        #expect(noGPU.status == 500)
        #expect(noGPU.json == ["error": "Failed to save training data"])
        await replica.stop()
    }

    @Test func stopOnAQueuedJobLeavesItQueuedUntilTheWorkerStartsIt() async throws {
        let replica = try await TestReplica.start()
        let id = try #require(try await Self.create(replica, "queued_stop")["id"]?.stringValue)
        _ = try await replica.get("/api/jobs/\(id)/start")
        let stopped = try await replica.get("/api/jobs/\(id)/stop")
        #expect(stopped.json?["status"] == "queued", "the job as it was before")
        #expect(stopped.json?["stop"] == false)
        let after = try #require(try await replica.get("/api/jobs?id=\(id)").json)
        #expect(after["status"] == "queued", "no pid, so no signal and no status change")
        #expect(after["stop"] == true)
        #expect(after["info"] == "Stopping job...")
        _ = try await replica.get("/api/queue/0/start")
        let running = try await ReplicaJobTests.waitForJob(replica, id) { $0["status"] != "queued" }
        #expect(running["status"] == "running" || running["status"] == "completed")
        #expect(running["stop"] == false, "startJob.ts resets stop")
        await replica.stop()
    }

    @Test func stopOnARunningJobSignalsItAndMarksItStopped() async throws {
        let replica = try await TestReplica.start { $0.trainer.trainingDuration = .seconds(20) }
        let id = try #require(try await Self.create(replica, "running_stop")["id"]?.stringValue)
        _ = try await replica.get("/api/jobs/\(id)/start")
        _ = try await replica.get("/api/queue/0/start")
        let running = try await ReplicaJobTests.waitForJob(replica, id) { $0["info"] == "Training" }
        #expect(running["pid"]?.intValue != nil)
        #expect(try await replica.get("/api/jobs/\(id)/stop").json?["status"] == "running")
        let history = try #require(replica.server.infoHistory(ofJob: id))
        #expect(Array(history.suffix(2)) == ["Stopping job...", "Job stopped"])
        await replica.stop()
    }

    @Test func markStoppedAnswersThePreviousJobAndClearsThePid() async throws {
        let replica = try await TestReplica.start()
        let id = try #require(try await Self.create(replica, "marked")["id"]?.stringValue)
        _ = try await replica.get("/api/jobs/\(id)/start")
        let marked = try await replica.get("/api/jobs/\(id)/mark_stopped")
        #expect(marked.json?["status"] == "queued")
        #expect(marked.json?["info"] == "Job queued")
        let after = try #require(try await replica.get("/api/jobs?id=\(id)").json)
        #expect(after["status"] == "stopped")
        #expect(after["stop"] == true)
        #expect(after["info"] == "Job stopped")
        #expect(after["pid"] == .null)
        // Prisma's update throws for a missing row: a bare 500, for these three.
        for action in ["mark_stopped", "save_now", "sample_now"] {
            let missing = try await replica.get("/api/jobs/nope/\(action)")
            #expect(missing.status == 500, "\(action)")
            #expect(missing.body.isEmpty, "\(action)")
        }
        #expect(try await replica.get("/api/jobs/nope/stop").json == ["error": "Job not found"])
        await replica.stop()
    }

    @Test func queueStartAndStopAnswerTheRowAsItWasAndListByGPU() async throws {
        let replica = try await TestReplica.start()
        #expect(try await replica.get("/api/queue/1/start").json == ["id": 1, "gpu_ids": "1", "is_running": true], "created running")
        #expect(try await replica.get("/api/queue/1/stop").json == ["id": 1, "gpu_ids": "1", "is_running": true])
        #expect(try await replica.get("/api/queue/1/stop").json == ["id": 1, "gpu_ids": "1", "is_running": false])
        #expect(try await replica.get("/api/queue/0/start").json?["is_running"] == true)
        let listed = try await replica.get("/api/queue").json?["queues"]?.arrayValue?.compactMap { $0["gpu_ids"]?.stringValue }
        #expect(listed == ["0", "1"], "ordered by gpu_ids, not id")
        let missing = try await replica.get("/api/queue/9/stop")
        #expect(missing.status == 404)
        #expect(missing.json == ["error": "Queue not found"])
        await replica.stop()
    }

    @Test func theWorkerStopsAnEmptyQueueAndAStoppedQueueSendsItsJobBack() async throws {
        let replica = try await TestReplica.start { $0.trainer.trainingDuration = .seconds(20) }
        _ = try await replica.get("/api/queue/0/start")
        let deadline = ContinuousClock.now + .seconds(10)
        while try await replica.get("/api/queue").json?["queues"]?[0]?["is_running"] == true, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try await replica.get("/api/queue").json?["queues"]?[0]?["is_running"] == false, "no queued job: the queue stops")

        let id = try #require(try await Self.create(replica, "sent_back")["id"]?.stringValue)
        _ = try await replica.get("/api/jobs/\(id)/start")
        _ = try await replica.get("/api/queue/0/start")
        _ = try await ReplicaJobTests.waitForJob(replica, id) { $0["info"] == "Training" }
        _ = try await replica.get("/api/queue/0/stop")
        let back = try await ReplicaJobTests.waitForJob(replica, id) { $0["status"] == "queued" }
        #expect(back["info"] == "Job queued")
        #expect(back["return_to_queue"] == true)
        #expect(replica.server.infoHistory(ofJob: id)?.contains("Stopping job...") == true)
        await replica.stop()
    }

    @Test func onlyActiveIsCachedForFiveSeconds() async throws {
        let replica = try await TestReplica.start()
        #expect(try await replica.get("/api/jobs?only_active=true").json == ["jobs": []])
        let id = try #require(try await Self.create(replica, "cached")["id"]?.stringValue)
        _ = try await replica.get("/api/jobs/\(id)/start")
        #expect(try await replica.get("/api/jobs?only_active=true").json == ["jobs": []], "still the answer of a moment ago")
        #expect(try await replica.get("/api/jobs").json?["jobs"]?.arrayValue?.count == 1, "the plain list is not cached")
        try await Task.sleep(for: .milliseconds(5100))
        #expect(try await replica.get("/api/jobs?only_active=true").json?["jobs"]?[0]?["id"] == .string(id))
        await replica.stop()
    }

    @Test func lossTakesTheFirstPointsAndStridesBySteps() async throws {
        let replica = try await TestReplica.start()
        let id = try #require(try await Self.create(replica, "lossy")["id"]?.stringValue)
        #expect(try await replica.get("/api/jobs/\(id)/loss?key=val_loss").json == ["keys": [], "key": "loss", "points": []],
                "no loss_log.db before the job ran")
        _ = try await replica.get("/api/jobs/\(id)/start")
        _ = try await replica.get("/api/queue/0/start")
        _ = try await ReplicaJobTests.waitForJob(replica, id) { $0["status"] == "completed" }
        let steps = { (query: String) async throws -> [Int] in
            try await replica.get("/api/jobs/\(id)/loss?\(query)").json?["points"]?.arrayValue?.compactMap { $0["step"]?.intValue } ?? []
        }
        let all = try await steps("key=loss")
        #expect(all == all.sorted() && all.count == 10, "one point a progress update (TrainerTiming.fast: 10)")
        #expect(try await steps("limit=3") == Array(all.prefix(3)), "the first N, ascending")
        #expect(try await steps("stride=20") == all.filter { $0 % 20 == 0 }, "step % stride == 0")
        #expect(try await steps("stride=20").count == 5)
        #expect(try await steps("since_step=90") == all.filter { $0 > 90 })
        let other = try #require(try await replica.get("/api/jobs/\(id)/loss?key=val_loss").json)
        #expect(other == ["key": "val_loss", "keys": ["loss"], "points": []])
        await replica.stop()
    }

    @Test func filesPutTheOptimizerLastSamplesFilterAndPluginServesHTML() async throws {
        let replica = try await TestReplica.start()
        let id = try #require(try await Self.create(replica, "outputs")["id"]?.stringValue)
        let folder = replica.dataRoot.appendingPathComponent("output/outputs")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("samples/.thumbs"), withIntermediateDirectories: true)
        for name in ["a.safetensors", "z.safetensors", "optimizer.pt", "plugin.html", "samples/1.png", "samples/2.gif", "samples/3.wav", "samples/4.txt"] {
            try Data("<p>\(name)</p>".utf8).write(to: folder.appendingPathComponent(name))
        }
        let files = try await replica.get("/api/jobs/\(id)/files").json?["files"]?.arrayValue?.compactMap { $0["path"]?.stringValue }
        #expect(files?.map { URL(fileURLWithPath: $0).lastPathComponent } == ["a.safetensors", "z.safetensors", "optimizer.pt"])
        let samples = try await replica.get("/api/jobs/\(id)/samples").json?["samples"]?.arrayValue?.compactMap { $0.stringValue }
        #expect(samples?.map { URL(fileURLWithPath: $0).lastPathComponent } == ["1.png", "3.wav"])
        #expect(try await replica.get("/api/jobs/\(id)/plugin?check=1").json == ["exists": true, "html": .null])
        let html = try await replica.get("/api/jobs/\(id)/plugin")
        #expect(html.text == "<p>plugin.html</p>")
        #expect(html.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(html.headers["Cache-Control"] == "no-store")
        await replica.stop()
    }
}
