import Foundation
import JSONCore
import Recording
import TestSupport
import Wire

@testable import Discovery

/// Calls the replica's API the way its UI does (the same requests, in the same order, with the same
/// headers) and records each call as an `Exchange` with the replica's real answers: discovery tested
/// on real traffic without a browser.
final class ReplicaTraffic: @unchecked Sendable {
    let replica: TestReplica
    let oldUI: Bool
    private(set) var exchanges: [Exchange] = []
    private var step: Provenance?

    init(replica: TestReplica, oldUI: Bool) {
        self.replica = replica
        self.oldUI = oldUI
    }

    @discardableResult
    func call(
        _ method: String, _ target: String, json: JSON? = nil, parts: [(field: String, name: String?, type: String?, value: String)] = [],
        authorized: Bool = true, resourceType: String = "XHR"
    ) async throws -> LoopbackHTTPConnection.Response {
        var headers: [(String, String)] = [("Accept", "application/json, text/plain, */*")]
        if authorized, let password = replica.password { headers.append(("Authorization", "Bearer \(password)")) }
        var body: [UInt8] = []
        var recordedBody: Body?
        if let json {
            let text = json.serialized()
            headers.append(("Content-Type", "application/json"))
            body = Array(text.utf8)
            recordedBody = Body(size: body.count, mimeType: "application/json", text: text)
        } else if !parts.isEmpty {
            let form = TestReplica.multipart(
                fields: parts.filter { $0.name == nil }.map { ($0.field, $0.value) },
                files: parts.filter { $0.name != nil }.map { ($0.field, $0.name!, $0.type ?? "application/octet-stream", Array($0.value.utf8)) })
            headers.append(("Content-Type", form.contentType))
            body = form.body
            recordedBody = Body(size: body.count, mimeType: form.contentType, multipart: parts.map {
                MultipartPart(name: $0.field, filename: $0.name, contentType: $0.type, size: $0.value.utf8.count, value: $0.name == nil ? $0.value : nil)
            })
        }
        let started = Date().timeIntervalSince1970
        let response = try await loopbackRequest(port: replica.port, method, target, headers: headers, body: body)
        let responseHeaders = response.headers.fields.map { Header(name: $0.name, value: $0.value) }
        let mime = headerValue(responseHeaders, "content-type")
        let textual = mime.map { $0.contains("json") || $0.hasPrefix("text/") } ?? false
        exchanges.append(Exchange(
            id: "r\(exchanges.count + 1)", method: method, url: replica.baseURL + target, resourceType: resourceType,
            startedAt: started, endedAt: Date().timeIntervalSince1970,
            request: Request(headers: headers.map { Header(name: $0.0, value: $0.1) }, body: recordedBody),
            response: Response(
                status: response.status, headers: responseHeaders, mimeType: mime,
                body: Body(size: response.body.count, mimeType: mime, encoding: textual ? .text : .base64, text: textual ? response.text : nil)),
            provenance: step))
        return response
    }

    /// Opens `/api/monitor`, keeps the first `events` server-sent events, and hangs up.
    func monitor(events wanted: Int) async throws {
        var headers: [(String, String)] = [("Accept", "text/event-stream")]
        if let password = replica.password { headers.append(("Authorization", "Bearer \(password)")) }
        let started = Date().timeIntervalSince1970
        let connection = try await LoopbackHTTPConnection.open(port: replica.port, sending: LoopbackHTTPConnection.requestBytes("GET", "/api/monitor", headers: headers))
        let head = try await connection.readHead()
        var text = ""
        var messages: [StreamMessage] = []
        while messages.count < wanted, let chunk = try await connection.readChunk() {
            text += String(decoding: chunk, as: UTF8.self)
            while let end = text.range(of: "\n\n") {
                let block = text[..<end.lowerBound]
                text = String(text[end.upperBound...])
                var event = "message"
                var data: [String] = []
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event:") { event = line.dropFirst(6).trimmingCharacters(in: .whitespaces) }
                    if line.hasPrefix("data:") { data.append(line.dropFirst(5).trimmingCharacters(in: .whitespaces)) }
                }
                if !data.isEmpty {
                    messages.append(StreamMessage(direction: .received, time: Date().timeIntervalSince1970, event: event, data: data.joined(separator: "\n")))
                }
            }
        }
        let headerList = head.headers.fields.map { Header(name: $0.name, value: $0.value) }
        exchanges.append(Exchange(
            id: "r\(exchanges.count + 1)", kind: .stream, method: "GET", url: replica.baseURL + "/api/monitor", resourceType: "Fetch",
            startedAt: started, request: Request(headers: headers.map { Header(name: $0.0, value: $0.1) }),
            response: Response(status: head.status, headers: headerList, mimeType: headerValue(headerList, "content-type")),
            messages: messages, streamOpen: false, provenance: step))
    }

    func at(_ flow: String, _ number: Int, _ description: String) {
        step = Provenance(flow: flow, step: number, description: description)
    }

    static func enc(_ text: String) -> String { AIToolkitSession.enc(text) }

    /// The UI's calls for: login, a dataset with two images, a job trained to its first checkpoint, cleanup.
    /// `oldUI` makes the calls of the real UI at c9843692 (files under `ui/src/` named where they differ).
    func runSession() async throws {
        at("01-login", 1, #"goto "/dashboard""#)
        try await call("GET", "/api/auth", authorized: false)
        at("01-login", 3, #"click role=button "Check Password""#)
        try await call("GET", "/api/auth")
        if oldUI {
            // components/GPUMonitor.tsx polls every second; components/JobsTable.tsx lists all jobs
            // (hooks/useJobsList.tsx has no only_active query) and reads the GPUs once.
            for _ in 0..<3 { try await call("GET", "/api/gpu") }
            try await call("GET", "/api/jobs")
        } else {
            try await monitor(events: 3)
            try await call("GET", "/api/jobs?only_active=true")
            try await call("GET", "/api/ostris_cloud")
        }

        at("02-create-dataset", 4, #"click role=button "Create""#)
        try await call("GET", "/api/datasets/list")
        let created = try await call("POST", "/api/datasets/create", json: ["name": "Replica Traffic"])
        let dataset = created.json?["name"]?.stringValue ?? "replica_traffic"
        at("02-create-dataset", 5, #"waitFor url "**/datasets/*""#)
        let settings = try await call("GET", "/api/settings")
        let datasetsFolder = settings.json?["DATASETS_FOLDER"]?.stringValue ?? "/"
        try await call("POST", "/api/datasets/listImages", json: ["datasetName": .string(dataset)])
        at("02-create-dataset", 10, #"upload "fixtures/*.png""#)
        let images = [("a.png", "PNG-A"), ("b.png", "PNG-B")]
        if oldUI {
            try await call("POST", "/api/datasets/upload", parts: images.map { ("files", $0.0, "image/png", $0.1) } + [("datasetName", nil, nil, dataset)])
        } else {
            for image in images {
                try await call("POST", "/api/datasets/upload", parts: [("files", image.0, "image/png", image.1), ("datasetName", nil, nil, dataset)])
            }
        }
        let listed = try await call("POST", "/api/datasets/listImages", json: ["datasetName": .string(dataset)])
        let folder = datasetsFolder + "/" + dataset
        let paths = images.map { JSON.string(folder + "/" + $0.0) }
        if oldUI {
            // components/DatasetImageCard.tsx: `/api/img/${encodeURIComponent(imageUrl)}`, and each card
            // fetches its own caption.
            for path in paths {
                try await call("GET", "/api/img/\(Self.enc(path.stringValue ?? ""))", authorized: false, resourceType: "Image")
                try await call("POST", "/api/caption/get", json: ["imgPath": path])
            }
        } else {
            for (name, _) in images {
                try await call("GET", "/api/img/\(Self.enc(folder))/\(Self.enc(name))?thumb=1", authorized: false, resourceType: "Image")
            }
            try await call("POST", "/api/caption/getBatch", json: ["imgPaths": .array(paths)])
        }
        try await call("POST", "/api/img/caption", json: ["imgPath": paths[0], "caption": "a test image"])
        try await call("POST", "/api/caption/get", json: ["imgPath": paths[0]])
        _ = listed

        at("03-create-job", 10, #"click role=button "Create Job""#)
        let config: JSON = ["job": "extension", "config": ["name": "traffic_job", "process": [["type": "diffusion_trainer", "datasets": [["folder_path": .string(folder)]], "train": ["steps": 100]]]]]
        let job = try await call("POST", "/api/jobs", json: ["id": nil, "name": "traffic_job", "gpu_ids": "0", "job_config": config])
        let id = job.json?["id"]?.stringValue ?? "missing"
        at("04-start-job", 3, #"click role=button has(css=svg.lucide-play)"#)
        try await call("GET", "/api/jobs/\(id)/start")
        try await call("GET", "/api/queue/0/start")
        at("05-wait-checkpoint", 2, #"waitFor css=a[href*='/api/files/']"#)
        var offset: Int?
        var checkpoint: String?
        // At least two polls, as the UI makes while the page is open: the second /log asks with ?offset=.
        for round in 0..<100 where checkpoint == nil || round < 2 {
            try await call("GET", "/api/jobs?id=\(id)")
            let log = try await call("GET", "/api/jobs/\(id)/log" + (offset.map { "?offset=\($0)" } ?? ""))
            if !oldUI { offset = log.json?["offset"]?.intValue }
            let files = try await call("GET", "/api/jobs/\(id)/files")
            // components/JobOverview.tsx at c9843692 polls the GPU and CPU widgets every 5 s.
            if oldUI && round == 0 {
                try await call("GET", "/api/gpu")
                try await call("GET", "/api/cpu")
            }
            checkpoint = files.json?["files"]?[0]?["path"]?.stringValue
            if checkpoint == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        if let checkpoint {
            let url = URL(fileURLWithPath: checkpoint)
            at("05-wait-checkpoint", 3, #"download css=a[href*='/api/files/']"#)
            // components/FilesWidget.tsx at c9843692: `/api/files/${encodeURIComponent(file.path)}`.
            let target = oldUI ? Self.enc(checkpoint) : "\(Self.enc(url.deletingLastPathComponent().path))/\(Self.enc(url.lastPathComponent))"
            try await call("GET", "/api/files/\(target)", authorized: false, resourceType: "Document")
        }
        try await call("GET", "/api/jobs/\(id)/samples")
        // jobs/[jobID]/loss/route.ts is not at c9843692.
        if !oldUI { try await call("GET", "/api/jobs/\(id)/loss?key=loss&limit=100") }

        at("90-cleanup", 1, #"goto "/jobs""#)
        try await call("GET", "/api/queue")
        try await call("GET", "/api/jobs")
        try await call("GET", "/api/jobs/\(id)/stop")
        try await call("GET", "/api/queue/0/stop")
        at("90-cleanup", 5, #"click role=button "Delete""#)
        try await call("GET", "/api/jobs/\(id)/delete")
        try await call("POST", "/api/img/delete", json: ["imgPath": paths[1]])
        try await call("POST", "/api/datasets/delete", json: ["name": .string(dataset)])
    }
}
