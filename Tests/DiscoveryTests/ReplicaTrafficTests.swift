import Foundation
import JSONCore
import Testing
import TestSupport

@testable import Discovery

@Suite("Discovery on the replica's real answers")
struct ReplicaTrafficTests {
    static func capture(uiVersion: String) async throws -> DiscoveredAPI {
        let replica = try await TestReplica.start(uiVersion: uiVersion)
        let traffic = ReplicaTraffic(replica: replica, oldUI: uiVersion == "2025-10")
        do {
            try await traffic.runSession()
        } catch {
            await replica.stop()
            throw error
        }
        await replica.stop()
        return Discovery.discover(from: traffic.exchanges, options: DiscoveryOptions(appName: "AI Toolkit"))
    }

    @Test("templates of the replica's traffic equal the route table (precision and recall printed)")
    func templatesMatch() async throws {
        let api = try await Self.capture(uiVersion: "2026-08")
        let table = Set(TemplateAccuracyTests.routeTable.map(TemplateAccuracyTests.normalized))
        let found = Set(api.endpoints.map(\.normalizedKey))
        let correct = found.intersection(table).count
        let precision = Double(correct) / Double(max(found.count, 1))
        print("replica traffic: precision \(precision) (\(correct) of \(found.count) discovered routes are in the route table)")
        #expect(found.subtracting(table).sorted() == [])
        #expect(found.contains("GET /api/files/{+}"), "the checkpoint download was reached")
        #expect(found.contains("GET /api/monitor"))
        let start = try #require(api.endpoints.first { $0.normalizedKey == "GET /api/jobs/{}/start" })
        #expect(start.path == "/api/jobs/{jobId}/start")
        #expect(start.parameters.first?.schema == ["type": "string", "format": "uuid"])
    }

    @Test("2025-10 -> 2026-08 on the replica: listImages, /log, monitor vs gpu, one upload per file")
    func versionsDiff() async throws {
        let old = try await Self.capture(uiVersion: "2025-10")
        let new = try await Self.capture(uiVersion: "2026-08")
        let diff = Discovery.diff(old: old, new: new)
        print(diff.text)
        let details = Set(diff.changes.map { "\($0.endpoint): \($0.detail)" })
        #expect(details.contains("POST /api/datasets/listImages: response 200 body.images[]: type object -> string"))
        #expect(details.contains("POST /api/datasets/listImages: response 200 body.root added"))
        #expect(details.contains("GET /api/jobs/{jobId}/log: query parameter offset added (optional)"))
        #expect(details.contains("GET /api/jobs/{jobId}/log: response 200 body.offset added"))
        #expect(details.contains("GET /api/monitor: sse stream"))
        #expect(diff.changes.contains { $0.endpoint == "GET /api/gpu" && $0.kind == .removed })
        #expect(details.contains("POST /api/datasets/upload: request body.files: type array -> binary"))
        #expect(diff.exitCode() == 2)
    }
}
