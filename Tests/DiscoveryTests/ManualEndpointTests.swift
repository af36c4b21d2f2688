import Foundation
import JSONCore
import Testing

@testable import Discovery

@Suite("Manual endpoints and flows-folder options")
struct ManualEndpointTests {
    static let manual = """
    [
      {"method": "POST", "path": "/api/datasets/create", "description": "Create a dataset folder (name is sanitized)",
       "requestBody": {"name": "string"}, "notes": "Lowercases and replaces [^a-z0-9] with _"},
      {"method": "GET", "path": "/api/jobs/{id}/start", "description": "Queue a job", "responseExample": {"queued": true}},
      {"method": "POST", "path": "/api/backups", "description": "Back up the training folder",
       "requestBody": {"target": "string", "tags": ["string"], "compress": "boolean?"}, "responseExample": {"ok": true, "code": 0}}
    ]
    """

    private func discover(manual: String, templates: String? = nil) throws -> DiscoveredAPI {
        let folder = try temporaryFolder("flows")
        defer { try? FileManager.default.removeItem(at: folder) }
        try manual.write(to: folder.appendingPathComponent("manual-endpoints.json"), atomically: true, encoding: .utf8)
        if let templates { try templates.write(to: folder.appendingPathComponent("templates.json"), atomically: true, encoding: .utf8) }
        let options = try DiscoveryOptions.fromFlowsFolder(folder, appName: "AI Toolkit")
        return Discovery.discover(from: AIToolkitSession.build(.august2026), options: options)
    }

    @Test("hand-written wording wins, discovered shape wins, conflicts are reported")
    func merge() throws {
        let api = try discover(manual: Self.manual)
        let create = try #require(api.endpoints.first { $0.key == "POST /api/datasets/create" })
        #expect(create.description == "Create a dataset folder (name is sanitized)")
        #expect(create.notes == "Lowercases and replaces [^a-z0-9] with _")
        #expect(create.source == "discovered+manual")
        let start = try #require(api.endpoints.first { $0.key == "GET /api/jobs/{jobId}/start" })
        #expect(start.description == "Queue a job")
        #expect(start.primaryResponse?.schema?["properties"]?["id"] != nil, "the discovered Job shape is kept")
        #expect(api.notes.contains { $0.hasPrefix("Conflict on GET /api/jobs/{id}/start: the hand-written responseExample has {queued}") })
        #expect(ReportWriter.report(api).contains("Conflict on GET /api/jobs/{id}/start"))
    }

    @Test("an endpoint no flow reached is added from its hand-written entry into every output")
    func manualOnly() throws {
        let api = try discover(manual: Self.manual)
        let backups = try #require(api.endpoints.first { $0.key == "POST /api/backups" })
        #expect(backups.source == "manual")
        #expect(backups.request?.schema["required"] == ["tags", "target"])
        #expect(backups.operationName == "createBackup")
        #expect(OpenAPIWriter.document(api)["paths"]?["/api/backups"]?["post"] != nil)
        #expect(TypeScriptWriter.client(api).contains("async createBackup(body: CreateBackupRequest"))
        #expect(api.json["endpoints"]?.arrayValue?.first { $0["path"] == "/api/backups" }?["requestBody"] == ["target": "string", "tags": ["string"], "compress": "boolean?"])
    }

    @Test("templates.json overrides inference; a broken manual file becomes a note, not a crash")
    func templatesAndBrokenFile() throws {
        let api = try discover(manual: "{not json", templates: #"{"templates": ["/api/jobs/{job}/start"]}"#)
        #expect(api.endpoints.contains { $0.key == "GET /api/jobs/{job}/start" })
        #expect(api.endpoints.contains { $0.key == "GET /api/jobs/{jobId}/stop" })
        #expect(api.notes.contains { $0.hasPrefix("manual endpoints not merged:") })
    }
}
