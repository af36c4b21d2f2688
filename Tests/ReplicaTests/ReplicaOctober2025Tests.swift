import Foundation
import JSONCore
import Testing
import TestSupport
import Wire

/// What a client notices when the replica serves c9843692 (`--ui-version 2025-10`) instead of 27a03a91:
/// each test names the real route file whose older handler it follows.
@Suite("Replica at c9843692 (2025-10)")
struct ReplicaOctober2025Tests {
    static func start() async throws -> TestReplica {
        try await TestReplica.start(uiVersion: "2025-10") { $0.trainer.trainingDuration = .seconds(5) }
    }

    /// `jobs/route.ts`: no `job_ref`, `job_type` or `only_active` yet; GET answers `{jobs}` for every
    /// query but `id`, and POST saves neither field. `prisma/schema.prisma`: the row has no `total_steps`,
    /// `pid`, `job_type`, `job_ref`, `save_now` or `sample_now`.
    @Test func jobsIgnoreRefTypeAndOnlyActive() async throws {
        let replica = try await Self.start()
        let saved = try await replica.post("/api/jobs", [
            "id": .null, "name": "old", "gpu_ids": "0", "job_config": ReplicaJobTests.config(name: "old"), "job_ref": "ref-1", "job_type": "train",
        ])
        #expect(saved.status == 200)
        #expect(saved.json?.objectValue?.keys.sorted() == [
            "created_at", "gpu_ids", "id", "info", "job_config", "name", "queue_position", "return_to_queue", "speed_string", "status",
            "step", "stop", "updated_at",
        ])
        let byRef = try await replica.get("/api/jobs?job_ref=ref-1").json
        #expect(byRef?["jobs"]?.arrayValue?.count == 1, "?job_ref= is ignored: the whole list")
        let active = try await replica.get("/api/jobs?only_active=true").json
        #expect(active?["jobs"]?.arrayValue?.first?["status"] == "stopped", "?only_active= is ignored: a stopped job is listed")
        await replica.stop()
    }

    /// `jobs/[jobID]/stop/route.ts`: only the `stop` flag and `Stopping job...`; the trainer then marks
    /// itself `Job stopped` (`DiffusionTrainer.maybe_stop`). No 404 for an unknown id: the update throws.
    @Test func stopOnlyAsksTheTrainer() async throws {
        let replica = try await Self.start()
        let id = try #require(try await ReplicaJobTests.createJob(replica, name: "stopme")["id"]?.stringValue)
        _ = try await replica.get("/api/jobs/\(id)/start")
        _ = try await replica.get("/api/queue/0/start")
        _ = try await ReplicaJobTests.waitForJob(replica, id) { $0["info"] == "Training" }
        let before = try await replica.get("/api/jobs/\(id)/stop")
        #expect(before.json?["status"] == "running", "answers the job as it was")
        let asked = try #require(try await replica.get("/api/jobs?id=\(id)").json)
        #expect(asked["stop"] == true)
        #expect(asked["status"] == "running" || asked["info"] == "Job stopped", "the route itself does not stop it: \(asked.serialized())")
        let stopped = try await ReplicaJobTests.waitForJob(replica, id) { $0["status"] == "stopped" }
        #expect(stopped["info"] == "Job stopped")
        #expect(try await replica.get("/api/jobs/no-such-job/stop").status == 500)

        _ = try await replica.get("/api/jobs/\(id)/start")
        _ = try await replica.get("/api/queue/0/start")  // the worker stopped the queue when it ran empty
        _ = try await ReplicaJobTests.waitForJob(replica, id) { $0["status"] == "running" }
        _ = try await replica.get("/api/jobs/\(id)/mark_stopped")
        let marked = try #require(try await replica.get("/api/jobs?id=\(id)").json)
        #expect(marked["status"] == "stopped" && marked["info"] == "Job stopped")
        await replica.stop()
    }

    /// `settings/route.ts`: no `MODELS_PATH` yet, in the answer or the upsert.
    @Test func settingsHaveNoModelsPath() async throws {
        let replica = try await Self.start()
        #expect(try await replica.get("/api/settings").json?["MODELS_PATH"] == nil)
        _ = try await replica.post("/api/settings", ["HF_TOKEN": "t", "TRAINING_FOLDER": "", "DATASETS_FOLDER": "", "MODELS_PATH": "/models"])
        let settings = try #require(try await replica.get("/api/settings").json)
        #expect(settings["HF_TOKEN"] == "t")
        #expect(settings["MODELS_PATH"] == nil)
        await replica.stop()
    }

    /// `img/[...imagePath]/route.ts` and `files/[...filePath]/route.ts` (no file server yet): the whole
    /// path in one segment; the `<folder>/<file>` form is not found; images whole, no ETag or Range.
    @Test func filesByOneEncodedPath() async throws {
        let replica = try await Self.start()
        _ = try await replica.post("/api/datasets/create", ["name": "cats"])
        let folder = replica.dataRoot.appendingPathComponent("datasets/cats")
        try Data([1, 2, 3, 4]).write(to: folder.appendingPathComponent("a.png"))
        let encoded = FileRoutesEncoding.component(folder.path + "/a.png")
        let image = try await loopbackRequest(port: replica.port, "GET", "/api/img/\(encoded)", headers: [("Range", "bytes=0-1")])
        #expect(image.status == 200, "no Range on images")
        #expect(image.body == [1, 2, 3, 4])
        #expect(image.headers["ETag"] == nil)
        #expect(image.headers["Cache-Control"] == "public, max-age=86400")
        let split = try await loopbackRequest(port: replica.port, "GET", "/api/img/\(FileRoutesEncoding.component(folder.path))/a.png")
        #expect(split.status == 404 && split.text == "File not found", "segments join with ',' there")
        let download = try await loopbackRequest(port: replica.port, "GET", "/api/files/\(encoded)", headers: [("Range", "bytes=1-")])
        #expect(download.status == 206)
        #expect(download.body == [2, 3, 4])
        #expect(download.headers["Content-Disposition"] == "attachment; filename=\"a.png\"")
        await replica.stop()
    }

    /// `datasets/listImages/route.ts`: `{images: [{img_path}]}`, never compressed, no audio;
    /// `img/delete/route.ts`: images only; `img/caption` and `caption/get`: always `.txt`;
    /// `zip/route.ts`: samples only.
    @Test func datasetRoutesOfThen() async throws {
        let replica = try await Self.start()
        _ = try await replica.post("/api/datasets/create", ["name": "sounds"])
        let folder = replica.dataRoot.appendingPathComponent("datasets/sounds")
        try Data([1]).write(to: folder.appendingPathComponent("a.png"))
        try Data([2]).write(to: folder.appendingPathComponent("b.mp3"))
        let listed = try await replica.request("POST", "/api/datasets/listImages", json: ["datasetName": "sounds"], headers: [("Accept-Encoding", "br, gzip")])
        #expect(listed.headers["Content-Encoding"] == nil)
        #expect(listed.json == ["images": [["img_path": .string(folder.path + "/a.png")]]])
        let mp3 = try await replica.post("/api/img/delete", ["imgPath": .string(folder.path + "/b.mp3")])
        #expect(mp3.status == 400 && mp3.json?["error"] == "Not an image")
        let image = JSON.string(folder.path + "/a.png")
        #expect(try await replica.post("/api/img/caption", ["imgPath": image, "caption": "a cat", "ext": "json"]).status == 200)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("a.txt").path), "ext is ignored: .txt")
        #expect(try await replica.post("/api/caption/get", ["imgPath": image, "ext": "json"]).text == "a cat")
        let zip = try await replica.post("/api/zip", ["zipTarget": "dataset", "datasetName": "sounds"])
        #expect(zip.status == 400 && zip.json?["error"] == "jobName is required")
        await replica.stop()
    }
}
