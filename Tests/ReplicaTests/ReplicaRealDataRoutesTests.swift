import Foundation
import JSONCore
@testable import Replica
import Testing
import TestSupport
import Wire

/// Dataset, caption, file, zip, upload, album-art, monitor and script routes as `ui/src/app/api/**`
/// behaves at 27a03a91.
@Suite("Replica data and system routes as the real app has them")
struct ReplicaRealDataRoutesTests {
    /// Runs `python3 -c script` with `input` on stdin; its stdout.
    static func python(_ script: String, input: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 -c \(script)")
        return Array(output)
    }

    @Test func listImagesKeepsTheRealExtensionsSkipsControlsAndSortsLikeLocaleCompare() async throws {
        let replica = try await TestReplica.start()
        _ = try await replica.post("/api/datasets/create", ["name": "mixed"])
        let folder = replica.dataRoot.appendingPathComponent("datasets/mixed")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("_controls"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        // The order Node's `localeCompare` (ICU, en-US) sorts these names into.
        let expected = ["_x.png", "a b.png", "a_b.png", "a-b.png", "a.b.png", "a.png", "A.png", "a10.png", "a9.png", "ab.png", "aB.png",
                        "Ab.png", "b.png", "B.png", "song.mp3", "sub/c.flac"]
        for name in expected.shuffled() + ["skip.gif", "skip.bmp", "_controls/ctl.png", ".hidden.png"] {
            try Data([1]).write(to: folder.appendingPathComponent(name))
        }
        let listed = try await replica.post("/api/datasets/listImages", ["datasetName": "mixed"])
        #expect(listed.headers["Content-Encoding"] == nil, "no Accept-Encoding, no compression")
        #expect(listed.json?["images"]?.arrayValue?.compactMap(\.stringValue) == expected)
        await replica.stop()
    }

    @Test func listImagesIsCompressedAsTheClientAccepts() async throws {
        let replica = try await TestReplica.start()
        _ = try await replica.post("/api/datasets/create", ["name": "cats"])
        try Data([1]).write(to: replica.dataRoot.appendingPathComponent("datasets/cats/a.png"))
        let body = Array(JSON.object(["datasetName": "cats"]).serialized().utf8)
        let plain = try #require(try await replica.post("/api/datasets/listImages", ["datasetName": "cats"]).json)
        let gzip = try await replica.request("POST", "/api/datasets/listImages", headers: [("Content-Type", "application/json"), ("Accept-Encoding", "gzip, deflate")], body: body)
        #expect(gzip.headers["Content-Encoding"] == "gzip")
        #expect(try JSON.parse(bytes: Self.python("import sys,gzip; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))", input: gzip.body)) == plain)
        // What Chromium sends: brotli wins. Decoded with the system's libbrotlidec.
        let br = try await replica.request("POST", "/api/datasets/listImages", headers: [("Content-Type", "application/json"), ("Accept-Encoding", "gzip, deflate, br, zstd")], body: body)
        #expect(br.headers["Content-Encoding"] == "br")
        let decoder = """
        import sys, ctypes, ctypes.util
        lib = ctypes.CDLL(ctypes.util.find_library('brotlidec') or 'libbrotlidec.so.1')
        data = sys.stdin.buffer.read(); out = ctypes.create_string_buffer(1 << 20); size = ctypes.c_size_t(len(out))
        assert lib.BrotliDecoderDecompress(ctypes.c_size_t(len(data)), data, ctypes.byref(size), out) == 1
        sys.stdout.buffer.write(out.raw[:size.value])
        """
        #expect(try JSON.parse(bytes: Self.python(decoder, input: br.body)) == plain)
        // Blocks past 64 KiB split into several stored blocks / meta-blocks.
        let long = Array(repeating: UInt8(ascii: "x"), count: 200_000)
        #expect(try Self.python("import sys,gzip; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))", input: ContentEncoding.gzip(long)) == long)
        #expect(try Self.python(decoder.replacingOccurrences(of: "1 << 20", with: "1 << 21"), input: ContentEncoding.brotli(long)) == long)
        await replica.stop()
    }

    @Test func captionAndDeleteRoutesAnswerWithTheRealStatuses() async throws {
        let replica = try await TestReplica.start()
        _ = try await ReplicaDatasetTests.upload(replica, dataset: "cats", files: [("a.png", ReplicaDatasetTests.png)])
        let folder = replica.dataRoot.appendingPathComponent("datasets/cats").path
        let missing = try await replica.post("/api/img/caption", ["imgPath": .string(folder + "/none.png"), "caption": "x"])
        #expect(missing.status == 404)
        #expect(missing.json == ["error": "Image does not exist"])
        #expect(!FileManager.default.fileExists(atPath: folder + "/none.txt"))
        #expect(try await replica.post("/api/img/caption", ["imgPath": "/etc/x.png", "caption": "x"]).json == ["error": "Invalid image path"])
        #expect(try await replica.post("/api/img/delete", ["imgPath": .string(folder + "/gone.png")]).json == ["success": true])
        #expect(try await replica.post("/api/img/delete", ["imgPath": .string(folder + "/a.txt")]).json == ["error": "Not an image"])
        // caption/get: the datasets folder only; 403 and bad JSON as text / no body.
        let training = replica.dataRoot.appendingPathComponent("output/x.png").path
        let denied = try await replica.post("/api/caption/get", ["imgPath": .string(training)])
        #expect(denied.status == 403)
        #expect(denied.text == "Access denied")
        #expect(denied.headers["Content-Type"] == "text/plain;charset=UTF-8")
        let notJSON = try await replica.request("POST", "/api/caption/get", headers: [("Content-Type", "application/json")], body: Array("{".utf8))
        #expect(notJSON.status == 499)
        #expect(try await replica.post("/api/caption/getBatch", ["imgPaths": [.string(training)]]).json == ["captions": [:]])
        // files/delete: plain-text errors, the path percent-decoded.
        let cases: [(JSON, Int, String)] = [
            ([:], 400, "filePath is required"), (["filePath": "/etc/hostname"], 403, "Access denied"),
            (["filePath": .string(folder + "/none.png")], 404, "File not found"), (["filePath": .string(folder)], 400, "Not a file"),
        ]
        for (body, status, text) in cases {
            let answer = try await replica.post("/api/files/delete", body)
            #expect(answer.status == status && answer.text == text, "\(body)")
        }
        #expect(try await replica.post("/api/files/delete", ["filePath": .string(folder.replacingOccurrences(of: "/cats", with: "/%63ats") + "/a.png")]).json == ["success": true])
        #expect(!FileManager.default.fileExists(atPath: folder + "/a.png"))
        await replica.stop()
    }

    @Test func zipPacksCaptionsAndSamplesWhereFilesServesThem() async throws {
        let replica = try await TestReplica.start()
        _ = try await ReplicaDatasetTests.upload(replica, dataset: "cats", files: [("a.png", ReplicaDatasetTests.png)])
        let noCaptions = try await replica.post("/api/zip", ["zipTarget": "dataset_captions", "datasetName": "cats"])
        #expect(noCaptions.status == 404)
        #expect(noCaptions.json == ["error": "No captions found"])
        let folder = replica.dataRoot.appendingPathComponent("datasets/cats")
        for name in ["a.txt", "b.json", "c.caption"] { try Data("c".utf8).write(to: folder.appendingPathComponent(name)) }
        let captions = try #require(try await replica.post("/api/zip", ["zipTarget": "dataset_captions", "datasetName": "cats"]).json)
        #expect(captions["fileName"] == "cats_captions.zip")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try #require(captions["zipPath"]?.stringValue)))
        for entry in ["cats/a.txt", "cats/b.json", "cats/c.caption"] { #expect(bytes.range(of: Data(entry.utf8)) != nil, "\(entry)") }
        #expect(bytes.range(of: Data("a.png".utf8)) == nil)
        #expect(try await replica.post("/api/zip", ["zipTarget": "dataset", "datasetName": "dogs"]).json == ["error": "Dataset 'dogs' not found"])
        #expect(try await replica.post("/api/zip", ["zipTarget": "dataset"]).json == ["error": "datasetName is required"])
        #expect(try await replica.post("/api/zip", ["zipTarget": "samples"]).json == ["error": "jobName is required"])
        let noSamples = try await replica.post("/api/zip", ["zipTarget": "samples", "jobName": "none"])
        #expect(noSamples.status == 500 && noSamples.text == "Internal Server Error")
        let samples = replica.dataRoot.appendingPathComponent("output/job/samples")
        try FileManager.default.createDirectory(at: samples, withIntermediateDirectories: true)
        try Data(ReplicaDatasetTests.png).write(to: samples.appendingPathComponent("1.png"))
        let zipped = try #require(try await replica.post("/api/zip", ["zipTarget": "samples", "jobName": "job"]).json)
        #expect(zipped["zipPath"]?.stringValue == replica.dataRoot.appendingPathComponent("output/job/samples.zip").path)
        #expect(zipped["fileName"] == "samples.zip")
        let served = try await replica.get("/api/files/\(FileRoutesEncoding.component(replica.dataRoot.appendingPathComponent("output/job").path))/samples.zip")
        #expect(served.status == 200)
        #expect(Data(served.body).range(of: Data("samples/1.png".utf8)) != nil)
        await replica.stop()
    }

    @Test func imageUploadIsPublicAndSavesUnderTheDataRoot() async throws {
        let replica = try await TestReplica.start()
        let form = TestReplica.multipart(fields: [], files: [(field: "files", name: "ctrl.png", type: "image/png", bytes: ReplicaDatasetTests.png)])
        let response = try await loopbackRequest(port: replica.port, "POST", "/api/img/upload", headers: [("Content-Type", form.contentType)], body: form.body)
        #expect(response.status == 200, "public: no token needed")
        #expect(response.json?["message"] == "Files uploaded successfully")
        let path = try #require(response.json?["files"]?[0]?.stringValue)
        #expect(path.hasPrefix(replica.dataRoot.appendingPathComponent("images").path + "/") && path.hasSuffix(".png"))
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == ReplicaDatasetTests.png)
        let served = try await loopbackRequest(port: replica.port, "GET", "/api/img/\(FileRoutesEncoding.component(URL(fileURLWithPath: path).deletingLastPathComponent().path))/\(URL(fileURLWithPath: path).lastPathComponent)")
        #expect(served.body == ReplicaDatasetTests.png)
        let empty = TestReplica.multipart(fields: [("x", "y")], files: [])
        let none = try await loopbackRequest(port: replica.port, "POST", "/api/img/upload", headers: [("Content-Type", empty.contentType)], body: empty.body)
        #expect(none.status == 400)
        #expect(none.json == ["error": "No files provided"])
        await replica.stop()
    }

    @Test func albumArtComesOutOfTheID3TagAndNeedsTheToken() async throws {
        let replica = try await TestReplica.start()
        _ = try await replica.post("/api/datasets/create", ["name": "songs"])
        let folder = replica.dataRoot.appendingPathComponent("datasets/songs")
        let picture = ReplicaDatasetTests.png + Array(repeating: 7, count: 80)
        // ID3v2.3: APIC = encoding 0, "image/png\0", picture type 3, description "\0", the image.
        let frame = [0] + Array("image/png".utf8) + [0, 3, 0] + picture
        let frameHeader = Array("APIC".utf8) + [UInt8(frame.count >> 24), UInt8((frame.count >> 16) & 0xFF), UInt8((frame.count >> 8) & 0xFF), UInt8(frame.count & 0xFF), 0, 0]
        let size = frameHeader.count + frame.count
        let tag = Array("ID3".utf8) + [3, 0, 0, UInt8((size >> 21) & 0x7F), UInt8((size >> 14) & 0x7F), UInt8((size >> 7) & 0x7F), UInt8(size & 0x7F)]
        try Data(tag + frameHeader + frame + [0xFF, 0xFB, 0, 0]).write(to: folder.appendingPathComponent("song.mp3"))
        try Data([0xFF, 0xFB, 0, 0]).write(to: folder.appendingPathComponent("bare.mp3"))
        let target = "/api/audio/art/\(FileRoutesEncoding.component(folder.path))/song.mp3"
        #expect(try await loopbackRequest(port: replica.port, "GET", target).status == 401)
        let art = try await replica.get(target)
        #expect(art.status == 200)
        #expect(art.body == picture)
        #expect(art.headers["Content-Type"] == "image/png")
        #expect(art.headers["Cache-Control"] == "public, max-age=604800, immutable")
        #expect(try await replica.get("/api/audio/art/\(FileRoutesEncoding.component(folder.path + "/song.mp3"))").body == picture, "the legacy one-segment form")
        let bare = try await replica.get("/api/audio/art/\(FileRoutesEncoding.component(folder.path))/bare.mp3")
        #expect(bare.status == 404 && bare.text == "No ID3 tag")
        #expect(try await replica.get("/api/audio/art/%2Fetc/hostname").status == 403)
        #expect(try await replica.get("/api/audio/art/\(FileRoutesEncoding.component(folder.path))/none.mp3").text == "File not found")
        await replica.stop()
    }

    @Test func monitorHistoryIsSlimAndMemoryIsInMegabytes() async throws {
        let replica = try await TestReplica.start()
        try await Task.sleep(for: .milliseconds(300))
        let connection = try await LoopbackHTTPConnection.open(port: replica.port)
        try await connection.send(LoopbackHTTPConnection.requestBytes("GET", "/api/monitor", headers: replica.authHeaders))
        _ = try await connection.readHead()
        let initial = try #require(try await ReplicaSystemTests.readEvents(connection, count: 1).first?.data)
        let history = try #require(initial["history"]?.arrayValue)
        #expect(history.count >= 6 && history.count <= 240, "one point a 50 ms tick since the replica started")
        let point = try #require(history.last)
        #expect(point.objectValue?.keys.sorted() == ["cpu", "gpus", "t"])
        #expect(point["cpu"]?.objectValue?.keys.sorted() == ["load", "memUsedMb"])
        #expect(point["gpus"]?[0]?.objectValue?.keys.sorted() == ["load", "memUsedMb"])
        let total = try #require(initial["cpu"]?["totalMemory"]?.doubleValue)
        #expect(total > 1000 && total < 1_000_000, "MB, not bytes: \(total)")
        #expect(initial["gpu"]?["isMac"] == false)
        let cpu = try #require(try await replica.get("/api/cpu").json)
        #expect((cpu["availableMemory"]?.doubleValue ?? .infinity) < total)
        #expect(try await replica.get("/api/cpu").json == cpu, "cached for 5 s")
        let gpu = try #require(try await replica.get("/api/gpu").json)
        #expect(gpu.objectValue?.keys.sorted() == ["gpus", "hasNvidiaSmi"], "no isMac on Linux")
        await replica.stop()
        let noGPU = try await TestReplica.start { $0.hasGPU = false }
        #expect(try await noGPU.get("/api/gpu").json == ["hasNvidiaSmi": false, "isMac": false, "gpus": [], "error": "nvidia-smi not found or not accessible"])
        await noGPU.stop()
    }

    @Test func scriptsCheckTheNameAndAnswerTheRealShapes() async throws {
        let replica = try await TestReplica.start()
        for name in ["caption", "../x.py", "nope.py", ".x.py"] {
            let refused = try await replica.post("/api/scripts", ["script": .string(name)])
            #expect(refused.status == 400, "\(name)")
            #expect(refused.json == ["error": "Invalid or unknown script. Must be a *.py file inside ui_scripts/."])
        }
        #expect(try await replica.post("/api/scripts", ["script": "test_script.py", "args": 3]).json == ["error": "args must be an array or object"])
        let buffered = try #require(try await replica.post("/api/scripts", ["script": "test_script.py", "args": ["message": "hi", "count": 2]]).json)
        #expect(buffered == [
            "ok": true, "exitCode": 0, "signal": .null, "stdout": "[1/2] hi\n[2/2] hi\n{\"message\": \"hi\", \"count\": 2, \"ok\": true}\n",
            "stderr": "", "result": ["message": "hi", "count": 2, "ok": true], "timedOut": false,
        ])
        let failed = try await replica.post("/api/scripts", ["script": "test_script.py", "args": ["--fail"]])
        #expect(failed.status == 500)
        #expect(failed.json?["exitCode"] == 1)
        #expect(failed.json?["stderr"] == "intentional failure\n")
        await replica.stop()
    }

    @Test func settingsHoldNoTokenUntilOneIsSaved() async throws {
        let replica = try await TestReplica.start()
        #expect(try await replica.get("/api/settings").json?["HF_TOKEN"] == nil)
        _ = try await replica.post("/api/settings", ["HF_TOKEN": "hf_y"])
        #expect(try await replica.get("/api/settings").json?["HF_TOKEN"] == "hf_y")
        await replica.stop()
    }
}
