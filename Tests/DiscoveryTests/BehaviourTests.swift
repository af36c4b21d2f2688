import Foundation
import JSONCore
import Recording
import Testing

@testable import Discovery

@Suite("What discovery learns from the AI Toolkit session")
struct BehaviourTests {
    static let api = Discovery.discover(from: AIToolkitSession.build(.august2026), options: DiscoveryOptions(appName: "AI Toolkit"))

    private func endpoint(_ key: String) throws -> DiscoveredEndpoint {
        try #require(Self.api.endpoints.first { $0.key == key }, "no endpoint \(key)")
    }

    @Test("operation names a person would choose")
    func operationNames() {
        let names = Dictionary(uniqueKeysWithValues: Self.api.endpoints.map { ($0.key, $0.operationName) })
        #expect(names["POST /api/datasets/create"] == "createDataset")
        #expect(names["GET /api/datasets/list"] == "listDatasets")
        #expect(names["POST /api/datasets/listImages"] == "listDatasetImages")
        #expect(names["POST /api/datasets/upload"] == "uploadDatasetFiles")
        #expect(names["GET /api/jobs/{jobId}/start"] == "startJob")
        #expect(names["GET /api/jobs/{jobId}/log"] == "getJobLog")
        #expect(names["GET /api/jobs/{jobId}/files"] == "listJobFiles")
        #expect(names["GET /api/files/{+path}"] == "downloadFile")
        #expect(names["GET /api/jobs"] == "listJobs")
        #expect(names["POST /api/jobs"] == "createJob")
        #expect(names["POST /api/settings"] == "saveSettings")
        #expect(names["GET /api/monitor"] == "streamMonitor")
        #expect(Set(names.values).count == names.count, "operation names must be unique")
    }

    @Test("response schemas: formats, nullable, optional, enum candidates")
    func responseSchemas() throws {
        let job = try #require(try endpoint("POST /api/jobs").responses.first { $0.status == 200 }?.schema)
        #expect(job["properties"]?["id"] == ["type": "string", "format": "uuid"])
        #expect(job["properties"]?["created_at"]?["format"] == "date-time")
        #expect(job["properties"]?["total_steps"]?["type"] == ["integer", "null"])
        #expect(job["required"]?.arrayValue?.contains("id") == true)
        let images = try #require(try endpoint("POST /api/datasets/listImages").primaryResponse?.schema)
        #expect(images["properties"]?["root"] == ["type": "string", "format": "absolute-path"])
        #expect(images["properties"]?["images"]?["items"]?["type"] == "string")
        let variants = try #require(try endpoint("GET /api/jobs").primaryResponse?.schema?["oneOf"]?.arrayValue, "a Job for ?id=, {jobs} otherwise")
        #expect(variants.count == 2)
        let single = try #require(variants.first { $0["properties"]?["id"] != nil })
        #expect(single["properties"]?["status"]?["x-enum-candidates"] == ["queued": 2, "running": 6])
        let list = try #require(variants.first { $0["properties"]?["jobs"] != nil })
        #expect(list["properties"]?["jobs"]?["items"]?["properties"]?["id"] != nil)
    }

    @Test("a response status seen only on errors keeps its own schema: 409 on POST /api/jobs")
    func errorResponses() throws {
        let conflict = try #require(try endpoint("POST /api/jobs").responses.first { $0.status == 409 })
        #expect(conflict.examples == [["error": "Job name already exists"]])
        #expect(try endpoint("GET /api/jobs/{jobId}/start").responses.map(\.status) == [200, 404])
    }

    @Test("query parameters: optional offset on /log as integer, boolean only_active, uuid id")
    func queryParameters() throws {
        let offset = try #require(try endpoint("GET /api/jobs/{jobId}/log").parameters.first { $0.name == "offset" })
        #expect(offset.location == .query && !offset.required)
        #expect(offset.schema == ["type": "integer"])
        let jobs = try endpoint("GET /api/jobs")
        #expect(jobs.parameters.first { $0.name == "only_active" }?.schema == ["type": "boolean"])
        #expect(jobs.parameters.first { $0.name == "id" }?.schema == ["type": "string", "format": "uuid"])
    }

    @Test("request bodies: JSON with null id, multipart with a file part and a text part")
    func requestBodies() throws {
        let create = try #require(try endpoint("POST /api/jobs").request)
        #expect(create.contentType == "application/json")
        #expect(create.schema["properties"]?["id"] == ["type": "null"])
        #expect(create.schema["properties"]?["job_config"]?["type"] == "object")
        let upload = try #require(try endpoint("POST /api/datasets/upload").request)
        #expect(upload.contentType == "multipart/form-data")
        let parts = try #require(upload.multipart)
        #expect(parts.map(\.name) == ["datasetName", "files"])
        #expect(parts[1].isFile && parts[1].contentTypes == ["image/jpeg", "image/png"] && parts[1].maxPerRequest == 1)
        #expect(!parts[0].isFile)
    }

    @Test("auth: bearer scheme, 401 without it on /api/auth and the monitor, image and file routes public")
    func auth() throws {
        #expect(Self.api.securitySchemes == ["bearerAuth": ["type": "http", "scheme": "bearer"]])
        let monitor = try endpoint("GET /api/monitor")
        #expect(monitor.auth.requiresAuth && monitor.auth.rejectedWithout == [401])
        #expect(try endpoint("GET /api/auth").auth.rejectedWithout == [401])
        #expect(try endpoint("GET /api/img/{+imgPaths}").auth.acceptsAnonymous)
        #expect(try endpoint("GET /api/files/{+path}").auth.acceptsAnonymous)
        #expect(try endpoint("POST /api/datasets/create").auth.requiresAuth)
    }

    @Test("streams: SSE events init and sample with their interval; the hot-reload WebSocket both ways")
    func streams() throws {
        let monitor = try endpoint("GET /api/monitor")
        #expect(monitor.kind == .sse)
        let messages = try #require(monitor.stream?.messages)
        #expect(messages.map(\.name) == ["init", "sample"])
        #expect(messages[1].intervalSeconds == 0.5 && messages[1].count == 20)
        #expect(messages[0].schema["properties"]?["history"]?["type"] == "array")
        let socket = try endpoint("GET /_next/webpack-hmr")
        #expect(socket.kind == .websocket)
        #expect(Set(socket.stream?.messages.map { "\($0.direction) \($0.name)" } ?? []) == ["received sync", "received built", "sent ping"])
    }

    @Test("an NDJSON stream: its lines named by their type field; the client iterates them")
    func ndjsonStream() throws {
        let scripts = try endpoint("POST /api/scripts")
        #expect(scripts.kind == .ndjson)
        #expect(scripts.stream?.messages.map { "\($0.name) x\($0.count)" } == ["exit x1", "stderr x1", "stdout x2"])
        #expect(scripts.request?.schema["properties"]?["stream"] == ["type": "boolean"])
        #expect(scripts.operationName == "streamScripts")
        #expect(TypeScriptWriter.client(Self.api).contains("async *streamScripts(body: StreamScriptsRequest, signal?: AbortSignal): AsyncGenerator<StreamScriptsLine>"))
    }

    @Test("a request that never got a response is counted as a failure and reported as always failing")
    func networkFailure() {
        let builder = SessionBuilder()
        builder.token = "t"
        builder.failed("GET", "/api/gpu", error: "net::ERR_CONNECTION_REFUSED")
        builder.failed("GET", "/api/gpu", error: "net::ERR_CONNECTION_REFUSED")
        builder.http("GET", "/api/auth", response: ["isAuthenticated": true])
        let api = Discovery.discover(from: builder.exchanges, options: DiscoveryOptions(appName: "x"))
        let gpu = api.endpoints.first { $0.path == "/api/gpu" }
        #expect(gpu?.observations.failures == ["net::ERR_CONNECTION_REFUSED": 2])
        #expect(gpu?.responses == [])
        #expect(ReportWriter.report(api).contains("`GET /api/gpu` always failed (net::ERR_CONNECTION_REFUSED, 2 calls)."))
    }

    @Test("behaviour: polling intervals, provenance per step, downloads with disposition")
    func behaviour() throws {
        #expect(try endpoint("GET /api/jobs/{jobId}/log").polling?.intervalSeconds == 2.1)
        #expect(try endpoint("GET /api/jobs/{jobId}/start").polling == nil)
        let create = try endpoint("POST /api/datasets/create")
        #expect(create.provenance.map(\.description) == [#"click role=button "Create""#])
        let step = try #require(Self.api.steps.first { $0.flow == "03-create-job.flow.json" && $0.step == 10 })
        #expect(step.calls == ["GET /api/jobs/{jobId}/start", "GET /api/queue/{gpuIds}/start"])
        let download = try #require(try endpoint("GET /api/files/{+path}").primaryResponse?.download)
        #expect(download.disposition == "attachment")
        #expect(download.fileNameExample == "lora_1_000000250.safetensors")
        #expect(download.contentTypes == ["application/octet-stream"])
    }

    @Test("links: which response field fed which later request, in path, query and body")
    func links() {
        let links = Set(Self.api.links.map { "\($0.from) \($0.field) -> \($0.to) \($0.location) \($0.name)" })
        #expect(links.contains("POST /api/jobs $.id -> GET /api/jobs/{jobId}/log path jobId"))
        #expect(links.contains("POST /api/jobs $.id -> GET /api/jobs query id"))
        #expect(links.contains("POST /api/datasets/create $.name -> POST /api/datasets/listImages body datasetName"))
        #expect(links.contains("GET /api/jobs/{jobId}/files $.files[].path -> POST /api/files/delete body filePath"))
    }

    @Test("observations: counts, first and last seen, exchange ids into the capture")
    func observations() throws {
        let log = try endpoint("GET /api/jobs/{jobId}/log")
        #expect(log.observations.count == 8)
        #expect(log.observations.exchangeIds.count == 4)
        #expect((log.observations.firstSeen ?? 0) < (log.observations.lastSeen ?? 0))
        let ids = Set(AIToolkitSession.build(.august2026).map(\.id))
        #expect(log.observations.exchangeIds.allSatisfy(ids.contains))
    }

    @Test("report.md: areas, steps, streams, auth, and oddities (always failing, anonymous writes, GET that changes state)")
    func report() {
        var api = Self.api
        api.endpoints.append(DiscoveredEndpoint(
            method: "POST", path: "/api/broken", operationName: "broken", responses: [DiscoveredResponse(status: 500, count: 3)],
            auth: EndpointAuth(withoutCredentials: 3), observations: Observations(count: 3)))
        api.endpoints.append(DiscoveredEndpoint(
            method: "POST", path: "/api/open", operationName: "open", responses: [DiscoveredResponse(status: 200, count: 1)],
            auth: EndpointAuth(withoutCredentials: 1, acceptsAnonymous: true), observations: Observations(count: 1)))
        let text = ReportWriter.report(api)
        #expect(text.contains("### datasets"))
        #expect(text.contains("## What each UI step called"))
        #expect(text.contains("`GET /api/monitor` sse"))
        #expect(text.contains("`POST /api/broken` always failed (500, 3 calls)."))
        #expect(text.contains("`POST /api/open` accepts writes without credentials."))
        #expect(text.contains("`GET /api/jobs/{jobId}/start` changes state with a GET (start)."))
    }

    @Test("secrets in example bodies are redacted by key name")
    func redaction() throws {
        #expect(ExampleRedaction.example(["HF_TOKEN": "hf_abc", "password": "pw", "name": "a", "token": ""]) == ["HF_TOKEN": "<redacted>", "password": "<redacted>", "name": "a", "token": ""])
        #expect(!Self.api.json.serialized().contains("hf_abc"))
        #expect(!OpenAPIWriter.document(Self.api).serialized().contains("hf_abc"))
    }
}
