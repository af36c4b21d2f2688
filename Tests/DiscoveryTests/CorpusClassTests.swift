import Foundation
import JSONCore
import Recording
import Testing
import TestSupport

@testable import Discovery

/// Each class of error that real traffic showed (issue: discovery that holds on real apps), checked on
/// the corpus captures of apps nobody here wrote. Each test failed before its fix.
@Suite("Corpus: each class of real traffic")
struct CorpusClassTests {
    static func api(_ app: String, run: Int = 1) throws -> DiscoveredAPI {
        try CorpusScore.discovered(app: app, capture: "run-\(run).capture.jsonl")
    }

    static func endpoint(_ api: DiscoveredAPI, _ key: String) -> DiscoveredEndpoint? { api.endpoints.first { $0.key == key } }

    @Test("cache-busters: MooTools' bare `?mx5ef1ob` keys on qBittorrent's calls are left out, and its poll is found")
    func cacheBustingKeys() throws {
        let api = try Self.api("qbittorrent")
        let maindata = try #require(Self.endpoint(api, "GET /api/v2/sync/maindata"))
        #expect(maindata.parameters.filter { $0.location == .query }.map(\.name) == ["rid"])
        #expect(maindata.polling != nil, "the poll's query names varied with the buster, so no poll was seen")
        #expect(maindata.notes?.contains("cache-busters") == true)
        let invented = api.endpoints.flatMap { endpoint in
            endpoint.parameters.filter { $0.location == .query && QueryNoise.clockReading($0.name) != nil }.map { "\(endpoint.key) ?\($0.name)" }
        }
        #expect(invented == [])
    }

    @Test("cache-busters: clock readings in values and as keys, named or not; a real `since` stays")
    func clockReadings() {
        let now = 1_796_163_557.9
        #expect(QueryNoise.isNoiseKey("1796163557995", value: "", at: now))
        #expect(QueryNoise.isNoiseKey("mx5ef1ob", value: "", at: 1_796_171_976.88))
        #expect(!QueryNoise.isNoiseKey("debug", value: "", at: now))
        var busting = QueryNoise.Evidence()
        busting.add("1796163557995", at: now)
        busting.add("1796163559001", at: now + 1.1)
        #expect(QueryNoise.isNoise(name: "_", busting))
        #expect(QueryNoise.isNoise(name: "anything", busting))
        var since = QueryNoise.Evidence()
        since.add("1796163500", at: now)
        since.add("1796163550", at: now + 60)
        #expect(!QueryNoise.isNoise(name: "since", since))
        var version = QueryNoise.Evidence()
        version.add("a3f9c1e0b2d4", at: now)
        #expect(QueryNoise.isNoise(name: "v", version))
        #expect(!QueryNoise.isNoise(name: "hash", version))
    }

    @Test("bodies under an odd label: Transmission's `Content-Type: json` RPC bodies are JSON with a schema")
    func oddContentType() throws {
        let api = try Self.api("transmission")
        let rpc = try #require(Self.endpoint(api, "POST /transmission/rpc"))
        let request = try #require(rpc.request)
        #expect(request.contentType == "application/json")
        #expect(request.sentContentType == "json")
        #expect(request.schema["properties"]?["method"] != nil)
    }

    @Test("bodies sniffed: JSON sent as text/plain is JSON, `a=1&b=2` a form, a declared type is kept")
    func sniffing() {
        #expect(BodyFormat.sniffed(declared: "text/plain;charset=UTF-8", text: #"{"a":1}"#) == .json)
        #expect(BodyFormat.sniffed(declared: "text/plain;charset=UTF-8", text: "a=1&b=two") == .form)
        #expect(BodyFormat.sniffed(declared: "text/plain", text: "hello world") == .text)
        #expect(BodyFormat.sniffed(declared: "image/png", text: "{}") == .binary)
        #expect(BodyFormat.sniffed(declared: "application/json", text: "a=1") == .json)
    }

    @Test("JSON-RPC: each Transmission method is an operation of its own, with its own shapes")
    func jsonRPCOperations() throws {
        let api = try Self.api("transmission")
        let rpc = try #require(Self.endpoint(api, "POST /transmission/rpc"))
        let names = Set(rpc.operations.map(\.name))
        #expect(names.isSuperset(of: ["torrent-get", "torrent-add", "session-get", "session-set", "torrent-remove"]))
        #expect(rpc.operations.allSatisfy { $0.field == "method" })
        let get = try #require(rpc.operations.first { $0.name == "torrent-get" })
        #expect(get.requestSchema["properties"]?["arguments"]?["properties"]?["fields"] != nil)
        #expect(get.responseSchema?["properties"]?["arguments"]?["properties"]?["torrents"] != nil)
    }

    @Test("auth: Syncthing's session cookie and the CSRF header that echoes its cookie are required together")
    func csrfPair() throws {
        let api = try Self.api("syncthing")
        #expect(api.securitySchemes["csrfToken"]?["name"]?.stringValue?.hasPrefix("X-CSRF-Token-") == true)
        #expect(api.securitySchemes["cookieAuth"]?["name"]?.stringValue?.hasPrefix("sessionid-") == true)
        let config = try #require(Self.endpoint(api, "GET /rest/config"))
        #expect(config.auth.requirements == [["cookieAuth", "csrfToken"]])
        let openAPI = OpenAPIWriter.document(api)
        let security = openAPI["paths"]?["/rest/config"]?["get"]?["security"]
        #expect(security == [["cookieAuth": [], "csrfToken": []]])
    }

    @Test("auth: Transmission's session-id header and the credentials in the page's URL; qBittorrent's SID cookie")
    func headerAndURLCredentials() throws {
        let transmission = try Self.api("transmission")
        #expect(transmission.securitySchemes["sessionHeader"]?["name"] == "X-Transmission-Session-Id")
        let rpc = try #require(Self.endpoint(transmission, "POST /transmission/rpc"))
        #expect(rpc.auth.requiresAuth)
        #expect(rpc.auth.requirements == [["basicAuth", "sessionHeader"]])
        // `http://admin:…@127.0.0.1:19091` is the same application as `http://127.0.0.1:19091`.
        #expect(!transmission.notes.contains { $0.contains("other origins") })
        #expect(transmission.baseURL?.contains("@") == false)
        let qbittorrent = try Self.api("qbittorrent")
        #expect(qbittorrent.securitySchemes["cookieAuth"]?["name"] == "SID")
        #expect(Self.endpoint(qbittorrent, "POST /api/v2/auth/login")?.auth.requiresAuth == false)
    }

    @Test("the UI's own files fetched by script are not routes; an image drawn for its query is")
    func uiFiles() throws {
        let syncthing = try Self.api("syncthing")
        #expect(!syncthing.endpoints.contains { $0.path.hasSuffix(".html") || $0.path.hasSuffix(".json") || $0.path.contains("{fileName}") || $0.path == "/" })
        #expect(Self.endpoint(syncthing, "GET /qr") != nil)
        let qbittorrent = try Self.api("qbittorrent")
        #expect(!qbittorrent.endpoints.contains { $0.path.hasPrefix("/css/") || $0.path.hasPrefix("/views/") })
        let transmission = try Self.api("transmission")
        #expect(transmission.endpoints.map(\.key) == ["POST /transmission/rpc"])
    }

    @Test("maps keyed by data: Syncthing's folder-id keys make a map, so two runs do not differ")
    func mapKeys() throws {
        let api = try Self.api("syncthing")
        let stats = try #require(Self.endpoint(api, "GET /rest/stats/folder"))
        let schema = try #require(stats.primaryResponse?.schema)
        #expect(schema["additionalProperties"] != nil && schema["properties"] == nil)
        #expect(ObjectShape.isDataKey("w4fxe-myqnj") && ObjectShape.isDataKey("GLMX7YF-E5IW4R7-ZPA5D5Q") && ObjectShape.isDataKey("a@b.c"))
        #expect(!ObjectShape.isDataKey("ipv4") && !ObjectShape.isDataKey("sha256") && !ObjectShape.isDataKey("lastScan"))
    }

    @Test("diff: an endpoint whose flow did not pass is not removed; a sampled optional field or error status is no change")
    func diffNeedsEvidence() throws {
        let first = try Self.api("syncthing")
        var second = try Self.api("syncthing", run: 2)
        // The second run's settings flow failed: what it alone reached is not evidence of removal.
        let flow = try #require(first.endpoints.first { $0.key == "PUT /rest/config" }?.provenance.first?.flow)
        second.capture.flows[flow] = "failed"
        second.endpoints.removeAll { $0.provenance.contains { $0.flow == flow } }
        let diff = Discovery.diff(old: first, new: second)
        #expect(!diff.hasChanges, "\(diff.text)")
        #expect(!diff.notReached.isEmpty)
        // With the flow passing, the same absence is a removal.
        second.capture.flows[flow] = "passed"
        #expect(Discovery.diff(old: first, new: second).changes.contains { $0.kind == .removed && $0.breaking })
    }

    @Test("string identifiers: Gradio's file path is one `{+path}` after `file=`, its client-made session id a parameter")
    func stringIdentifiers() throws {
        let api = try Self.api("gradio")
        let file = try #require(Self.endpoint(api, "GET /gradio_api/file={+path}"))
        #expect(file.parameters.first { $0.location == .path }?.schema["x-multi-segment"] == true)
        #expect(file.parameters.first?.examples.first?.hasPrefix("/tmp/") == true)
        #expect(Self.endpoint(api, "GET /gradio_api/heartbeat/{sessionHash}") != nil)
        // Gradio 4 serves the same files at the top: `file=` is the first segment there.
        let old = try CorpusScore.discovered(app: "gradio", capture: "v4-run-1.capture.jsonl")
        #expect(Self.endpoint(old, "GET /file={+path}") != nil)
        // The real AI Toolkit's catch-all routes come out the same way on the replica's traffic.
        #expect(PathTemplate(parsing: "/api/files/{+filePath}").values(in: ["api", "files", "%2Fdata%2Fx", "a.safetensors"]) == ["%2Fdata%2Fx/a.safetensors"])
        #expect(PathTemplate(parsing: "/gradio_api/file={+path}").values(in: ["gradio_api", "file=", "tmp", "x.txt"]) == ["/tmp/x.txt"])
    }

    @Test("no run-specific names: both runs of every app give the same client method names")
    func stableNames() throws {
        for app in CorpusScore.apps() {
            // Endpoints both runs reached (a timer may fire in one run only).
            let first = Dictionary(try Self.api(app).endpoints.map { ($0.key, $0.operationName) }, uniquingKeysWith: { a, _ in a })
            let second = Dictionary(try Self.api(app, run: 2).endpoints.map { ($0.key, $0.operationName) }, uniquingKeysWith: { a, _ in a })
            let differing = first.keys.filter { second[$0] != nil && second[$0] != first[$0] }.sorted().map { "\($0): \(first[$0]!) / \(second[$0]!)" }
            #expect(differing == [], "\(app)")
        }
    }

    @Test("stream messages split by kind: Gradio's SSE `msg` under the default event name")
    func messageKinds() throws {
        let api = try Self.api("gradio")
        let data = try #require(Self.endpoint(api, "GET /gradio_api/queue/data"))
        let names = Set(data.stream?.messages.map(\.name) ?? [])
        #expect(names.isSuperset(of: ["estimation", "process_starts", "process_generating", "process_completed", "close_stream"]))
        #expect(EndpointAccumulator.messageName(["header": ["msg_type": "execute_reply"], "content": [:]]) == "execute_reply")
    }

    @Test("204: Prefect's PATCH and DELETE answered 204 are responses, not failures or downloads")
    func noContent() throws {
        for run in [1, 2] {
            let api = try Self.api("prefect", run: run)
            for key in ["PATCH /api/v2/concurrency_limits/{concurrencyLimitId}", "DELETE /api/v2/concurrency_limits/{concurrencyLimitId}"] {
                let endpoint = try #require(Self.endpoint(api, key), "run \(run): \(key)")
                #expect(endpoint.responses.map(\.status) == [204])
                #expect(endpoint.observations.failures.isEmpty, "run \(run): \(endpoint.observations.failures)")
                #expect(endpoint.primaryResponse?.download == nil && endpoint.primaryResponse?.contentType == nil)
            }
        }
        // Recorded live: Chromium ends each of these 204s with a canceled `loadingFailed`, which the
        // recorder used to keep as a failure.
        let recorded = try CaptureFile.read(CorpusScore.corpusFolder.appendingPathComponent("prefect/run-2.capture.jsonl"))
        let answered = recorded.exchanges.filter { ($0.method == "DELETE" || $0.method == "PATCH") && $0.response?.status == 204 }
        #expect(answered.count >= 4 && answered.allSatisfy { $0.failure == nil }, "the recorder keeps a 204 as a response")
        // Captures recorded before that fix still read as answered.
        var legacy = try #require(answered.first)
        legacy.failure = Failure(errorText: "net::ERR_ABORTED", canceled: true)
        let old = Discovery.discover(from: [legacy], options: DiscoveryOptions(appName: "prefect"))
        #expect(old.endpoints.first?.observations.failures == [:])
        #expect(old.endpoints.first?.responses.map(\.status) == [204])
        #expect(ResponseEnd.isCompleteDespiteFailure(status: 204, method: "DELETE", errorText: "net::ERR_ABORTED"))
        #expect(!ResponseEnd.isCompleteDespiteFailure(status: 200, method: "GET", errorText: "net::ERR_ABORTED"))
        #expect(!ResponseEnd.isCompleteDespiteFailure(status: nil, method: "GET", errorText: "net::ERR_ABORTED"))
    }

    @Test("pages and UI files under an API-looking path (Prefect's /v2/ UI) are not routes; an id with a kind in front is a parameter")
    func prefectPages() throws {
        let api = try Self.api("prefect")
        #expect(!api.endpoints.contains { $0.path.hasPrefix("/v2") || $0.path == "/" })
        #expect(Self.endpoint(api, "GET /api/automations/related-to/{relatedToId}") != nil || api.endpoints.contains {
            $0.path.hasPrefix("/api/automations/related-to/{") })
        #expect(SegmentShape("prefect.deployment.aa8304e0-9005-47b7-b216-c495dfb354b1").isIdentifier)
    }

    @Test("JupyterLab: `?1796174319872` cache-busters, JSON sent as text/plain, 204 on DELETE, as the first real app showed them")
    func jupyterREST() throws {
        let api = try Self.api("jupyter")
        let sessions = try #require(Self.endpoint(api, "POST /api/sessions"))
        #expect(sessions.parameters.filter { $0.location == .query }.isEmpty, "the bare timestamp key is no parameter")
        #expect(sessions.request?.contentType == "application/json" && sessions.request?.sentContentType == "text/plain;charset=UTF-8")
        #expect(sessions.request?.schema["properties"]?["kernel"] != nil)
        let delete = try #require(Self.endpoint(api, "DELETE /api/sessions/{sessionId}"))
        #expect(delete.responses.map(\.status) == [204] && delete.observations.failures.isEmpty)
        let contents = try #require(Self.endpoint(api, "GET /api/contents/{+path}"))
        #expect(contents.parameters.filter { $0.location == .query }.map(\.name) == ["content", "format", "hash", "type"])
        #expect(Self.endpoint(api, "GET /api/contents/{+path}/checkpoints") != nil)
    }

    @Test("JupyterLab's kernel WebSocket: its binary subprotocol, message kinds from each frame's JSON header, the login cookie on the handshake")
    func binaryWebSocket() throws {
        let api = try Self.api("jupyter")
        let channels = try #require(Self.endpoint(api, "GET /api/kernels/{kernelId}/channels"))
        #expect(channels.kind == .websocket)
        #expect(channels.stream?.subprotocol == "v1.kernel.websocket.jupyter.org")
        let kinds = Set(channels.stream?.messages.map { "\($0.direction) \($0.name)" } ?? [])
        #expect(kinds.isSuperset(of: ["sent execute_request", "received execute_reply", "received status", "sent kernel_info_request"]), "\(kinds)")
        let status = try #require(channels.stream?.messages.first { $0.name == "status" })
        #expect(status.schema["x-binary-frame"]?["minBytes"] != nil)
        // The handshake carried the cookie the login set (`username-…`), so the socket needs it.
        #expect(api.securitySchemes["cookieAuth"]?["name"]?.stringValue?.hasPrefix("username-") == true)
        #expect(channels.auth.requirements == [["cookieAuth"]])
        #expect(channels.polling == nil, "reconnections are not a poll")
    }

    @Test("GraphQL (no corpus app has it): operationName, else the name in the query text, splits one URL")
    func graphQLOperations() {
        let named: JSON = ["operationName": "Jobs", "query": "query Jobs { jobs { id } }", "variables": [:]]
        #expect(OperationSplit.key(of: named) == OperationSplit.Key(field: "operationName", name: "Jobs"))
        #expect(OperationSplit.key(of: ["query": "mutation CreateJob($n: String) { createJob(name: $n) { id } }"])?.name == "CreateJob")
        #expect(OperationSplit.key(of: ["query": "{ me { id } }"])?.name == "query")
        // A REST body that happens to have a `method` member is no call.
        #expect(OperationSplit.key(of: ["method": "card", "amount": 5]) == nil)
        #expect(OperationSplit.key(of: ["jsonrpc": "2.0", "method": "getJob", "params": [1], "id": 3])?.name == "getJob")
    }
}
