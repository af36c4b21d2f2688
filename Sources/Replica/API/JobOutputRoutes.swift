import Foundation
import JSONCore
import HTTPServer

/// What a job wrote into its training folder: `/api/jobs/<id>/log|files|samples|loss|plugin`.
struct JobOutputRoutes: Sendable {
    let context: ReplicaContext
    private var fileManager: FileManager { .default }

    /// `jobs/[jobID]/log/route.ts`: `{log, offset, reset}`, the bytes after `offset`, or (no offset, or one
    /// past the end: the log was rewritten) the last 5 MiB from a line start. c9843692: `{log}`, the whole file.
    func log(_ job: Job, request: HTTPRequest) -> HTTPResponse {
        guard let url = context.jobFolder(job)?.appendingPathComponent("log.txt"), let data = try? Data(contentsOf: url) else {
            return context.version.isOctober2025 ? .json(["log": ""]) : .json(["log": "", "offset": 0, "reset": true])
        }
        guard !context.version.isOctober2025 else {
            return .json(["log": .string(String(decoding: data, as: UTF8.self))])
        }
        // `parseInt`: leading digits count, anything else is NaN.
        let offset = request.queryValue("offset").flatMap { Int($0.prefix { $0.isNumber || $0 == "-" }) }
        if let offset, offset >= 0, offset <= data.count {
            return .json(["log": .string(String(decoding: data[offset...], as: UTF8.self)), "offset": .integer(data.count), "reset": false])
        }
        let maximumTailBytes = 5 * 1024 * 1024
        let start = max(0, data.count - maximumTailBytes)
        var text = String(decoding: data[start...], as: UTF8.self)
        if start > 0, let newline = text.firstIndex(of: "\n") { text = String(text[text.index(after: newline)...]) }
        return .json(["log": .string(text), "offset": .integer(data.count), "reset": true])
    }

    /// `jobs/[jobID]/files/route.ts`: the sorted `*.safetensors`, then `optimizer.pt` when present (not
    /// listed at c9843692).
    func files(_ job: Job) -> HTTPResponse {
        guard let folder = context.jobFolder(job) else { return .json(["files": []]) }
        var names = ((try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".safetensors") }.sorted()
        if !context.version.isOctober2025, fileManager.fileExists(atPath: folder.appendingPathComponent("optimizer.pt").path) { names.append("optimizer.pt") }
        let entries: [JSON] = names.map { name in
            let path = folder.appendingPathComponent(name).path
            let size = (try? fileManager.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
            return ["path": .string(path), "size": .integer(size)]
        }
        return .json(["files": .array(entries)])
    }

    /// `jobs/[jobID]/samples/route.ts`: regular files whose names end so (the audio ones without the dot,
    /// as there), sorted.
    static let sampleEndings = [".png", ".jpg", ".jpeg", ".webp", ".mp4", "mp3", "wav", "flac", "ogg"]
    /// c9843692: images only (its isFile check did not exist either; the replica keeps folders out).
    static let sampleEndingsOfOctober2025 = [".png", ".jpg", ".jpeg", ".webp"]

    func samples(_ job: Job) -> HTTPResponse {
        guard let folder = context.jobFolder(job)?.appendingPathComponent("samples") else { return .json(["samples": []]) }
        let endings = context.version.isOctober2025 ? Self.sampleEndingsOfOctober2025 : Self.sampleEndings
        let names = ((try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? []).filter { name in
            var isDirectory: ObjCBool = false
            return fileManager.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && !isDirectory.boolValue && endings.contains { name.hasSuffix($0) }
        }.sorted()
        return .json(["samples": .array(names.map { .string(folder.appendingPathComponent($0).path) })])
    }

    /// `jobs/[jobID]/loss/route.ts` over the trainer's `loss_log.db` (kept in memory here): before the job
    /// ever ran there is no database and the answer is `{keys: [], key: "loss", points: []}`; then the
    /// points of `key` with `step > since_step` and `step % stride == 0`, ascending, the first `limit`
    /// (default 2000, at most 20000).
    func loss(_ job: Job, request: HTTPRequest) -> HTTPResponse {
        guard let recorded = context.state.withLock({ $0.loss[job.id] }) else {
            return .json(["keys": [], "key": "loss", "points": []])
        }
        let key = request.queryValue("key") ?? "loss"
        let limit = min(request.queryValue("limit").flatMap(Int.init) ?? 2000, 20000)
        let since = request.queryValue("since_step").flatMap(Int.init)
        let stride = max(1, request.queryValue("stride").flatMap(Int.init) ?? 1)
        // The simulated trainer logs one metric, `loss`.
        let keys: [JSON] = recorded.isEmpty ? [] : ["loss"]
        let points = (key == "loss" ? recorded : [])
            .filter { point in since.map { point.step > $0 } ?? true }
            .filter { $0.step % stride == 0 }
            .sorted { $0.step < $1.step }
            .prefix(max(0, limit))
        return .json([
            "key": .string(key), "keys": .array(keys),
            "points": .array(points.map { ["step": .integer($0.step), "wall_time": .number($0.wallTime), "value": .number($0.value)] }),
        ])
    }

    /// `jobs/[jobID]/plugin/route.ts`: `{exists:false, html:null}` without a `plugin.html`; with one,
    /// `{exists:true, html:null}` for `?check=1`, else the raw HTML for an iframe.
    func plugin(_ job: Job, request: HTTPRequest) -> HTTPResponse {
        guard let url = context.jobFolder(job)?.appendingPathComponent("plugin.html"), fileManager.fileExists(atPath: url.path) else {
            return .json(["exists": false, "html": .null])
        }
        if request.queryValue("check") == "1" { return .json(["exists": true, "html": .null]) }
        guard let html = try? String(contentsOf: url, encoding: .utf8) else {
            return .json(["error": "Error reading plugin file"], status: 500)
        }
        var response = HTTPResponse.html(html)
        response.headers.add("Cache-Control", "no-store")
        return response
    }
}
