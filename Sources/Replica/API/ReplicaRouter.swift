import Foundation
import JSONCore
import Wire

/// Dispatches every request the way the real app's layers do: the file server answers GET/HEAD
/// `/api/files/*` and `/api/img/*`; Next.js routes handle the rest, and any other path is a page of
/// the client-side app. The middleware's token check has already run, in `RequestGate`, before the body
/// was read.
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
        if request.method == "GET" || request.method == "HEAD" {
            if path.hasPrefix("/api/files/") { return FileRoutes(context: context).serve(request, prefix: "/api/files/") }
            if path.hasPrefix("/api/img/") { return FileRoutes(context: context).serve(request, prefix: "/api/img/") }
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).dropFirst().map {
            String($0).removingPercentEncoding ?? String($0)
        }
        return await route(request, segments)
    }

    private func route(_ request: HTTPRequest, _ segments: [String]) async -> HTTPResponse {
        let method = request.method == "HEAD" ? "GET" : request.method
        let datasets = DatasetRoutes(context: context)
        let files = FileRoutes(context: context)
        let jobs = JobRoutes(context: context, trainer: trainer)
        let system = SystemRoutes(context: context)
        if segments.count == 3, method == "GET" {
            if segments[0] == "jobs" { return jobs.action(segments[2], id: segments[1], request: request) }
            if segments[0] == "queue", segments[2] == "start" { return jobs.startQueue(segments[1]) }
            if segments[0] == "queue", segments[2] == "stop" { return jobs.stopQueue(segments[1]) }
        }
        switch (method, segments.joined(separator: "/")) {
        case ("GET", "auth"): return .json(["isAuthenticated": true])
        case ("GET", "datasets/list"): return datasets.list()
        case ("POST", "datasets/create"): return datasets.create(request)
        case ("POST", "datasets/delete"): return datasets.delete(request)
        case ("POST", "datasets/listImages"): return datasets.listImages(request)
        case ("POST", "datasets/upload"): return datasets.upload(request)
        case ("POST", "zip"): return datasets.zip(request)
        case ("POST", "caption/get"): return files.caption(request)
        case ("POST", "caption/getBatch"): return files.captionBatch(request)
        case ("POST", "img/caption"): return files.saveCaption(request)
        case ("POST", "img/delete"): return files.deleteImage(request)
        case ("POST", "files/delete"): return files.deleteFile(request)
        case ("GET", "jobs"): return jobs.list(request)
        case ("POST", "jobs"): return jobs.save(request)
        case ("GET", "queue"): return jobs.queues()
        case ("GET", "settings"): return system.settings()
        case ("POST", "settings"): return system.saveSettings(request)
        case ("GET", "monitor") where context.version.hasMonitorStream: return system.monitor()
        case ("GET", "gpu"): return .json(context.options.hasGPU ? FakeMachine.gpuReport(at: Date()) : FakeMachine.noGPU)
        case ("GET", "cpu"): return .json(FakeMachine.cpuReport(at: Date()))
        case ("GET", "ostris_cloud"): return .json(["enabled": false])
        case ("POST", "scripts"): return system.scripts(request)
        default:
            return Self.knownPath(segments, version: context.version) ? .status(405) : Self.notFound
        }
    }

    /// Next.js answers an unknown route with its HTML 404 page.
    static let notFound = HTTPResponse.html(
        "<!DOCTYPE html><html><head><title>404: This page could not be found.</title></head>"
            + "<body><h1>404</h1><h2>This page could not be found.</h2></body></html>", status: 404)

    static let fixedPaths: Set<String> = [
        "auth", "datasets/list", "datasets/create", "datasets/delete", "datasets/listImages", "datasets/upload", "zip",
        "caption/get", "caption/getBatch", "img/caption", "img/delete", "files/delete", "jobs", "queue", "settings",
        "gpu", "cpu", "ostris_cloud", "scripts",
    ]

    /// Paths that exist with another method: Next.js answers those with 405.
    private static func knownPath(_ segments: [String], version: ReplicaVersion) -> Bool {
        let joined = segments.joined(separator: "/")
        if fixedPaths.contains(joined) { return true }
        if joined == "monitor" { return version.hasMonitorStream }
        if segments.count == 3, segments[0] == "jobs" { return JobRoutes.actions.contains(segments[2]) }
        return segments.count == 3 && segments[0] == "queue" && (segments[2] == "start" || segments[2] == "stop")
    }
}

extension HTTPRequest {
    /// The JSON object a route reads with `await request.json()`; nil when the body is not JSON.
    var jsonObject: JSON? {
        guard let value = jsonBody, case .object = value else { return nil }
        return value
    }
}
