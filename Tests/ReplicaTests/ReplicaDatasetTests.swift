import Foundation
import JSONCore
import Testing
import TestSupport
import Wire

@Suite("Replica datasets, captions and files")
struct ReplicaDatasetTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 100)

    static func upload(_ replica: TestReplica, dataset: String, files: [(String, [UInt8])]) async throws -> LoopbackHTTPConnection.Response {
        let form = TestReplica.multipart(fields: [("datasetName", dataset)],
                                         files: files.map { (field: "files", name: $0.0, type: "image/png", bytes: $0.1) })
        return try await replica.request("POST", "/api/datasets/upload", headers: [("Content-Type", form.contentType)], body: form.body)
    }

    @Test func createSanitizesListsAndDeletes() async throws {
        let replica = try await TestReplica.start()
        let created = try await replica.post("/api/datasets/create", ["name": "My Cats!! 2024"])
        #expect(created.status == 200)
        #expect(created.json == ["success": true, "name": "my_cats_2024"])
        _ = try await replica.post("/api/datasets/create", ["name": "aaa"])
        try FileManager.default.createDirectory(at: replica.dataRoot.appendingPathComponent("datasets/.hidden"), withIntermediateDirectories: true)
        // datasets/list/route.ts does not sort: the names come in directory (readdir) order, as the disk has them.
        let names = try await replica.get("/api/datasets/list").json?.arrayValue?.compactMap(\.stringValue)
        #expect(names?.sorted() == ["aaa", "my_cats_2024"])
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: replica.dataRoot.appendingPathComponent("datasets").path)).filter { !$0.hasPrefix(".") })
        #expect(try await replica.post("/api/datasets/delete", ["name": "aaa"]).json == ["success": true])
        #expect(try await replica.post("/api/datasets/delete", ["name": "never-existed"]).json == ["success": true])
        #expect(try await replica.get("/api/datasets/list").json == ["my_cats_2024"])
        await replica.stop()
    }

    @Test func uploadSavesSeveralFilesWithSanitizedNamesAndListImagesFindsThem() async throws {
        let replica = try await TestReplica.start()
        _ = try await replica.post("/api/datasets/create", ["name": "cats"])
        let response = try await Self.upload(replica, dataset: "cats", files: [("a cat (1).png", Self.png), ("b.png", Self.png), ("ç😀.png", [1, 2])])
        #expect(response.status == 200)
        #expect(response.json == ["message": "Files uploaded successfully", "files": ["a_cat__1_.png", "b.png", "___.png"]])
        let folder = replica.dataRoot.appendingPathComponent("datasets/cats").path
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/b.png")) == Data(Self.png))
        let listed = try await replica.post("/api/datasets/listImages", ["datasetName": "cats"])
        #expect(listed.json == ["root": .string(folder + "/"), "images": ["___.png", "a_cat__1_.png", "b.png"]])
        let missing = try await replica.post("/api/datasets/listImages", ["datasetName": "dogs"])
        #expect(missing.status == 404)
        #expect(missing.json == ["error": "Folder 'dogs' not found"])
        let empty = TestReplica.multipart(fields: [("datasetName", "cats")], files: [])
        let noFiles = try await replica.request("POST", "/api/datasets/upload", headers: [("Content-Type", empty.contentType)], body: empty.body)
        #expect(noFiles.status == 400)
        #expect(noFiles.json == ["error": "No files provided"])
        await replica.stop()
    }

    @Test func captionsAreSavedReadAndBatched() async throws {
        let replica = try await TestReplica.start()
        _ = try await Self.upload(replica, dataset: "cats", files: [("a.png", Self.png), ("b.png", Self.png)])
        let folder = replica.dataRoot.appendingPathComponent("datasets/cats").path
        #expect(try await replica.post("/api/img/caption", ["imgPath": .string(folder + "/a.png"), "caption": "a cat"]).json == ["success": true])
        let caption = try await replica.post("/api/caption/get", ["imgPath": .string(folder + "/a.png")])
        #expect(caption.text == "a cat")
        #expect(caption.headers["Content-Type"]?.hasPrefix("text/plain") == true)
        #expect(try await replica.post("/api/caption/get", ["imgPath": .string(folder + "/b.png")]).text == "")
        let batch = try await replica.post("/api/caption/getBatch", ["imgPaths": [.string(folder + "/a.png"), .string(folder + "/b.png")]])
        #expect(batch.json == ["captions": [folder + "/a.png": "a cat", folder + "/b.png": ""]])
        #expect(try await replica.post("/api/img/delete", ["imgPath": .string(folder + "/a.png")]).json == ["success": true])
        #expect(!FileManager.default.fileExists(atPath: folder + "/a.txt"))
        #expect(try await replica.post("/api/datasets/listImages", ["datasetName": "cats"]).json?["images"] == ["b.png"])
        #expect(try await replica.post("/api/caption/get", ["imgPath": "/etc/passwd"]).status == 403)
        await replica.stop()
    }

    @Test func imageBytesHaveETagCacheControlRangeAndThumbFallback() async throws {
        let replica = try await TestReplica.start()
        _ = try await Self.upload(replica, dataset: "cats", files: [("a.png", Self.png)])
        let folder = replica.dataRoot.appendingPathComponent("datasets/cats").path
        let target = "/api/img/\(FileRoutesEncoding.component(folder))/a.png"
        let image = try await loopbackRequest(port: replica.port, "GET", target + "?thumb=1")
        #expect(image.status == 200)
        #expect(image.body == Self.png)
        #expect(image.headers["Content-Type"] == "image/png")
        #expect(image.headers["Cache-Control"] == "public, max-age=86400, immutable")
        let etag = try #require(image.headers["ETag"])
        #expect(etag.hasPrefix("W/\""))
        let revalidated = try await loopbackRequest(port: replica.port, "GET", target, headers: [("If-None-Match", etag)])
        #expect(revalidated.status == 304)
        let ranged = try await loopbackRequest(port: replica.port, "GET", target, headers: [("Range", "bytes=0-7")])
        #expect(ranged.status == 206)
        #expect(ranged.body == Array(Self.png.prefix(8)))
        #expect(ranged.headers["Content-Range"] == "bytes 0-7/\(Self.png.count)")
        #expect(try await loopbackRequest(port: replica.port, "GET", "/api/img/\(FileRoutesEncoding.component(folder))/zz.png").status == 404)
        #expect(try await loopbackRequest(port: replica.port, "GET", "/api/img/%2Fetc/passwd").status == 403)
        await replica.stop()
    }

    @Test func zipPacksTheDataset() async throws {
        let replica = try await TestReplica.start()
        _ = try await Self.upload(replica, dataset: "cats", files: [("a.png", Self.png)])
        let response = try await replica.post("/api/zip", ["zipTarget": "dataset", "datasetName": "cats"])
        #expect(response.json?["ok"] == true)
        // zip/route.ts: `<datasets>/.zips/<name>_dataset.zip`, where /api/files can serve it.
        #expect(response.json?["fileName"] == "cats_dataset.zip")
        let zipPath = try #require(response.json?["zipPath"]?.stringValue)
        #expect(zipPath == replica.dataRoot.appendingPathComponent("datasets/.zips/cats_dataset.zip").path)
        let zip = try Data(contentsOf: URL(fileURLWithPath: zipPath))
        #expect(Array(zip.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
        #expect(zip.range(of: Data("cats/a.png".utf8)) != nil, "entries sit under the dataset's name")
        let folder = URL(fileURLWithPath: zipPath).deletingLastPathComponent().path
        let download = try await replica.get("/api/files/\(FileRoutesEncoding.component(folder))/cats_dataset.zip")
        #expect(download.status == 200)
        #expect(download.body == Array(zip))
        #expect(try await replica.post("/api/datasets/list", [:]).status == 405)
        #expect(try await replica.get("/api/datasets/list").json == ["cats"], "the hidden .zips folder is no dataset")
        await replica.stop()
    }
}

/// How the UI builds `/api/img/` and `/api/files/` URLs: each path part `encodeURIComponent`ed.
enum FileRoutesEncoding {
    static func component(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-_.!~*'()")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
