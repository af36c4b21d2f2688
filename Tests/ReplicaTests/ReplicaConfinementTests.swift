import Foundation
import JSONCore
import Testing
import TestSupport
import Wire

/// Names and paths from requests never reach a file outside the replica's data root: not through `..`,
/// an absolute path, a symlink, a caption extension or a settings folder.
@Suite("Replica confinement to the data root")
struct ReplicaConfinementTests {
    /// A folder beside the data root, holding a file a request must never read, write or remove.
    struct Victim {
        let folder: URL
        var secret: URL { folder.appendingPathComponent("secret.txt") }

        init(beside replica: TestReplica) throws {
            folder = replica.dataRoot.deletingLastPathComponent().appendingPathComponent("victim-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("do not touch".utf8).write(to: secret)
        }

        var isIntact: Bool { (try? String(contentsOf: secret, encoding: .utf8)) == "do not touch" }
        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    @Test func aJobNamedWithDotDotCannotReachOutsideTheTrainingFolder() async throws {
        let replica = try await TestReplica.start()
        let victim = try Victim(beside: replica)
        defer { victim.remove() }
        // output/ is inside the data root, which is beside the victim.
        let escaping = "../../\(victim.folder.lastPathComponent)"
        for name in [escaping, "..", ".", victim.folder.path, "a/b"] {
            let created = try await replica.post("/api/jobs", ["id": .null, "name": .string(name), "gpu_ids": "0", "job_config": ReplicaJobTests.config(name: name)])
            #expect(created.status == 400, "job name \(name.debugDescription)")
            if let id = created.json?["id"]?.stringValue {
                _ = try await replica.get("/api/jobs/\(id)/log")
                _ = try await replica.get("/api/jobs/\(id)/delete")
            }
        }
        #expect(victim.isIntact, "the folder outside the data root is still there")
        // Renaming an existing job is the same door.
        let job = try await ReplicaJobTests.createJob(replica, name: "fine")
        let renamed = try await replica.post("/api/jobs", ["id": job["id"]!, "name": .string(escaping), "gpu_ids": "0", "job_config": [:]])
        #expect(renamed.status == 400)
        _ = try await replica.get("/api/jobs/\(job["id"]?.stringValue ?? "")/delete")
        #expect(victim.isIntact)
        await replica.stop()
    }

    @Test func aSymlinkedJobFolderIsNeitherTrainedInNorRemoved() async throws {
        let replica = try await TestReplica.start()
        let victim = try Victim(beside: replica)
        defer { victim.remove() }
        let job = try await ReplicaJobTests.createJob(replica, name: "linked")
        let id = try #require(job["id"]?.stringValue)
        try FileManager.default.createSymbolicLink(at: replica.dataRoot.appendingPathComponent("output/linked"), withDestinationURL: victim.folder)
        _ = try await replica.get("/api/jobs/\(id)/start")
        _ = try await replica.get("/api/queue/0/start")
        let ended = try await ReplicaJobTests.waitForJob(replica, id) { $0["status"] == "error" || $0["status"] == "completed" }
        #expect(ended["status"] == "error")
        #expect(try await replica.get("/api/jobs/\(id)/files").json == ["files": []])
        _ = try await replica.get("/api/jobs/\(id)/delete")
        #expect(victim.isIntact)
        #expect(try FileManager.default.contentsOfDirectory(atPath: victim.folder.path) == ["secret.txt"], "nothing was written there")
        await replica.stop()
    }

    @Test func symlinksInsideTheDatasetsFolderDoNotLeadOutside() async throws {
        let replica = try await TestReplica.start()
        let victim = try Victim(beside: replica)
        defer { victim.remove() }
        let datasets = replica.dataRoot.appendingPathComponent("datasets")
        try FileManager.default.createSymbolicLink(at: datasets.appendingPathComponent("linked"), withDestinationURL: victim.folder)
        try FileManager.default.createDirectory(at: datasets.appendingPathComponent("cats"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: datasets.appendingPathComponent("cats/secret.png"), withDestinationURL: victim.secret)
        let throughFolder = datasets.path + "/linked/secret.txt"
        let throughFile = datasets.path + "/cats/secret.png"
        for path in [throughFolder, throughFile] {
            let served = try await loopbackRequest(port: replica.port, "GET", "/api/img/" + path.split(separator: "/").joined(separator: "/"))
            #expect(served.status == 403, "GET /api/img\(path)")
            #expect(!served.text.contains("do not touch"))
            #expect(try await loopbackRequest(port: replica.port, "GET", "/api/files" + path).status == 403)
        }
        #expect(try await replica.post("/api/files/delete", ["filePath": .string(throughFolder)]).status == 403)
        #expect(try await replica.post("/api/img/delete", ["imgPath": .string(datasets.path + "/linked/x.png")]).json == ["error": "Invalid image path"])
        #expect(try await replica.post("/api/caption/get", ["imgPath": .string(throughFolder)]).status == 403)
        let zipped = try await replica.post("/api/zip", ["zipTarget": "dataset", "datasetName": "cats"])
        if let zipPath = zipped.json?["zipPath"]?.stringValue {
            #expect(!(try Data(contentsOf: URL(fileURLWithPath: zipPath))).contains(Data("do not touch".utf8)), "the zip holds no outside file")
        }
        #expect(try await replica.post("/api/datasets/delete", ["name": "linked"]).json == ["success": true])
        #expect(victim.isIntact)
        await replica.stop()
    }

    @Test func aCaptionExtensionCannotWriteOutsideTheDatasets() async throws {
        let replica = try await TestReplica.start()
        let victim = try Victim(beside: replica)
        defer { victim.remove() }
        _ = try await ReplicaDatasetTests.upload(replica, dataset: "cats", files: [("a.png", ReplicaDatasetTests.png)])
        let image = replica.dataRoot.appendingPathComponent("datasets/cats/a.png").path
        let escape = "/../../../../\(victim.folder.lastPathComponent)/secret.txt"
        for ext in [escape, "." + escape, "txt/../../../../\(victim.folder.lastPathComponent)/secret.txt"] {
            let saved = try await replica.post("/api/img/caption", ["imgPath": .string(image), "caption": "overwritten", "ext": .string(ext)])
            #expect(saved.status == 400, "ext \(ext)")
            #expect(saved.json == ["error": "Invalid image path"])
        }
        #expect(victim.isIntact)
        // The real app's own rule still holds: leading dots dropped, `txt` when empty.
        #expect(try await replica.post("/api/img/caption", ["imgPath": .string(image), "caption": "dots", "ext": "..caption"]).json == ["success": true])
        #expect(try String(contentsOfFile: image.replacingOccurrences(of: ".png", with: ".caption"), encoding: .utf8) == "dots")
        await replica.stop()
    }

    @Test func settingsFoldersMustStayInsideTheDataRoot() async throws {
        let replica = try await TestReplica.start()
        let victim = try Victim(beside: replica)
        defer { victim.remove() }
        for key in ["TRAINING_FOLDER", "DATASETS_FOLDER"] {
            for folder in [victim.folder.path, replica.dataRoot.path + "/../" + victim.folder.lastPathComponent, "/"] {
                let saved = try await replica.post("/api/settings", [key: .string(folder)])
                #expect(saved.status == 400, "\(key) = \(folder)")
            }
        }
        #expect(try await replica.get("/api/settings").json?["DATASETS_FOLDER"]?.stringValue == replica.dataRoot.appendingPathComponent("datasets").path)
        #expect(try await replica.post("/api/datasets/delete", ["name": "secret.txt"]).json == ["success": true])
        #expect(victim.isIntact)
        await replica.stop()
    }

    /// The trainer only counts a job's dataset, but a `folder_path` of `/` would have it walk the whole disk.
    @Test func theTrainerCountsOnlyDatasetsInsideTheDataRoot() async throws {
        let replica = try await TestReplica.start()
        let victim = try Victim(beside: replica)
        defer { victim.remove() }
        try Data(ReplicaDatasetTests.png).write(to: victim.folder.appendingPathComponent("outside.png"))
        var config = ReplicaJobTests.config(name: "counted", steps: 10)
        config = Self.setting(config, datasetFolder: victim.folder.path)
        let created = try await replica.post("/api/jobs", ["id": .null, "name": "counted", "gpu_ids": "0", "job_config": config])
        let id = try #require(created.json?["id"]?.stringValue)
        _ = try await replica.get("/api/jobs/\(id)/start")
        _ = try await replica.get("/api/queue/0/start")
        _ = try await ReplicaJobTests.waitForJob(replica, id) { $0["status"] == "completed" }
        let log = try await replica.get("/api/jobs/\(id)/log").json?["log"]?.stringValue ?? ""
        #expect(log.contains("Found 0 images"), "log: \(log)")
        await replica.stop()
    }

    static func setting(_ config: JSON, datasetFolder: String) -> JSON {
        guard case .object(var root) = config, case .object(var inner)? = root["config"],
              case .array(var process)? = inner["process"], case .object(var first)? = process.first else { return config }
        first["datasets"] = [["folder_path": .string(datasetFolder)]]
        process[0] = .object(first)
        inner["process"] = .array(process)
        root["config"] = .object(inner)
        return .object(root)
    }
}
