import Foundation
import JSONCore
import HTTPServer

/// Dispatches every request the way the real app's layers do: at 27a03a91 the file server answers GET/HEAD
/// `/api/files/*` and `/api/img/*`; Next.js routes handle the rest (only the version's `routes`), and any
/// other path is a page of the client-side app. The middleware's token check has already run, in
/// `RequestGate`, before the body was read.
struct ReplicaRouter: Sendable {
    let context: ReplicaContext
    let trainer: SimulatedTrainer

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let path = request.rawPath
        if path == "/_next/webpack-hmr", context.options.devMode {
            return HotReloadSocket(interval: context.options.hotReloadInterval).response(for: request)
        }
        guard path == "/api" || path.hasPrefix("/api/") else {
            return PageRoutes(context: context).handle(request)
        }
        // c9843692 has no file server (`ui/cron/fileServer.ts`): its Next routes serve those files.
        if request.method == "GET" || request.method == "HEAD", !context.version.isOctober2025 {
            if path.hasPrefix("/api/files/") { return FileRoutes(context: context).serve(request, prefix: "/api/files/") }
            if path.hasPrefix("/api/img/") { return FileRoutes(context: context).serve(request, prefix: "/api/img/") }
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).dropFirst().map {
            String($0).removingPercentEncoding ?? String($0)
        }
        return await route(request, segments)
    }

    /// Each case names the real route file it follows (`ui/src/app/api/<path>/route.ts` at the version's
    /// commit); a route the version does not have is Next's 404, or 405 when its path has other methods.
    private func route(_ request: HTTPRequest, _ segments: [String]) async -> HTTPResponse {
        let method = request.method == "HEAD" ? "GET" : request.method
        let template = Self.template(segments, in: context.version)
        guard context.version.routes.contains("\(method) \(template)") else {
            return context.version.routes.contains { $0.hasSuffix(" " + template) } ? .status(405) : Self.notFound
        }
        let datasets = DatasetRoutes(context: context)
        let captions = CaptionRoutes(context: context)
        let jobs = JobRoutes(context: context, trainer: trainer)
        let queues = QueueRoutes(context: context)
        let system = SystemRoutes(context: context)
        if context.version.isOctober2025, template.hasPrefix("/api/img/{") || template.hasPrefix("/api/files/{") {
            // img/[...imagePath]/route.ts, files/[...filePath]/route.ts at c9843692
            return FileRoutes(context: context).serveByNextRoute(request, segments: Array(segments.dropFirst()))
        }
        if segments.count == 3, method == "GET" {
            // jobs/[jobID]/<action>/route.ts
            if segments[0] == "jobs" { return jobs.action(segments[2], id: segments[1], request: request) }
            // queue/[queueID]/start/route.ts, queue/[queueID]/stop/route.ts
            if segments[0] == "queue", segments[2] == "start" { return queues.start(segments[1]) }
            if segments[0] == "queue", segments[2] == "stop" { return queues.stop(segments[1]) }
        }
        // audio/art/[...audioPath]/route.ts
        if segments.count > 2, segments[0] == "audio", segments[1] == "art" {
            return AlbumArtRoute(context: context).serve(Array(segments.dropFirst(2)))
        }
        switch (method, segments.joined(separator: "/")) {
        case ("GET", "auth"): return .json(["isAuthenticated": true])  // auth/route.ts
        case ("GET", "datasets/list"): return datasets.list()  // datasets/list/route.ts
        case ("POST", "datasets/create"): return datasets.create(request)  // datasets/create/route.tsx
        case ("POST", "datasets/delete"): return datasets.delete(request)  // datasets/delete/route.tsx
        case ("POST", "datasets/listImages"): return datasets.listImages(request)  // datasets/listImages/route.ts
        case ("POST", "datasets/upload"): return datasets.upload(request)  // datasets/upload/route.ts
        case ("POST", "zip"): return ZipRoutes(context: context).zip(request)  // zip/route.ts
        case ("POST", "caption/get"): return captions.caption(request)  // caption/get/route.ts
        case ("POST", "caption/getBatch"): return captions.captionBatch(request)  // caption/getBatch/route.ts
        case ("POST", "img/caption"): return captions.saveCaption(request)  // img/caption/route.ts
        case ("POST", "img/delete"): return captions.deleteImage(request)  // img/delete/route.ts
        case ("POST", "img/upload"): return ImageUploadRoute(context: context).upload(request)  // img/upload/route.ts
        case ("POST", "files/delete"): return captions.deleteFile(request)  // files/delete/route.ts
        case ("GET", "jobs"): return jobs.list(request)  // jobs/route.ts
        case ("POST", "jobs"): return jobs.save(request)  // jobs/route.ts
        case ("GET", "queue"): return queues.list()  // queue/route.ts
        case ("GET", "settings"): return system.settings()  // settings/route.ts
        case ("POST", "settings"): return system.saveSettings(request)  // settings/route.ts
        case ("GET", "monitor"): return system.monitor()  // monitor/route.ts
        case ("GET", "gpu"): return system.gpu()  // gpu/route.ts
        case ("GET", "cpu"): return system.cpu()  // cpu/route.ts
        case ("GET", "ostris_cloud"): return .json(["enabled": false])  // ostris_cloud/route.ts, no cloud configured
        case ("POST", "scripts"): return ScriptRoutes().run(request)  // scripts/route.ts
        default: return Self.notFound
        }
    }

    /// Next.js answers an unknown route with its HTML 404 page.
    static let notFound = HTTPResponse.html(
        "<!DOCTYPE html><html><head><title>404: This page could not be found.</title></head>"
            + "<body><h1>404</h1><h2>This page could not be found.</h2></body></html>", status: 404)

    /// The route file a path under `/api/` lands on, as `ReplicaVersion.routes` names it: a static path
    /// first, then the dynamic `[jobID]`/`[queueID]` folders and the `[...x]` catch-alls, as Next matches.
    static func template(_ segments: [String], in version: ReplicaVersion) -> String {
        let path = "/api/" + segments.joined(separator: "/")
        if version.routes.contains(where: { $0.hasSuffix(" " + path) }) { return path }
        switch segments.first {
        case "jobs" where segments.count == 3: return "/api/jobs/{jobID}/" + segments[2]
        case "queue" where segments.count == 3: return "/api/queue/{queueID}/" + segments[2]
        case "img" where segments.count > 1: return "/api/img/{+imagePath}"
        case "files" where segments.count > 1: return "/api/files/{+filePath}"
        case "audio" where segments.count > 2 && segments[1] == "art": return "/api/audio/art/{+audioPath}"
        default: return path
        }
    }
}

extension HTTPRequest {
    /// The JSON object a route reads with `await request.json()`; nil when the body is not JSON.
    var jsonObject: JSON? {
        guard let value = jsonBody, case .object = value else { return nil }
        return value
    }
}
