import Foundation
import JSONCore
import Recording

/// A synthetic capture of the AI Toolkit UI: login, datasets, uploads, a job started and stopped,
/// log polling, checkpoints, downloads, thumbnails, the monitor stream and the dev-server socket.
/// `version` selects the UI as of 2025-10 (one upload request for all files, whole-log polling,
/// `/api/gpu` polling, `listImages` with `{img_path}` objects) or of 2026-08 (the reference).
enum AIToolkitSession {
    enum Version { case october2025, august2026 }

    static let jobIDs = ["5f0c1d2e-8a3b-4c5d-9e6f-0a1b2c3d4e5f", "b7e4a2c1-3d5f-4e6a-8b9c-1d2e3f4a5b6c"]
    static let dataset = "discover_r7k2"
    static let datasetsFolder = "/data/datasets"
    static let trainingFolder = "/data/output"

    static func job(_ index: Int, status: String, step: Int = 0, name: String? = nil) -> JSON {
        [
            "id": .string(jobIDs[index]), "name": .string(name ?? "lora_\(index + 1)"), "gpu_ids": "0",
            "job_config": .string(#"{"job":"extension","config":{"name":"lora"}}"#),
            "created_at": "2026-11-26T19:20:00.000Z", "updated_at": "2026-11-26T19:21:00.000Z",
            "status": .string(status), "stop": false, "return_to_queue": false, "step": .integer(step),
            "total_steps": index == 0 ? 500 : nil, "info": .string(status == "queued" ? "Job queued" : ""), "speed_string": "",
            "queue_position": .integer(index), "pid": status == "running" ? 4242 : nil, "job_type": "train", "job_ref": nil,
            "save_now": false, "sample_now": false,
        ]
    }

    static func gpuInfo(_ t: Int) -> JSON {
        ["hasNvidiaSmi": true, "isMac": false, "gpus": [["index": 0, "name": "NVIDIA RTX 4090", "temperature": .integer(40 + t % 5), "utilization": .integer(t % 100)]]]
    }

    static func build(_ version: Version) -> [Exchange] {
        let s = SessionBuilder()
        let authOn = true
        // The page shell, before login.
        s.http("GET", "/", response: nil, responseText: "<!doctype html>", responseType: "text/html", resourceType: "Document")
        s.http("GET", "/_next/static/chunks/main-abc123.js", responseText: "console.log(1)", responseType: "application/javascript", resourceType: "Script", isStatic: true)
        s.http("GET", "/_next/static/css/app.css", responseText: "body{}", responseType: "text/css", resourceType: "Stylesheet", isStatic: true)
        s.websocket("/_next/webpack-hmr", messages: [
            (.received, ["action": "sync", "hash": "abc", "errors": [], "warnings": []]),
            (.received, ["action": "built", "hash": "abd"]),
            (.sent, ["event": "ping", "page": "/dashboard"]),
            (.sent, ["event": "ping", "page": "/datasets"]),
        ])
        if version == .august2026 {
            for _ in 0..<3 {
                s.sse("/api/monitor", status: 401, events: [], every: 0.5, errorBody: ["error": "Unauthorized"])
                s.advance(2)
            }
        }
        if authOn {
            s.http("GET", "/api/auth", status: 401, response: ["error": "Unauthorized"])
        }

        // 01-login
        s.step = Provenance(flow: "01-login.flow.json", step: 3, description: #"click role=button "Check Password""#)
        s.token = "[REDACTED]"
        s.http("GET", "/api/auth", response: ["isAuthenticated": true])
        s.step = Provenance(flow: "01-login.flow.json", step: 4, description: #"waitFor text "Dashboard""#)
        if version == .august2026 {
            var events: [(String, JSON)] = [("init", ["t": 1000, "cpu": nil, "gpu": gpuInfo(0), "history": []])]
            for t in 1...20 { events.append(("sample", ["t": .integer(1000 + t * 500), "cpu": ["load": .number(0.5 + Double(t) / 100)], "gpu": gpuInfo(t)])) }
            s.sse("/api/monitor", events: events, every: 0.5)
        }
        s.http("GET", "/api/ostris_cloud", response: ["enabled": false])
        pollBackground(s, version, seconds: 12, jobs: [])

        // 02-create-dataset
        s.step = Provenance(flow: "02-create-dataset.flow.json", step: 1, description: #"goto "/datasets""#)
        s.http("GET", "/api/datasets/list", response: [])
        s.step = Provenance(flow: "02-create-dataset.flow.json", step: 4, description: #"click role=button "Create""#)
        s.http("POST", "/api/datasets/create", request: ["name": "Discover R7K2"], response: ["success": true, "name": .string(dataset)])
        s.step = Provenance(flow: "02-create-dataset.flow.json", step: 5, description: #"waitFor text "Dataset: \#(dataset)""#)
        s.http("GET", "/api/settings", response: ["TRAINING_FOLDER": .string(trainingFolder), "DATASETS_FOLDER": .string(datasetsFolder), "MODELS_PATH": "/data/models", "HF_TOKEN": ""])
        s.http("POST", "/api/datasets/listImages", request: ["datasetName": .string(dataset)], response: listImages(version, []))
        s.http("GET", "/api/jobs?job_ref=\(enc(datasetsFolder + "/" + dataset))", response: ["jobs": []])
        s.step = Provenance(flow: "02-create-dataset.flow.json", step: 7, description: #"upload css=input[type=file] 3 files"#)
        let files = ["cat 1.png", "cat_2.png", "dog.jpg"]
        if version == .august2026 {
            for file in files {
                s.http("POST", "/api/datasets/upload", multipart: [
                    MultipartPart(name: "files", filename: file, contentType: file.hasSuffix("png") ? "image/png" : "image/jpeg", size: 20_000),
                    MultipartPart(name: "datasetName", size: dataset.utf8.count, value: dataset),
                ], responseHeadersJSON: ["message": "Files uploaded successfully", "files": [.string(saved(file))]])
            }
        } else {
            s.http("POST", "/api/datasets/upload", multipart: files.map {
                MultipartPart(name: "files", filename: $0, contentType: $0.hasSuffix("png") ? "image/png" : "image/jpeg", size: 20_000)
            } + [MultipartPart(name: "datasetName", size: dataset.utf8.count, value: dataset)],
            responseHeadersJSON: ["message": "Files uploaded successfully", "files": .array(files.map { .string(saved($0)) })])
        }
        s.http("POST", "/api/datasets/listImages", request: ["datasetName": .string(dataset)], response: listImages(version, files.map(saved)))
        for file in files.map(saved) {
            s.http("GET", "/api/img/\(enc(datasetsFolder + "/" + dataset))/\(enc(file))?thumb=1", responseText: "PNGDATA", responseType: "image/png",
                   resourceType: "Image", isStatic: true, responseHeaders: [Header(name: "Cache-Control", value: "public, max-age=86400, immutable")])
        }
        let paths = files.map { JSON.string(datasetsFolder + "/" + dataset + "/" + saved($0)) }
        s.http("POST", "/api/caption/getBatch", request: ["imgPaths": .array(paths)], response: ["captions": .object(Dictionary(uniqueKeysWithValues: paths.map { ($0.stringValue!, JSON.string("")) }))])
        s.step = Provenance(flow: "02-create-dataset.flow.json", step: 9, description: #"fill css=textarea "a cat""#)
        s.http("POST", "/api/img/caption", request: ["imgPath": paths[0], "caption": "a cat"], response: ["success": true])
        s.http("POST", "/api/caption/get", request: ["imgPath": paths[0]], responseText: "a cat", responseType: "text/plain")
        pollBackground(s, version, seconds: 6, jobs: [])

        // 03-create-job
        s.step = Provenance(flow: "03-create-job.flow.json", step: 1, description: #"goto "/jobs/new""#)
        s.http("GET", "/api/settings", response: ["TRAINING_FOLDER": .string(trainingFolder), "DATASETS_FOLDER": .string(datasetsFolder), "MODELS_PATH": "/data/models", "HF_TOKEN": "hf_abc"])
        s.http("GET", "/api/datasets/list", response: [.string(dataset)])
        s.step = Provenance(flow: "03-create-job.flow.json", step: 8, description: #"click role=button "Create Job""#)
        let config: JSON = ["job": "extension", "config": ["name": "lora_1", "process": [["type": "diffusion_trainer", "training_folder": .string(trainingFolder), "datasets": [["folder_path": .string(datasetsFolder + "/" + dataset)]], "train": ["steps": 500, "lr": 0.0001]]]], "meta": ["name": "[name]", "version": "1.0"]]
        s.http("POST", "/api/jobs", request: ["id": nil, "name": "lora_1", "gpu_ids": "0", "job_config": config], response: job(0, status: "stopped"))
        s.http("POST", "/api/jobs", status: 409, request: ["id": nil, "name": "lora_1", "gpu_ids": "0", "job_config": config], response: ["error": "Job name already exists"])
        s.step = Provenance(flow: "03-create-job.flow.json", step: 10, description: #"click role=button "Start""#)
        s.http("GET", "/api/jobs/\(jobIDs[0])/start", response: job(0, status: "stopped"))
        s.http("GET", "/api/queue/0/start", response: ["id": 1, "gpu_ids": "0", "is_running": true])
        s.step = Provenance(flow: "03-create-job.flow.json", step: 11, description: #"waitFor text "Training""#)
        var offset = 0
        for round in 0..<8 {
            s.http("GET", "/api/jobs?id=\(jobIDs[0])", response: job(0, status: round < 2 ? "queued" : "running", step: round * 50))
            if version == .august2026 {
                let chunk = "step \(round * 50): loss 0.\(round + 1)\n"
                let query = round == 0 ? "" : "?offset=\(offset)"
                s.http("GET", "/api/jobs/\(jobIDs[0])/log\(query)", response: ["log": .string(chunk), "offset": .integer(offset + chunk.utf8.count), "reset": .bool(round == 0)])
                offset += chunk.utf8.count
            } else {
                s.http("GET", "/api/jobs/\(jobIDs[0])/log", response: ["log": .string((0...round).map { "step \($0 * 50)\n" }.joined())])
            }
            let checkpoints: [JSON] = round < 5 ? [] : [["path": .string("\(trainingFolder)/lora_1/lora_1_000000250.safetensors"), "size": 171_000_000]]
            s.http("GET", "/api/jobs/\(jobIDs[0])/files", response: ["files": .array(checkpoints)])
            s.advance(2)
            if version == .october2025 { s.http("GET", "/api/gpu", response: gpuInfo(round), background: true) }
        }
        s.http("GET", "/api/jobs/\(jobIDs[0])/samples", response: ["samples": [.string("\(trainingFolder)/lora_1/samples/1_000000050_0.jpg")]])
        s.http("GET", "/api/jobs/\(jobIDs[0])/loss?key=loss&limit=500", response: ["key": "loss", "keys": ["loss"], "points": [["step": 50, "wall_time": 1790000100.5, "value": 0.12]]])
        s.step = Provenance(flow: "03-create-job.flow.json", step: 14, description: #"download role=link "lora_1_000000250.safetensors""#)
        s.http("GET", "/api/files/\(enc(trainingFolder + "/lora_1"))/lora_1_000000250.safetensors", responseType: "application/octet-stream", resourceType: "Document",
               responseHeaders: [Header(name: "Content-Disposition", value: #"attachment; filename="lora_1_000000250.safetensors""#), Header(name: "Accept-Ranges", value: "bytes")],
               download: Download(suggestedFilename: "lora_1_000000250.safetensors", path: "downloads/lora_1_000000250.safetensors", size: 171_000_000, state: .completed))
        s.step = Provenance(flow: "03-create-job.flow.json", step: 15, description: #"click role=button "Stop Job""#)
        s.http("GET", "/api/jobs/\(jobIDs[0])/stop", response: job(0, status: "running", step: 400))
        s.http("GET", "/api/jobs/\(jobIDs[0])/mark_stopped", response: job(0, status: "stopped", step: 400))
        s.http("GET", "/api/queue/0/stop", response: ["id": 1, "gpu_ids": "0", "is_running": false])

        // 04-queue
        s.step = Provenance(flow: "04-queue.flow.json", step: 1, description: #"goto "/jobs""#)
        s.http("GET", "/api/queue", response: ["queues": [["id": 1, "gpu_ids": "0", "is_running": false]]])
        s.http("GET", "/api/jobs", response: ["jobs": [job(0, status: "stopped", step: 400)]])
        s.step = Provenance(flow: "04-queue.flow.json", step: 3, description: #"click role=button "Clone Job""#)
        s.http("POST", "/api/jobs", request: ["id": nil, "name": "lora_2", "gpu_ids": "0", "job_config": config], response: job(1, status: "stopped", name: "lora_2"))
        s.http("GET", "/api/jobs/\(jobIDs[1])/save_now", response: job(1, status: "stopped", name: "lora_2"))
        s.http("GET", "/api/jobs/\(jobIDs[1])/sample_now", response: job(1, status: "stopped", name: "lora_2"))
        s.step = Provenance(flow: "04-queue.flow.json", step: 5, description: #"click role=button "Delete""#)
        s.http("GET", "/api/jobs/\(jobIDs[1])/delete", response: job(1, status: "stopped", name: "lora_2"))
        s.http("GET", "/api/jobs/\(jobIDs[1])/start", status: 404, response: ["error": "Job not found"])

        // 05-settings and cleanup
        s.step = Provenance(flow: "05-settings.flow.json", step: 2, description: #"click role=button "Save Settings""#)
        s.http("POST", "/api/settings", request: ["HF_TOKEN": "<redacted>", "TRAINING_FOLDER": .string(trainingFolder), "DATASETS_FOLDER": .string(datasetsFolder), "MODELS_PATH": "/data/models"], response: ["success": true])
        s.step = Provenance(flow: "06-cleanup.flow.json", step: 2, description: #"click role=button "Delete""#)
        s.http("POST", "/api/zip", request: ["zipTarget": "dataset", "datasetName": .string(dataset)], response: ["ok": true, "zipPath": .string("/tmp/\(dataset).zip"), "fileName": .string("\(dataset).zip")])
        s.http("POST", "/api/img/delete", request: ["imgPath": paths[2]], response: ["success": true])
        s.http("POST", "/api/files/delete", request: ["filePath": .string("\(trainingFolder)/lora_1/lora_1_000000250.safetensors")], response: ["success": true])
        s.http("POST", "/api/datasets/delete", request: ["name": .string(dataset)], response: ["success": true])
        s.ndjson("/api/scripts", request: ["script": "caption", "args": ["--all"], "stream": true], lines: [
            ["type": "stdout", "data": "captioning 3 images\n"], ["type": "stderr", "data": "warning: slow\n"],
            ["type": "stdout", "data": "done\n"], ["type": "exit", "code": 0],
        ])
        s.step = nil
        pollBackground(s, version, seconds: 10, jobs: [job(0, status: "stopped", step: 400)])
        return s.exchanges
    }

    /// What every page does on a timer: active jobs every 5 s, the cloud flag every 60 s.
    static func pollBackground(_ s: SessionBuilder, _ version: Version, seconds: Int, jobs: [JSON]) {
        let step = s.step
        s.step = nil
        for tick in 0..<seconds {
            if tick % 5 == 0 { s.http("GET", "/api/jobs?only_active=true", response: ["jobs": .array(jobs)], background: true) }
            if version == .october2025 { s.http("GET", "/api/gpu", response: gpuInfo(tick), background: true) }
            s.advance(1)
        }
        s.step = step
    }

    static func listImages(_ version: Version, _ files: [String]) -> JSON {
        let full = files.map { datasetsFolder + "/" + dataset + "/" + $0 }
        switch version {
        case .august2026: return ["root": .string(datasetsFolder + "/" + dataset + "/"), "images": .array(files.map(JSON.string))]
        case .october2025: return ["images": .array(full.map { ["img_path": .string($0)] })]
        }
    }

    static func saved(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
    }

    static func enc(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.!~*'()"))) ?? text
    }
}

extension SessionBuilder {
    /// An upload answered with JSON.
    @discardableResult
    func http(_ method: String, _ path: String, multipart: [MultipartPart], responseHeadersJSON response: JSON) -> Exchange {
        http(method, path, response: response, multipart: multipart, duration: 0.2)
    }
}
