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

    /// The routes `ReplicaTraffic` calls, as discovery normalizes them (`{}` a parameter, `{+}` a catch-all:
    /// the 2025-10 UI sends a file's whole path as one encoded segment, the 2026-08 one folder and name).
    static func reached(uiVersion: String) -> Set<String> {
        let both: Set<String> = [
            "GET /api/auth", "GET /api/jobs", "GET /api/datasets/list", "POST /api/datasets/create", "GET /api/settings",
            "POST /api/datasets/listImages", "POST /api/datasets/upload", "POST /api/img/caption",
            "POST /api/caption/get", "POST /api/jobs", "GET /api/jobs/{}/start", "GET /api/queue/{}/start", "GET /api/jobs/{}/log",
            "GET /api/jobs/{}/files", "GET /api/jobs/{}/samples", "GET /api/queue", "GET /api/jobs/{}/stop",
            "GET /api/queue/{}/stop", "GET /api/jobs/{}/delete", "POST /api/img/delete", "POST /api/datasets/delete",
        ]
        return uiVersion == "2025-10"
            ? both.union(["GET /api/gpu", "GET /api/cpu", "GET /api/img/{}", "GET /api/files/{}"])
            : both.union([
                "GET /api/monitor", "GET /api/ostris_cloud", "POST /api/caption/getBatch", "GET /api/jobs/{}/loss", "GET /api/img/{+}",
                "GET /api/files/{+}",
            ])
    }

    @Test("templates of the replica's traffic are the real routes of the version: precision and recall 1.0", arguments: ["2026-08", "2025-10"])
    func templatesMatch(uiVersion: String) async throws {
        let table = Set(try RealRouteTable.routes(uiVersion: uiVersion).map(TemplateAccuracyTests.normalized))
        let reached = Self.reached(uiVersion: uiVersion)
        #expect(reached.filter { !RealRouteTable.contains(table, $0) }.sorted() == [], "the hand list of reached routes holds a route that is not real")
        let api = try await Self.capture(uiVersion: uiVersion)
        let found = Set(api.endpoints.map(\.normalizedKey))
        let real = found.filter { RealRouteTable.contains(table, $0) }
        let precision = Double(real.count) / Double(max(found.count, 1))
        let recall = Double(reached.intersection(found).count) / Double(reached.count)
        print("replica traffic \(uiVersion): precision \(precision) (\(real.count) of \(found.count) discovered routes are real), recall \(recall) (\(reached.intersection(found).count) of \(reached.count) reached routes discovered)")
        #expect(found.subtracting(real).sorted() == [], "discovered but not a real route")
        #expect(reached.subtracting(found).sorted() == [], "reached but not discovered")
        #expect(precision == 1.0 && recall == 1.0)
        let start = try #require(api.endpoints.first { $0.normalizedKey == "GET /api/jobs/{}/start" })
        #expect(start.path == "/api/jobs/{jobId}/start")
        #expect(start.parameters.first?.schema == ["type": "string", "format": "uuid"])
    }

    /// What the real commits c9843692 (2025-10) and 27a03a91 (2026-08) change in what `ReplicaTraffic`
    /// reaches, each with the file under `ui/` that causes it. Changes marked UI come from the browser
    /// side (which requests the UI sends), which `ReplicaTraffic` imitates from the same files.
    static let realChanges: Set<String> = {
        var changes: Set<String> = [
            // UI: hooks/useCaptionBatch.tsx posts the dataset's captions at once; route caption/getBatch/route.ts is new.
            "added POST /api/caption/getBatch: ",
            // UI: hooks/useCPUInfo.tsx and useGPUInfo.tsx read /api/monitor (c9843692: components/JobOverview.tsx
            // polled /api/cpu and /api/gpu, components/GPUMonitor.tsx /api/gpu every second).
            "removed GET /api/cpu: ", "removed GET /api/gpu: ",
            // Route monitor/route.ts is new; UI: hooks/useMonitorStream.tsx reads it.
            "added GET /api/monitor: sse stream",
            // Route datasets/listImages/route.ts: `{root, images: [sub-path]}` (c9843692: `{images: [{img_path}]}`).
            "changed POST /api/datasets/listImages: response 200 body.images[]: type object -> string",
            "changed POST /api/datasets/listImages: response 200 body.root added",
            // UI: components/AddImagesModal.tsx uploads one file a request (c9843692: all files in one).
            "changed POST /api/datasets/upload: request body.files: type array -> binary",
            "changed POST /api/datasets/upload: multipart part files: up to 2 per request -> one per request",
            // UI: components/FilesWidget.tsx and DatasetImageCard.tsx build `<folder>/<file>` with
            // encodeFilePathForUrl (c9843692: `encodeURIComponent(path)`, one segment); the file server
            // (cron/fileServer.ts) and server/catchAllPath.ts take both.
            "added GET /api/files/{+path}: ", "removed GET /api/files/{filePath}: ",
            "added GET /api/img/{+imgPaths}: ", "removed GET /api/img/{filePath}: ",
            // Route jobs/route.ts reads only_active; UI: components/JobsTable.tsx and ActiveJobWidget.tsx send it.
            "changed GET /api/jobs: query parameter only_active added (optional)",
            // Route jobs/[jobID]/log/route.ts: `{log, offset, reset}`, `?offset=` (c9843692: `{log}`); UI: hooks/useJobLog.tsx.
            "changed GET /api/jobs/{jobId}/log: query parameter offset added (optional)",
            "changed GET /api/jobs/{jobId}/log: response 200 body.offset added",
            "changed GET /api/jobs/{jobId}/log: response 200 body.reset added",
            // Route jobs/[jobID]/loss/route.ts is new; UI: components/JobLossGraph.tsx.
            "added GET /api/jobs/{jobId}/loss: ",
            // Route ostris_cloud/route.ts is new; UI: components/OstrisCloudBalance.tsx.
            "added GET /api/ostris_cloud: ",
            // Route settings/route.ts defaults MODELS_PATH.
            "changed GET /api/settings: response 200 body.MODELS_PATH added",
        ]
        // prisma/schema.prisma: the Job row gains six columns, in every answer that is a job.
        for column in ["job_ref", "job_type", "pid", "sample_now", "save_now", "total_steps"] {
            changes.insert("changed GET /api/jobs: response 200 body.jobs[].\(column) added")
            for endpoint in ["POST /api/jobs", "GET /api/jobs/{jobId}/delete", "GET /api/jobs/{jobId}/start", "GET /api/jobs/{jobId}/stop"] {
                changes.insert("changed \(endpoint): response 200 body.\(column) added")
            }
        }
        return changes
    }()

    @Test("2025-10 -> 2026-08 on the replica: exactly the changes the real commits make to what is reached")
    func versionsDiff() async throws {
        let old = try await Self.capture(uiVersion: "2025-10")
        let new = try await Self.capture(uiVersion: "2026-08")
        let diff = Discovery.diff(old: old, new: new)
        let changes = Set(diff.changes.map { "\($0.kind) \($0.endpoint): \($0.detail)" })
        #expect(changes.subtracting(Self.realChanges).sorted() == [], "listed but not a real difference")
        #expect(Self.realChanges.subtracting(changes).sorted() == [], "a real difference not listed")
        #expect(diff.exitCode() == 2)
    }
}
