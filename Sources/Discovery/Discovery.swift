import Foundation
import JSONCore
import Recording

/// From recorded exchanges to an API description, its generated artifacts, and recapture diffs.
public enum Discovery {
    public static func discover(from exchanges: [Exchange], options: DiscoveryOptions) -> DiscoveredAPI {
        discover(exchanges: exchanges, options: options)
    }

    /// Reads the exchanges twice (once for routes, once for shapes), so a lazily generated collection
    /// works without ever holding all of them.
    public static func discover<Exchanges: Collection>(exchanges: Exchanges, options: DiscoveryOptions) -> DiscoveredAPI
    where Exchanges.Element == Exchange {
        var run = DiscoveryRun(options: options)
        for exchange in exchanges { run.scan(exchange) }
        run.inferTemplates()
        let shards = run.assignShards(options.effectiveThreads)
        // Nothing in the pass throws: only the producer could, and this one does not.
        let tallies = (try? ShapePass.run(run, shards: shards) { fold in for exchange in exchanges { fold(exchange) } }) ?? []
        run.absorb(tallies)
        return finish(run, options: options)
    }

    private static func finish(_ run: DiscoveryRun, options: DiscoveryOptions) -> DiscoveredAPI {
        var api = run.finish()
        if let manual = options.manualEndpoints {
            do {
                let entries = try ManualEndpoints.load(manual)
                ManualEndpoints.merge(entries, into: &api)
            } catch {
                api.notes.append("manual endpoints not merged: \(error)")
            }
        }
        OperationNaming.assign(&api)
        return api
    }

    /// A discovered API with `manual-endpoints.json` merged in (for `generate` on an edited
    /// `discovered-endpoints.json`): conflicts become notes, as in discovery itself.
    public static func mergingManualEndpoints(at url: URL, into api: DiscoveredAPI) throws -> DiscoveredAPI {
        var merged = api
        ManualEndpoints.merge(try ManualEndpoints.load(url), into: &merged)
        OperationNaming.assign(&merged)
        return merged
    }

    /// Discovery straight from a `capture.jsonl`, read twice in bounded chunks (never whole).
    /// `observing` sees every exchange of the second pass: the HTML report's timeline is gathered there
    /// rather than by a third read of the file.
    /// `clock`, when given, learns where the time went, stage by stage (the benchmark's figures).
    public static func discover(
        captureAt url: URL, options: DiscoveryOptions, observing: ((Exchange) -> Void)? = nil, clock: StageClock? = nil
    ) throws -> DiscoveredAPI {
        let replay = CaptureReplay(url: url, decoders: options.effectiveThreads)
        var run = DiscoveryRun(options: options)
        let summary = try measured(clock, "routes: put records together, scan") { try replay.replay(detail: .routes, clock: clock, stage: "routes") { run.scan($0) } }
        // Random bytes or some other JSON Lines file: nothing in it is a capture record.
        if summary.header == nil, summary.trailer == nil, summary.skippedLines > 0, run.exchangesSeen == 0 {
            throw DiscoveryError.invalidFile(url.path, "not a discover capture: none of its \(summary.skippedLines) lines is a capture record")
        }
        if options.baseURL == nil, let base = summary.header?.baseURL { run.options.baseURL = base }
        measured(clock, "templates") { run.inferTemplates() }
        let shards = run.assignShards(options.effectiveThreads)
        let tallies = try measured(clock, "shapes: put records together, first shard") {
            try ShapePass.run(run, shards: shards, observing: observing, clock: clock) { fold in _ = try replay.replay(clock: clock, stage: "shapes", fold) }
        }
        run.absorb(tallies)
        var api = measured(clock, "finish: schemas, links, names") { finish(run, options: options) }
        api.capture.complete = summary.trailer?.complete ?? false
        api.capture.flows = summary.trailer?.flows ?? [:]
        if !(summary.trailer?.complete ?? false) {
            api.notes.append("The capture is incomplete (no trailer, or the run ended on a failed step): routes may be missing.")
        }
        if summary.skippedLines > 0 { api.notes.append("\(summary.skippedLines) unreadable capture lines were skipped.") }
        return api
    }

    private static func measured<Value>(_ clock: StageClock?, _ stage: String, _ body: () throws -> Value) rethrows -> Value {
        guard let clock else { return try body() }
        return try clock.measure(stage, body)
    }

    /// Reads `discovered-endpoints.json` (or a run folder holding one) back, for `generate` and `diff`.
    public static func load(from url: URL) throws -> DiscoveredAPI {
        try DiscoveredAPI.load(from: url)
    }

    /// Writes `discovered-endpoints.json`, `openapi.json`, `<app>-client.generated.ts`, `report.md` and
    /// `report.html` (whose timeline and changes come from `page`, when the caller has them; nil writes
    /// no page, which only the benchmark that measures the page's cost asks for).
    public static func writeOutputs(_ api: DiscoveredAPI, to folder: URL, page: HTMLReport.Context? = HTMLReport.Context()) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let drawing = page.map { PendingPage(api, $0) }
        try AtomicFile.write(api.json.serialized(.pretty) + "\n", to: folder.appendingPathComponent("discovered-endpoints.json"))
        try AtomicFile.write(OpenAPIWriter.document(api).serialized(.pretty) + "\n", to: folder.appendingPathComponent("openapi.json"))
        try AtomicFile.write(TypeScriptWriter.client(api), to: folder.appendingPathComponent(TypeScriptWriter.fileName(api)))
        try AtomicFile.write(ReportWriter.report(api), to: folder.appendingPathComponent("report.md"))
        if let drawing { try HTMLReport.write(drawing.bytes(), to: folder) }
    }

    /// The timeline's rows of a capture, for a page drawn without discovering it again (`generate` on a
    /// `discovered-endpoints.json` beside its capture, `diff --html`).
    public static func timeline(captureAt url: URL) throws -> TimelineCollector {
        var collector = TimelineCollector()
        _ = try CaptureReplay(url: url).replay { collector.add($0) }
        return collector
    }

    public static func diff(old: DiscoveredAPI, new: DiscoveredAPI) -> APIDiff {
        APIDiff.compare(old: old, new: new)
    }

    /// Whether an exchange is part of the API rather than the page's own assets.
    static func isDescribed(_ exchange: Exchange, isAPIPath: Bool, includeStatic: Bool) -> Bool {
        if includeStatic { return true }
        // CORS preflights are the browser's, not the application's.
        if exchange.method == "OPTIONS", exchange.request.headers.contains(where: { $0.name.lowercased() == "access-control-request-method" }) { return false }
        if exchange.kind != .http || exchange.download != nil { return true }
        // Scripts, styles and fonts are never routes, and a page the browser loaded is a page, even
        // under a path that looks like an API (Prefect's UI lives at `/v2/`).
        if exchange.isStaticAsset, let type = exchange.resourceType, ["Script", "Stylesheet", "Font", "Manifest", "TextTrack"].contains(type) {
            return false
        }
        if exchange.resourceType == "Document", exchange.method == "GET", let response = exchange.response,
            (200..<300).contains(response.status), bareMediaType(response.mimeType ?? headerValue(response.headers, "content-type")) == "text/html"
        {
            return includeStatic
        }
        if isAPIPath { return true }
        if exchange.isStaticAsset { return isGeneratedImage(exchange) }
        if isAssetFetch(exchange) { return false }
        switch exchange.resourceType?.lowercased() {
        case "xhr", "fetch", "eventsource", "websocket": return true
        case nil:
            let mime = BodyFormat(mimeType: exchange.response?.mimeType)
            return mime == .json || mime == .eventStream || mime == .ndjson
        case "document":
            // A page is not a route; a form that posts, or a link that only redirects (`/logout`), is.
            // A redirect deeper into the same path (`/` -> `/v2/`) is where the UI is mounted.
            let status = exchange.response?.status ?? 0
            if exchange.method != "GET" { return true }
            guard (300..<400).contains(status), status != 304 else { return false }
            let location = exchange.response.flatMap { headerValue($0.headers, "location") } ?? ""
            let target = location.hasPrefix("/") ? location : URLParts(URLParts.split(location).location).path
            let path = URLParts(URLParts.split(exchange.url).location).path
            return !(target.hasPrefix(path) && target.count > path.count)
        default: return false
        }
    }

    /// What the UI's own script fetched from its files rather than its API: a stylesheet, script,
    /// image or font by type (MochaUI loads its CSS by XHR); a file of the UI by name (`/views/x.html`,
    /// `/assets/lang/lang-en.json`, `/themes.json`: a file extension, no identifier on the way); a whole
    /// HTML page. A page fragment from a route without an extension (htmx) is still described.
    static func isAssetFetch(_ exchange: Exchange) -> Bool {
        guard exchange.download == nil, let response = exchange.response,
            headerValue(response.headers, "content-disposition")?.lowercased().hasPrefix("attachment") != true
        else { return false }
        let mime = bareMediaType(response.mimeType ?? headerValue(response.headers, "content-type")) ?? ""
        if mime == "text/css" || mime.hasSuffix("javascript") || mime.hasPrefix("font/") || mime.hasPrefix("image/") { return true }
        let segments = URLParts.segments(of: URLParts(URLParts.split(exchange.url).location).path)
        if exchange.method == "GET", let last = segments.last, SegmentShape(last) == .fileName,
            Self.uiFileExtensions.contains(String(last.split(separator: ".").last ?? "").lowercased()),
            !segments.dropLast().contains(where: { SegmentShape($0).isIdentifier })
        {
            return true
        }
        if mime == "text/html", let text = response.body?.textValue {
            let head = text.utf8.prefix(256).drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
            let start = String(decoding: head.prefix(15), as: UTF8.self).lowercased()
            return start.hasPrefix("<!doctype html") || start.hasPrefix("<html")
        }
        return false
    }

    static let uiFileExtensions: Set<String> = [
        "json", "html", "htm", "css", "js", "mjs", "map", "svg", "xml", "txt", "md", "ico", "webmanifest", "yaml", "yml", "po", "mo",
    ]

    /// An image a route draws for its query (`/qr/?text=...`): no file extension, a parameter that is
    /// not a cache-buster. A picture file (`logo.png?v=3`) stays an asset.
    static func isGeneratedImage(_ exchange: Exchange) -> Bool {
        guard exchange.resourceType == "Image", exchange.method == "GET" else { return false }
        let (location, query) = URLParts.split(exchange.url)
        guard !query.isEmpty, let last = URLParts.segments(of: URLParts(location).path).last, SegmentShape(last) != .fileName else { return false }
        return URLParts.parseQuery(query).contains { item in
            !QueryNoise.isNoiseKey(item.name, value: item.value, at: exchange.startedAt) && !QueryNoise.bustingNames.contains(item.name.lowercased())
        }
    }

    /// `/api/...`, `/graphql`, `/rest/...`, `/v1/...`: a path that names an API whatever fetched it.
    static func looksLikeAPIPath(_ path: String) -> Bool {
        guard let first = URLParts.segments(of: path).first else { return false }
        let lower = first.lowercased()
        return lower == "api" || lower == "graphql" || lower == "rest" || SegmentShape(first) == .reserved && lower != "public"
    }
}
