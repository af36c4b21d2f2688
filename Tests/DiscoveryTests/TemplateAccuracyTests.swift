import Foundation
import JSONCore
import Recording
import Testing
import TestSupport

@testable import Discovery

@Suite("Template accuracy against the AI Toolkit route table")
struct TemplateAccuracyTests {
    /// Reference section 2, the routes the synthetic flows reach, written as the reference writes them.
    /// The routes the synthetic 2026-08 session (`AIToolkitSession`) reaches, as typed; each must be a real
    /// route at 27a03a91 (`Tests/Fixtures/ai-toolkit-routes-27a03a91.txt`).
    static let reachedRoutes: [String] = [
        "GET /api/auth",
        "GET /api/datasets/list", "POST /api/datasets/create", "POST /api/datasets/delete", "POST /api/datasets/listImages",
        "POST /api/datasets/upload", "POST /api/zip",
        "POST /api/caption/get", "POST /api/caption/getBatch", "POST /api/img/caption", "POST /api/img/delete",
        // Catch-all routes in the real source (`ui/src/app/api/img/[...imagePath]`, `files/[...filePath]` at 27a03a91).
        "GET /api/img/{+imagePath}",
        "GET /api/files/{+filePath}", "POST /api/files/delete",
        "GET /api/jobs", "POST /api/jobs",
        "GET /api/jobs/<id>/start", "GET /api/jobs/<id>/stop", "GET /api/jobs/<id>/mark_stopped", "GET /api/jobs/<id>/delete",
        "GET /api/jobs/<id>/save_now", "GET /api/jobs/<id>/sample_now", "GET /api/jobs/<id>/log", "GET /api/jobs/<id>/files",
        "GET /api/jobs/<id>/samples", "GET /api/jobs/<id>/loss",
        "GET /api/queue", "GET /api/queue/<gpu_ids>/start", "GET /api/queue/<gpu_ids>/stop",
        "GET /api/settings", "POST /api/settings", "GET /api/monitor", "GET /api/ostris_cloud", "POST /api/scripts",
    ]

    static func normalized(_ route: String) -> String {
        let parts = route.split(separator: " ", maxSplits: 1)
        return "\(parts[0]) \(PathTemplate(parsing: String(parts[1])).normalized)"
    }

    @Test("discovered /api templates are real routes and cover the reached ones: precision and recall 1.0")
    func templatesEqualRouteTable() throws {
        let table = Set(try RealRouteTable.routes(uiVersion: "2026-08").map(Self.normalized))
        let expected = Set(Self.reachedRoutes.map(Self.normalized))
        #expect(expected.filter { !RealRouteTable.contains(table, $0) }.sorted() == [], "a reached route that is not real")
        let api = Discovery.discover(from: AIToolkitSession.build(.august2026), options: DiscoveryOptions(appName: "AI Toolkit"))
        let found = Set(api.endpoints.filter { $0.path.hasPrefix("/api/") }.map(\.normalizedKey))
        let real = found.filter { RealRouteTable.contains(table, $0) }
        let precision = Double(real.count) / Double(max(found.count, 1))
        let recall = Double(expected.intersection(found).count) / Double(expected.count)
        print("template accuracy: precision \(precision) recall \(recall) (\(real.count) of \(found.count) discovered are real, \(expected.intersection(found).count) of \(expected.count) reached discovered)")
        #expect(found.subtracting(real).sorted() == [], "discovered but not a real route")
        #expect(expected.subtracting(found).sorted() == [], "reached but not discovered")
        #expect(precision == 1.0)
        #expect(recall == 1.0)
    }

    @Test("parameters are named after their parent or the response field that handed them out")
    func parameterNames() {
        let api = Discovery.discover(from: AIToolkitSession.build(.august2026), options: DiscoveryOptions(appName: "AI Toolkit"))
        let paths = Set(api.endpoints.map(\.key))
        #expect(paths.contains("GET /api/jobs/{jobId}/start"))
        #expect(paths.contains("GET /api/queue/{gpuIds}/start"))
        #expect(paths.contains("GET /api/img/{+imgPaths}"))
        #expect(paths.contains("GET /api/files/{+path}"))
        let start = api.endpoints.first { $0.key == "GET /api/jobs/{jobId}/start" }
        let evidence = start?.parameters.first { $0.name == "jobId" }?.evidence ?? ""
        #expect(evidence.contains("POST /api/jobs") && evidence.contains("$.id"), "evidence: \(evidence)")
        #expect(api.links.contains { $0.from == "POST /api/jobs" && $0.field == "$.id" && $0.to == "GET /api/jobs/{jobId}/start" && $0.location == "path" })
    }

    @Test("static assets, documents and other origins are left out unless asked")
    func staticLeftOut() {
        var exchanges = AIToolkitSession.build(.august2026)
        exchanges.append(Exchange(
            id: "preflight", method: "OPTIONS", url: "http://127.0.0.1:8675/api/settings", resourceType: "Preflight", startedAt: 1_790_000_500,
            request: Request(headers: [Header(name: "Access-Control-Request-Method", value: "POST")]), response: Response(status: 204)))
        exchanges.append(Exchange(
            id: "elsewhere", method: "GET", url: "https://fonts.example.com/api/css", resourceType: "Fetch", startedAt: 1_790_000_501,
            response: Response(status: 200, mimeType: "application/json", body: Body(size: 2, mimeType: "application/json", text: "{}"))))
        let api = Discovery.discover(from: exchanges, options: DiscoveryOptions(appName: "AI Toolkit"))
        #expect(!api.endpoints.contains { $0.path.hasPrefix("/_next/static") || $0.path == "/" || $0.method == "OPTIONS" || $0.path == "/api/css" })
        #expect(api.notes.contains("1 API-like exchanges to other origins than http://127.0.0.1:8675 were left out."))
        let withStatic = Discovery.discover(from: exchanges, options: DiscoveryOptions(appName: "AI Toolkit", includeStatic: true))
        #expect(withStatic.endpoints.contains { $0.path == "/" })
    }

    @Test("a user template overrides inference")
    func userTemplateOverrides() {
        let options = DiscoveryOptions(appName: "AI Toolkit", templates: ["/api/datasets/{action}"])
        let api = Discovery.discover(from: AIToolkitSession.build(.august2026), options: options)
        #expect(api.endpoints.contains { $0.key == "POST /api/datasets/{action}" })
        #expect(!api.endpoints.contains { $0.path == "/api/datasets/create" })
        let parameter = api.endpoints.first { $0.key == "POST /api/datasets/{action}" }?.parameters.first { $0.name == "action" }
        #expect(parameter?.evidence == "user template")
    }
}
