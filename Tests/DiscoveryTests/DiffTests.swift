import Foundation
import JSONCore
import Testing

@testable import Discovery

@Suite("Recapture diff")
struct DiffTests {
    static let old = Discovery.discover(from: AIToolkitSession.build(.october2025), options: DiscoveryOptions(appName: "AI Toolkit"))
    static let new = Discovery.discover(from: AIToolkitSession.build(.august2026), options: DiscoveryOptions(appName: "AI Toolkit"))
    static let diff = Discovery.diff(old: old, new: new)

    private func changes(_ endpoint: String) -> [APIDiff.Change] {
        Self.diff.changes.filter { $0.endpoint == endpoint }
    }

    @Test("2025-10 -> 2026-08: listImages images[] {img_path} -> string and root added")
    func listImagesShape() {
        let found = changes("POST /api/datasets/listImages")
        #expect(found.contains { $0.detail == "response 200 body.images[]: type object -> string" && $0.breaking }, "\(found)")
        #expect(found.contains { $0.detail == "response 200 body.root added" && !$0.breaking }, "\(found)")
    }

    @Test("2025-10 -> 2026-08: /log gains offset and reset in the response and an optional offset query")
    func logChange() {
        let found = changes("GET /api/jobs/{jobId}/log")
        #expect(found.contains { $0.detail == "response 200 body.offset added" && !$0.breaking }, "\(found)")
        #expect(found.contains { $0.detail == "response 200 body.reset added" && !$0.breaking }, "\(found)")
        #expect(found.contains { $0.detail == "query parameter offset added (optional)" && !$0.breaking }, "\(found)")
    }

    @Test("2025-10 -> 2026-08: /api/monitor added, /api/gpu no longer called")
    func monitorAndGPU() {
        #expect(changes("GET /api/monitor").contains { $0.kind == .added && $0.detail == "sse stream" && !$0.breaking })
        #expect(changes("GET /api/gpu").contains { $0.kind == .removed && $0.breaking })
    }

    @Test("2025-10 -> 2026-08: one upload request per file instead of all files in one")
    func uploadChange() {
        let found = changes("POST /api/datasets/upload")
        #expect(found.contains { $0.detail == "request body.files: type array -> binary" && $0.breaking }, "\(found)")
        #expect(found.contains { $0.detail == "multipart part files: up to 3 per request -> one per request" }, "\(found)")
    }

    @Test("an endpoint the UI stopped calling but manual-endpoints.json keeps is reported as no longer called, not breaking")
    func manualKeepsEndpoint() {
        var new = Self.new
        new.endpoints.append(DiscoveredEndpoint(method: "GET", path: "/api/gpu", description: "GPU information", operationName: "getGpu", source: "manual"))
        let diff = Discovery.diff(old: Self.old, new: new)
        let gpu = diff.changes.filter { $0.endpoint == "GET /api/gpu" }
        #expect(gpu == [APIDiff.Change(kind: .removed, endpoint: "GET /api/gpu", detail: "no longer called (still in manual-endpoints.json)", breaking: false)])
    }

    @Test("a stream message whose shape changed is a breaking change; a new event is not")
    func streamShape() throws {
        var changed = Self.new
        let index = try #require(changed.endpoints.firstIndex { $0.path == "/api/monitor" })
        var messages = try #require(changed.endpoints[index].stream?.messages)
        messages[1].schema = ["type": "object", "properties": ["t": ["type": "integer"]], "required": ["t"]]
        messages.append(StreamMessageShape(direction: "received", name: "alert", count: 1, schema: ["type": "object"]))
        changed.endpoints[index].stream?.messages = messages
        let found = Discovery.diff(old: Self.new, new: changed).changes
        #expect(found.contains { $0.detail == "stream message received sample shape changed" && $0.breaking }, "\(found)")
        #expect(found.contains { $0.detail == "stream message received sample.gpu removed" && $0.breaking })
        #expect(found.contains { $0.detail == "stream message received alert added" && !$0.breaking })
    }

    @Test("a discovery compared with itself has no changes and exit code 0")
    func noChange() {
        let same = Discovery.diff(old: Self.new, new: Self.new)
        #expect(same.changes == [])
        #expect(same.exitCode() == 0)
        #expect(same.text == "No changes.\n")
    }

    @Test("exit codes: 2 when something breaks, 1 for additions only, --fail-on breaking and never")
    func exitCodes() {
        #expect(Self.diff.exitCode() == 2)
        #expect(Self.diff.exitCode(failOn: .never) == 0)
        var additive = Self.old
        additive.endpoints.append(DiscoveredEndpoint(method: "GET", path: "/api/new", operationName: "getNew"))
        let onlyAdded = Discovery.diff(old: Self.old, new: additive)
        #expect(onlyAdded.exitCode() == 1)
        #expect(onlyAdded.exitCode(failOn: .breaking) == 0)
    }

    @Test("text and JSON renderings carry every change with its classification")
    func renderings() throws {
        print(Self.diff.text)
        #expect(Self.diff.text.contains("Breaking changes"))
        #expect(Self.diff.text.contains("- removed GET /api/gpu"))
        let json = try JSON.parse(Self.diff.json.serialized())
        #expect(json["breaking"] == true)
        #expect(json["changes"]?.arrayValue?.count == Self.diff.changes.count)
    }

    @Test("diff works from files written by writeOutputs")
    func fromFiles() throws {
        let folder = try temporaryFolder("diff")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Discovery.writeOutputs(Self.old, to: folder.appendingPathComponent("old"))
        try Discovery.writeOutputs(Self.new, to: folder.appendingPathComponent("new"))
        let loaded = Discovery.diff(
            old: try Discovery.load(from: folder.appendingPathComponent("old")),
            new: try Discovery.load(from: folder.appendingPathComponent("new/discovered-endpoints.json")))
        #expect(loaded == Self.diff)
    }
}
