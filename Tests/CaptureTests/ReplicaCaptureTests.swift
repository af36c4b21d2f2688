import Browser
import Foundation
import JSONCore
import Recording
import Testing
import TestSupport
import Wire
@testable import Capture

/// The recorder against the AI Toolkit replica: the traffic discovery will see on the real app.
@Suite(.serialized) struct ReplicaCaptureTests {
    static let password = "hunter2-replica-Pw"

    /// Logs in the way the UI keeps its token, then reloads so every request carries it.
    /// Stores the token from a page of the origin that runs no UI (the UI's monitor signs out on the
    /// 401 its first, token-less request gets, and could remove a token stored while that is out).
    static func logIn(_ page: Page, _ replica: TestReplica) async throws {
        try await page.goto(replica.baseURL + "/favicon.ico")
        _ = try await page.evaluate("localStorage.setItem('AI_TOOLKIT_AUTH', \(JSON.string(password).serialized())); true")
        try await page.goto(replica.baseURL + "/")
    }

    @Test func theMonitorStreamReadWithFetchIsCapturedWithItsEventNamesAndNoPassword() async throws {
        let capture = try await LiveCapture.runReplica(password: Self.password, secrets: [SecretValue(name: "AI_TOOLKIT_PASSWORD", value: Self.password)]) { page, replica, _ in
            try await Self.logIn(page, replica)
            try await Task.sleep(for: .milliseconds(600))
        }
        defer { capture.remove() }
        let monitor = try #require(capture.exchanges(path: "/api/monitor").last { $0.response?.status == 200 })
        #expect(monitor.kind == .stream)
        #expect(monitor.resourceType == "Fetch")
        #expect(monitor.streamOpen)
        #expect(monitor.request.headers.value(of: "Authorization") == "Bearer <redacted:AI_TOOLKIT_PASSWORD>")
        let events = monitor.messages.compactMap(\.event)
        #expect(events.first == "init")
        #expect(events.dropFirst().count >= 3 && events.dropFirst().allSatisfy { $0 == "sample" }, "\(events)")
        #expect(monitor.messages.allSatisfy { (try? JSON.parse($0.data))?.objectValue != nil })
        for url in try CaptureOutputsLiveTests.files(under: capture.folder) {
            let bytes = [UInt8](try Data(contentsOf: url))
            #expect(ByteSearch.find(Array(Self.password.utf8), in: bytes, from: 0) == nil, "\(url.lastPathComponent) holds the password")
        }
    }

    @Test func theHotReloadSocketIsCapturedWithFramesBothWays() async throws {
        let capture = try await LiveCapture.runReplica(devMode: true) { _, _, _ in
            // The UI pings every 5 s; the dev server answers each ping and announces rebuilds.
            try await Task.sleep(for: .milliseconds(5_500))
        }
        defer { capture.remove() }
        let socket = try #require(capture.exchanges(path: "/_next/webpack-hmr").first { $0.kind == .websocket })
        #expect(socket.response?.status == 101)
        let received = socket.messages.filter { $0.direction == .received }.compactMap { (try? JSON.parse($0.data))?["action"]?.stringValue }
        let sent = socket.messages.filter { $0.direction == .sent }.compactMap { (try? JSON.parse($0.data))?["event"]?.stringValue }
        #expect(received.first == "sync")
        #expect(received.contains("building") && received.contains("built"))
        #expect(sent.first == "ping")
        #expect(received.contains("pong"))
        #expect(socket.streamOpen)
        #expect(zip(socket.messages, socket.messages.dropFirst()).allSatisfy { $0.time <= $1.time })
    }

    @Test func theStreamsOfAPageThatNavigatedAwayAreClosedNotLeftOpen() async throws {
        let capture = try await LiveCapture.runReplica(devMode: true) { page, replica, _ in
            try await Task.sleep(for: .milliseconds(300))
            try await page.goto(replica.baseURL + "/datasets")
            try await Task.sleep(for: .milliseconds(300))
        }
        defer { capture.remove() }
        let sockets = capture.exchanges(path: "/_next/webpack-hmr").filter { $0.kind == .websocket }
        let monitors = capture.exchanges(path: "/api/monitor").filter { $0.kind == .stream }
        #expect(sockets.map(\.streamOpen) == [false, true])
        #expect(monitors.map(\.streamOpen) == [false, true])
        #expect(sockets.allSatisfy { $0.messages.first.flatMap { try? JSON.parse($0.data) }?["action"] == "sync" })
        #expect(sockets[0].endedAt.map { $0 < sockets[1].startedAt + 1 } == true)
    }

    @Test func anUploadToTheReplicaKeepsItsMultipartParts() async throws {
        let capture = try await LiveCapture.runReplica(password: Self.password) { page, replica, _ in
            try await Self.logIn(page, replica)
            _ = try await page.evaluate("""
                (async () => {
                  const auth = {'Authorization': 'Bearer ' + localStorage.getItem('AI_TOOLKIT_AUTH')};
                  await fetch('/api/datasets/create', {method: 'POST', headers: {...auth, 'Content-Type': 'application/json'}, body: JSON.stringify({name: 'faces'})});
                  const form = new FormData();
                  form.append('files', new Blob([new Uint8Array(1234)], {type: 'image/png'}), 'face_01.png');
                  form.append('datasetName', 'faces');
                  return await fetch('/api/datasets/upload', {method: 'POST', headers: auth, body: form}).then(r => r.json());
                })()
                """)
        }
        defer { capture.remove() }
        let upload = try #require(capture.exchanges(path: "/api/datasets/upload").first)
        #expect(upload.response?.status == 200)
        let parts = try #require(upload.request.body?.multipart)
        #expect(parts.map(\.name) == ["files", "datasetName"])
        #expect(parts[0].filename == "face_01.png" && parts[0].size == 1234 && parts[0].contentType == "image/png" && parts[0].value == nil)
        #expect(parts[1].value == "faces")
        #expect(upload.response?.body?.text?.contains("face_01.png") == true)
    }

    @Test func aLoRADownloadIsSavedWithTheBytesTheReplicaWrote() async throws {
        var written: [UInt8] = []
        let capture = try await LiveCapture.runReplica(password: nil) { page, replica, recorder in
            let job = try #require(try await replica.post("/api/jobs", [
                "id": .null, "name": "capture_lora", "gpu_ids": "0",
                "job_config": ["config": ["name": "capture_lora", "process": [["train": ["steps": 20], "save": ["save_every": 10]]]]],
            ]).json)
            let id = try #require(job["id"]?.stringValue)
            _ = try await replica.get("/api/jobs/\(id)/start")
            _ = try await replica.get("/api/queue/0/start")
            let deadline = ContinuousClock.now + .seconds(20)
            var path: String?
            while path == nil, ContinuousClock.now < deadline {
                let files = try await replica.get("/api/jobs/\(id)/files").json?["files"]?.arrayValue ?? []
                if try await replica.get("/api/jobs?id=\(id)").json?["status"] == "completed" {
                    path = files.compactMap { $0["path"]?.stringValue }.first { $0.hasSuffix("/capture_lora.safetensors") }
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let file = try #require(path, "the replica's job did not write capture_lora.safetensors within 20 s")
            written = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            _ = try await page.evaluate("""
                (() => {
                  const a = document.createElement('a');
                  a.href = '/api/files/' + \(JSON.string(file).serialized()).split('/').filter(Boolean).map(encodeURIComponent).join('/');
                  document.body.appendChild(a);
                  a.click();
                  return true;
                })()
                """)
            let saved = recorder.options.downloadsFolder.appendingPathComponent("capture_lora.safetensors")
            try await LiveCapture.waitFor("the LoRA saved as \(saved.path)") { FileManager.default.fileExists(atPath: saved.path) }
        }
        defer { capture.remove() }
        let exchange = try #require(capture.file.exchanges.first { $0.download != nil })
        let download = try #require(exchange.download)
        #expect(!written.isEmpty)
        #expect(download.sha256 == SHA256.hex(written))
        #expect(download.size == written.count)
        #expect(download.path == "downloads/capture_lora.safetensors")
        #expect(exchange.url.contains("/api/files/"))
        let saved = try Data(contentsOf: capture.folder.appendingPathComponent("downloads/capture_lora.safetensors"))
        #expect([UInt8](saved) == written)
    }
}
