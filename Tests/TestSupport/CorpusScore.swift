import Discovery
import Foundation
import JSONCore
import Recording
import Synchronization

/// Scores discovery on one corpus app: a real third-party app's captures against the routes its own
/// published API description lists (`corpus/<app>/ground-truth.json`, format in `corpus/README.md`).
public struct CorpusScore: Sendable {
    /// One route of the ground truth.
    public struct Route: Sendable {
        public var method: String
        public var path: String
        public var segments: [GroundSegment]
        /// Parameter name -> `integer`, `uuid`, `string` or `path`.
        public var types: [String: String]
        /// nil when the description does not say.
        public var query: Set<String>?
        public var operationField: String?
        public var operations: Set<String>

        public var key: String { "\(method) \(path)" }
    }

    /// A ground-truth path segment: a literal, a parameter (`{id}`) or a literal with a parameter
    /// inside (`file={path}`).
    public enum GroundSegment: Sendable, Equatable {
        case literal(String)
        case parameter(name: String, prefix: String, suffix: String)
    }

    public struct Verdict: Sendable {
        public var endpoint: String
        public var route: String?
        /// Empty when right.
        public var problems: [String]
    }

    public var app: String
    public var routes: [Route]
    /// Ground-truth routes some described exchange of the capture reached.
    public var reached: Set<String>
    public var verdicts: [Verdict]

    public var right: [Verdict] { verdicts.filter { $0.route != nil && $0.problems.isEmpty } }
    public var precision: Double { verdicts.isEmpty ? 1 : Double(right.count) / Double(verdicts.count) }
    /// Reached routes that some endpoint describes rightly.
    public var recall: Double {
        guard !reached.isEmpty else { return 1 }
        let covered = Set(right.compactMap(\.route)).intersection(reached)
        return Double(covered.count) / Double(reached.count)
    }
    public var missed: [String] { reached.subtracting(Set(right.compactMap(\.route))).sorted() }

    // MARK: reading the ground truth

    public static func loadRoutes(_ url: URL) throws -> (app: String, routes: [Route]) {
        let json = try JSON.parse(bytes: [UInt8](Data(contentsOf: url)))
        let app = json["app"]?.stringValue ?? url.deletingLastPathComponent().lastPathComponent
        var routes: [Route] = []
        for item in json["routes"]?.arrayValue ?? [] {
            guard let method = item["method"]?.stringValue, let path = item["path"]?.stringValue else { continue }
            var types: [String: String] = [:]
            for (name, type) in item["parameters"]?.objectValue ?? [:] { types[name] = type.stringValue ?? "string" }
            let query = item["query"]?.arrayValue.map { Set($0.compactMap(\.stringValue)) }
            let operations = item["operations"]
            routes.append(Route(
                method: method.uppercased(), path: path, segments: segments(of: path), types: types, query: query,
                operationField: operations?["field"]?.stringValue,
                operations: Set(operations?["names"]?.arrayValue?.compactMap(\.stringValue) ?? [])))
        }
        return (app, routes)
    }

    static func segments(of path: String) -> [GroundSegment] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { raw in
            let segment = String(raw)
            guard let open = segment.firstIndex(of: "{"), let close = segment[open...].firstIndex(of: "}") else { return .literal(segment) }
            return .parameter(
                name: String(segment[segment.index(after: open)..<close]), prefix: String(segment[..<open]),
                suffix: String(segment[segment.index(after: close)...]))
        }
    }

    // MARK: scoring

    /// Scores `api` (discovered from `capture`) against the ground truth.
    public static func score(app: String, routes: [Route], capture: CaptureFile, api: DiscoveredAPI) -> CorpusScore {
        let origin = api.baseURL.map(Self.origin(of:)) ?? ""
        var reached = Set<String>()
        for exchange in capture.exchanges {
            guard Self.origin(of: exchange.url) == origin, !isPageOrAsset(exchange) else { continue }
            let segments = Self.pathSegments(of: exchange.url)
            let method = exchange.method.uppercased()
            guard let route = routes.first(where: { $0.method == method && matches($0, raw: segments) }) else { continue }
            reached.insert(route.key)
            // Each operation of a JSON-RPC or GraphQL endpoint counts as a route of its own.
            if let field = route.operationField, let text = exchange.request.body?.text,
                let body = try? JSON.parse(text), let name = (body[field] ?? body.arrayValue?.first?[field])?.stringValue,
                route.operations.contains(name)
            {
                reached.insert(route.key + "#" + name)
            }
        }
        var verdicts: [Verdict] = []
        for endpoint in api.endpoints where endpoint.observations.count > 0 && endpoint.source != "manual" {
            let verdict = judge(endpoint, routes: routes)
            verdicts.append(verdict)
            guard let key = verdict.route, let route = routes.first(where: { $0.key == key }), route.operationField != nil else { continue }
            for operation in endpoint.operations {
                let known = route.operations.contains(operation.name) && operation.field == route.operationField
                verdicts.append(Verdict(
                    endpoint: endpoint.key + "#" + operation.name, route: known ? key + "#" + operation.name : nil,
                    problems: known ? [] : ["not an operation of \(key)"]))
            }
        }
        return CorpusScore(app: app, routes: routes, reached: reached, verdicts: verdicts)
    }

    /// What the API description is not about: a page the browser loaded (a 2xx HTML document), and
    /// the UI's scripts, styles and fonts. A route the app also serves as a page (`GET /login`) is
    /// reached only by its API use.
    static func isPageOrAsset(_ exchange: Exchange) -> Bool {
        if ["Script", "Stylesheet", "Font"].contains(exchange.resourceType ?? "") { return true }
        guard exchange.resourceType == "Document", exchange.method == "GET", let response = exchange.response,
            (200..<300).contains(response.status)
        else { return false }
        let type = response.mimeType ?? response.headers.first { $0.name.lowercased() == "content-type" }?.value ?? ""
        return type.lowercased().hasPrefix("text/html")
    }

    static func judge(_ endpoint: DiscoveredEndpoint, routes: [Route]) -> Verdict {
        let tokens = PathTemplate(parsing: endpoint.path).tokens
        guard let route = routes.first(where: { $0.method == endpoint.method && sameShape($0.segments, tokens) }) else {
            return Verdict(endpoint: endpoint.key, route: nil, problems: ["not in the ground truth"])
        }
        var problems: [String] = []
        let groundParameters = route.segments.compactMap { segment -> String? in
            if case .parameter(let name, _, _) = segment { return name } else { return nil }
        }
        let pathParameters = endpoint.parameters.filter { $0.location == .path }
        for (ground, found) in zip(groundParameters, pathParameters) {
            let wanted = route.types[ground] ?? "string"
            let got = typeName(found)
            // A UUID is a string: a route that takes any string, seen with UUIDs, is typed right.
            if wanted != got, !(wanted == "string" && got == "uuid") { problems.append("path parameter \(found.name): \(got), not \(wanted)") }
        }
        if let accepted = route.query {
            for parameter in endpoint.parameters where parameter.location == .query && !accepted.contains(parameter.name) {
                problems.append("query parameter \(parameter.name) is not the app's")
            }
        }
        return Verdict(endpoint: endpoint.key, route: route.key, problems: problems)
    }

    /// The ground-truth type a discovered path parameter has: `path` when it spans segments.
    static func typeName(_ parameter: DiscoveredParameter) -> String {
        if parameter.schema["x-multi-segment"]?.boolValue == true { return "path" }
        let schema = parameter.schema
        let type = schema["type"]?.stringValue ?? schema["type"]?.arrayValue?.first?.stringValue
        if type == "integer" { return "integer" }
        if schema["format"]?.stringValue == "uuid" { return "uuid" }
        return "string"
    }

    /// Same route, parameter names aside: literal for literal, parameter for parameter.
    static func sameShape(_ ground: [GroundSegment], _ tokens: [PathTemplate.Token]) -> Bool {
        guard ground.count == tokens.count else { return false }
        for (segment, token) in zip(ground, tokens) {
            switch (segment, token) {
            case (.literal(let a), .literal(let b)): if a != b && a != percentDecodedSegment(b) { return false }
            case (.parameter(_, let prefix, let suffix), .parameter):
                if !prefix.isEmpty || !suffix.isEmpty { return false }
            case (.parameter(_, let prefix, let suffix), .rest(_, let found)):
                // `file={path_or_url}` of type path is discovery's `file={+path}`.
                if prefix != found || !suffix.isEmpty { return false }
            default: return false
            }
        }
        return true
    }

    /// Whether a request's raw path segments fall under a ground-truth route (a `path` parameter
    /// takes one or more segments).
    static func matches(_ route: Route, raw: [String]) -> Bool {
        func match(_ g: Int, _ r: Int) -> Bool {
            if g == route.segments.count { return r == raw.count }
            guard r < raw.count else { return false }
            switch route.segments[g] {
            case .literal(let value):
                return (raw[r] == value || percentDecodedSegment(raw[r]) == value) && match(g + 1, r + 1)
            case .parameter(let name, let prefix, let suffix):
                let first = percentDecodedSegment(raw[r])
                guard first.hasPrefix(prefix) || raw[r].hasPrefix(prefix) else { return false }
                if route.types[name] == "path" {
                    for end in (r + 1)...raw.count where match(g + 1, end) {
                        let last = raw[end - 1]
                        if suffix.isEmpty || last.hasSuffix(suffix) { return true }
                    }
                    return false
                }
                guard suffix.isEmpty || raw[r].hasSuffix(suffix) else { return false }
                return match(g + 1, r + 1)
            }
        }
        return match(0, 0)
    }

    static func origin(of url: String) -> String {
        var text = url
        if text.hasPrefix("ws://") { text = "http://" + text.dropFirst(5) }
        if text.hasPrefix("wss://") { text = "https://" + text.dropFirst(6) }
        guard let scheme = text.range(of: "://") else { return "" }
        let rest = text[scheme.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var host = rest[..<end]
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        return String(text[..<scheme.upperBound]) + host
    }

    static func pathSegments(of url: String) -> [String] {
        var text = Substring(url)
        if let scheme = text.range(of: "://") {
            text = text[scheme.upperBound...]
            text = text[(text.firstIndex(of: "/") ?? text.endIndex)...]
        }
        if let stop = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<stop] }
        return text.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    static func percentDecodedSegment(_ segment: String) -> String { segment.removingPercentEncoding ?? segment }

    // MARK: the corpus on disk

    /// `corpus/` at the top of the package.
    public static var corpusFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("corpus")
    }

    /// The apps that have a ground truth and at least one capture.
    public static func apps() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpusFolder.path)) ?? []
        return names.sorted().filter { name in
            let folder = corpusFolder.appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent("ground-truth.json").path)
                && FileManager.default.fileExists(atPath: folder.appendingPathComponent("run-1.capture.jsonl").path)
        }
    }

    /// Other versions of an app kept beside its current one: `ground-truth-<tag>.json` with
    /// `<tag>-run-1.capture.jsonl` (Gradio 4 beside Gradio 5), as (app, tag).
    public static func olderVersions() -> [(app: String, tag: String)] {
        apps().flatMap { app -> [(app: String, tag: String)] in
            let folder = corpusFolder.appendingPathComponent(app)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.sorted().compactMap { name in
                guard name.hasPrefix("ground-truth-"), name.hasSuffix(".json") else { return nil }
                let tag = String(name.dropFirst("ground-truth-".count).dropLast(".json".count))
                return names.contains("\(tag)-run-1.capture.jsonl") ? (app, tag) : nil
            }
        }
    }

    /// Discovers `corpus/<app>/<capture>` as `discover generate` would and scores it against
    /// `groundTruth` (default `ground-truth.json`).
    public static func score(
        app: String, capture name: String = "run-1.capture.jsonl", groundTruth: String = "ground-truth.json"
    ) throws -> (CorpusScore, DiscoveredAPI) {
        let key = [app, name, groundTruth].joined(separator: "/")
        if let known = scores.withLock({ $0[key] }) { return known }
        let folder = corpusFolder.appendingPathComponent(app)
        let (appName, routes) = try loadRoutes(folder.appendingPathComponent(groundTruth))
        let api = try discovered(app: app, capture: name)
        let capture = try CaptureFile.read(folder.appendingPathComponent(name))
        let result = (score(app: appName, routes: routes, capture: capture, api: api), api)
        scores.withLock { $0[key] = result }
        return result
    }

    private static let discoveries = Mutex<[String: DiscoveredAPI]>([:])
    private static let scores = Mutex<[String: (CorpusScore, DiscoveredAPI)]>([:])

    /// The API discovered from `corpus/<app>/<capture>`, once per process: many tests read the same
    /// few captures, and the suite runs beside timing-sensitive ones on two cores.
    public static func discovered(app: String, capture name: String = "run-1.capture.jsonl") throws -> DiscoveredAPI {
        let key = app + "/" + name
        if let known = discoveries.withLock({ $0[key] }) { return known }
        let api = try Discovery.discover(captureAt: corpusFolder.appendingPathComponent(key), options: DiscoveryOptions(appName: app))
        discoveries.withLock { $0[key] = api }
        return api
    }

    /// A route key with its parameters unnamed: the same route in two versions' ground truths.
    public static func normalizedRoute(_ key: String) -> String {
        var out = ""
        var depth = 0
        for character in key {
            if character == "{" {
                depth += 1
                if depth == 1 { out += "{}" }
            } else if character == "}" {
                depth -= 1
            } else if depth == 0 {
                out.append(character)
            }
        }
        return out
    }

    /// The real differences between two versions that the flows reached, from the two ground truths:
    /// routes reached in one version and absent from the other's description.
    public static func expectedDifferences(old: CorpusScore, new: CorpusScore) -> (removed: Set<String>, added: Set<String>) {
        let oldRoutes = Set(old.routes.map { normalizedRoute($0.key) })
        let newRoutes = Set(new.routes.map { normalizedRoute($0.key) })
        let removed = Set(old.reached.map(normalizedRoute).filter { !newRoutes.contains($0) })
        let added = Set(new.reached.map(normalizedRoute).filter { !oldRoutes.contains($0) })
        return (removed, added)
    }

    /// One line per app, as `make corpus` and the tests print it.
    public var line: String {
        let p = String(format: "%.2f", precision)
        let r = String(format: "%.2f", recall)
        return "\(app.padding(toLength: 14, withPad: " ", startingAt: 0)) precision \(p) (\(right.count)/\(verdicts.count))  recall \(r) (\(reached.count - missed.count)/\(reached.count) reached routes)"
    }

    /// What was wrong, for a failing test's message.
    public var explanation: String {
        var lines: [String] = []
        for verdict in verdicts where verdict.route == nil || !verdict.problems.isEmpty {
            lines.append("  wrong: \(verdict.endpoint): \(verdict.problems.joined(separator: "; "))")
        }
        for route in missed { lines.append("  missed: \(route)") }
        return lines.joined(separator: "\n")
    }
}
