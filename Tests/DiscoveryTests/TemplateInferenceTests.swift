import Testing

@testable import Discovery

@Suite("Template inference rules")
struct TemplateInferenceTests {
    private func templates(_ paths: [String], links: [String: [Int: String]] = [:], user: [String] = []) -> [String] {
        let inputs = paths.map { TemplateInference.RawPath(segments: URLParts.segments(of: $0), linkedFields: links[$0] ?? [:]) }
        return TemplateInference(userTemplates: user).infer(inputs).map(\.template.description)
    }

    @Test("identifier-shaped segments are parameters: integer, UUID, hex, ULID, token, encoded path")
    func identifierShapes() {
        #expect(templates(["/api/items/42"]) == ["/api/items/{itemId}"])
        #expect(templates(["/api/jobs/5f0c1d2e-8a3b-4c5d-9e6f-0a1b2c3d4e5f/log"]) == ["/api/jobs/{jobId}/log"])
        #expect(templates(["/api/blobs/9f86d081884c7d65"]) == ["/api/blobs/{blobId}"])
        #expect(templates(["/api/events/01ARZ3NDEKTSV4RRFFQ69G5FAV"]) == ["/api/events/{eventId}"])
        #expect(templates(["/api/share/Zx8kQ2pL9vR4tY7wB1nM"]) == ["/api/share/{shareId}"])
        #expect(templates(["/api/img/%2Fdata%2Fx/a.png"]) == ["/api/img/{folder}/{fileName}"])
    }

    @Test("the first segment and reserved ones (api, versions, dates) never become parameters")
    func reserved() {
        #expect(templates(["/123/x"]) == ["/123/x"])
        #expect(templates(["/api/v1/users/7", "/api/v2/users/8"]) == ["/api/v1/users/{userId}", "/api/v2/users/{userId}"])
        #expect(templates(["/api/2.0/stats"]) == ["/api/2.0/stats"])
        #expect(templates(["/api/reports/2026-01-31"]) == ["/api/reports/2026-01-31"])
    }

    @Test("word-like siblings stay constants: datasets/list vs datasets/create, jobs/{id}/start|stop|log")
    func constantSiblings() {
        let paths = ["/api/datasets/list", "/api/datasets/create", "/api/datasets/delete", "/api/datasets/listImages", "/api/datasets/upload"]
        #expect(templates(paths) == paths)
        let jobs = ["start", "stop", "delete", "log", "files", "mark_stopped"].map { "/api/jobs/5f0c1d2e-8a3b-4c5d-9e6f-0a1b2c3d4e5f/\($0)" }
        #expect(templates(jobs) == ["start", "stop", "delete", "log", "files", "mark_stopped"].map { "/api/jobs/{jobId}/\($0)" })
    }

    @Test("a word handed out by an earlier response is a parameter, an action word never")
    func linkedWords() {
        #expect(templates(["/api/users/alice"], links: ["/api/users/alice": [2: "name"]]) == ["/api/users/{name}"])
        #expect(templates(["/api/users/start"], links: ["/api/users/start": [2: "name"]]) == ["/api/users/start"])
        #expect(templates(["/api/queue/0/start"], links: ["/api/queue/0/start": [2: "gpu_ids"]]) == ["/api/queue/{gpuIds}/start"])
    }

    @Test("numbered names sharing a prefix are parameters; a lone one is not")
    func numberedNames() {
        #expect(templates(["/api/runs/run_1", "/api/runs/run_2"]) == ["/api/runs/{runId}", "/api/runs/{runId}"])
        #expect(templates(["/api/oauth2"]) == ["/api/oauth2"])
    }

    @Test("a constant sibling next to identifiers stays constant: /api/img/caption beside /api/img/{folder}")
    func mixedSiblings() {
        #expect(templates(["/api/img/caption", "/api/img/%2Fdata%2Fx/a.png"]) == ["/api/img/caption", "/api/img/{folder}/{fileName}"])
    }

    @Test("user templates win, the most specific first")
    func userTemplates() {
        let result = templates(["/api/jobs/abc/start", "/api/jobs/list"], user: ["/api/jobs/{job}", "/api/jobs/{job}/start"])
        #expect(result == ["/api/jobs/{job}/start", "/api/jobs/{job}"])
    }
}

@Suite("Template inference: interchangeable word values")
struct InterchangeableWordTests {
    private func templates(_ paths: [(String, String)]) -> [String] {
        let inputs = paths.map { TemplateInference.RawPath(segments: URLParts.segments(of: $0.0), linkedFields: [:], behaviour: $0.1) }
        return TemplateInference(userTemplates: []).infer(inputs).map(\.template.description)
    }

    @Test("four or more word siblings with the same methods, answers and sub-routes are one parameter")
    func usersByName() {
        let names = ["alice", "bob", "carol", "dave"]
        let result = templates(names.map { ("/api/users/\($0)", "GET {email,name}") } + names.map { ("/api/users/\($0)/posts", "GET array") })
        #expect(Set(result) == ["/api/users/{userId}", "/api/users/{userId}/posts"])
    }

    @Test("verb-like words answering alike stay constants: /api/jobs/{jobId}/mark_stopped|save_now|sample_now|start")
    func verbsStayConstant() {
        let actions = ["mark_stopped", "save_now", "sample_now", "start", "stop"]
        let result = templates(actions.map { ("/api/jobs/5f0c1d2e-8a3b-4c5d-9e6f-0a1b2c3d4e5f/\($0)", "GET {id,name,status}") })
        #expect(result == actions.map { "/api/jobs/{jobId}/\($0)" })
    }

    @Test("word siblings with different answers or methods stay constants; so do three or fewer")
    func differentBehaviourStaysConstant() {
        let mixed = templates([("/api/stats/cpu", "GET {load}"), ("/api/stats/gpu", "GET {gpus}"), ("/api/stats/disk", "GET {free}"), ("/api/stats/memory", "GET {free}")])
        #expect(mixed == ["/api/stats/cpu", "/api/stats/gpu", "/api/stats/disk", "/api/stats/memory"])
        let few = templates([("/api/users/alice", "GET {name}"), ("/api/users/bob", "GET {name}"), ("/api/users/carol", "GET {name}")])
        #expect(few == ["/api/users/alice", "/api/users/bob", "/api/users/carol"])
    }
}
