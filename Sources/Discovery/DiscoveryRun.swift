import JSONCore
import Recording

/// The state of one discovery: routes from the first pass, shapes from the second.
struct DiscoveryRun {
    var options: DiscoveryOptions

    private struct RawPath {
        var origin: String
        var path: String
        var segments: [String]
        var isAPIPath: Bool
        var described = 0
        /// Origin and path as the request wrote them (the lookup key).
        var location: String
        /// Every described exchange was a navigation or answered HTML: if the URL was also loaded as a
        /// page (2xx document), it is a page, not a route.
        var htmlOnly = true
        /// The earliest request to it: values handed out before this time name its segments.
        var firstSeen: Double
        /// Segment index -> the response that handed the value out earlier.
        var links: [Int: LinkIndex.Source] = [:]
        /// Segment index -> the key under which the client itself sent the value.
        var sentKeys: [Int: String] = [:]
        /// The rest of the path is one value (it holds `/`).
        var rest: TemplateInference.Rest?
    }

    private struct GroupKey: Hashable {
        var method: String
        var rawPath: Int
    }

    private var total = 0
    /// Exchanges scanned so far.
    var exchangesSeen: Int { total }
    private var firstSeen = Double.infinity
    private var lastSeen = -Double.infinity
    private var rawPaths: [RawPath] = []
    private var rawPathIndex: [String: Int] = [:]
    /// URLs the browser loaded as pages (2xx documents): an HTML page fetched again by script, or a
    /// redirect to a login before the page itself, is still a page.
    private var documentLocations: Set<String> = []
    private var groups: [GroupKey] = []
    private var groupIndex: [GroupKey: Int] = [:]
    private var indexedBodies: [Int: Int] = [:]
    /// Group -> `GET {isAuthenticated}`: the method and the keys of its first JSON answer.
    private var groupBehaviour: [Int: String] = [:]
    private var seenBodies: Set<String> = []
    private var links = LinkIndex()
    /// Identifier values the client sent in bodies and queries.
    private var sentValues = LinkIndex()
    private var sentIndexed: [Int: Int] = [:]
    private var indexedMessages: [Int: Int] = [:]
    private var cache = ParseCache()

    private var chosenOrigin = ""
    /// Group -> endpoint accumulator.
    private var endpointOfGroup: [Int] = []
    private var accumulators: [EndpointAccumulator] = []
    /// Group -> the shard (thread) of the second pass that owns its endpoint.
    private var shardOfGroup: [Int] = []
    /// Exchanges of each group the first pass described: what balances the shards.
    private var scannedPerGroup: [Int] = []
    /// The second pass's tally, once its shards are merged.
    private var tally = ShapeTally(groups: 0)
    /// Cookies a login response set.
    private var loginCookies: Set<String> = []

    init(options: DiscoveryOptions) { self.options = options }

    // MARK: pass 1: routes and the identifiers responses hand out

    mutating func scan(_ exchange: Exchange) {
        total += 1
        if exchange.startedAt < firstSeen { firstSeen = exchange.startedAt }
        if exchange.startedAt > lastSeen { lastSeen = exchange.startedAt }
        let location = URLParts.split(exchange.url).location
        if exchange.resourceType == "Document", let status = exchange.response?.status, (200..<300).contains(status) { documentLocations.insert(location) }
        let known = rawPathIndex[location]
        let isAPIPath = known.map { rawPaths[$0].isAPIPath } ?? Discovery.looksLikeAPIPath(URLParts(location).path)
        guard Discovery.isDescribed(exchange, isAPIPath: isAPIPath, includeStatic: options.includeStatic) else { return }
        var pathIndex: Int
        if let known {
            pathIndex = known
        } else {
            let parts = URLParts(location)
            pathIndex = rawPaths.count
            rawPathIndex[location] = pathIndex
            rawPaths.append(RawPath(
                origin: parts.origin, path: parts.path, segments: URLParts.segments(of: parts.path), isAPIPath: isAPIPath, location: location,
                firstSeen: exchange.startedAt))
        }
        rawPaths[pathIndex].described += 1
        if exchange.startedAt < rawPaths[pathIndex].firstSeen { rawPaths[pathIndex].firstSeen = exchange.startedAt }
        // A form that posts is an action even where the same URL is also a page (`POST /login`).
        if rawPaths[pathIndex].htmlOnly, exchange.method != "GET" || exchange.resourceType != "Document"
            && bareMediaType(exchange.response?.mimeType ?? exchange.response.flatMap { headerValue($0.headers, "content-type") }) != "text/html"
        {
            rawPaths[pathIndex].htmlOnly = false
        }
        let method = Self.uppercased(exchange.method)
        let group = self.group(GroupKey(method: method, rawPath: pathIndex))
        scannedPerGroup[group] += 1
        noteLoginCookies(exchange, method: method, path: rawPaths[pathIndex].path)
        indexSent(exchange, group: group)
        indexMessages(exchange, group: group)
        // Polling repeats itself: the first few distinct bodies of a route carry its identifiers.
        guard let response = exchange.response, (200..<300).contains(response.status), indexedBodies[group, default: 0] < 64,
            let text = response.body?.textValue,
            BodyFormat.sniffed(declared: response.mimeType ?? headerValue(response.headers, "content-type"), text: text) == .json
        else { return }
        guard seenBodies.insert(text).inserted, let json = cache.json(text) else { return }
        indexedBodies[group, default: 0] += 1
        if groupBehaviour[group] == nil {
            let keys = json.objectValue.map { "{" + $0.keys.sorted().joined(separator: ",") + "}" } ?? json.typeName
            groupBehaviour[group] = method + " " + keys
        }
        links.index(json, group: group, time: exchange.startedAt)
    }

    /// Cookies a login sets are the session, whatever their names (`username-127-0-0-1-8899` on
    /// Jupyter): a POST that carried a credential (a secret the capture redacted) or goes to a
    /// login-like path, answered with `Set-Cookie`.
    private mutating func noteLoginCookies(_ exchange: Exchange, method: String, path: String) {
        guard method == "POST", let response = exchange.response, let setCookie = headerValue(response.headers, "set-cookie") else { return }
        let lower = path.lowercased()
        let loginPath = ["login", "signin", "sign_in", "sign-in", "session", "auth"].contains { lower.contains($0) }
        let carriedSecret = exchange.request.body?.text?.contains("<redacted:") == true
            || exchange.request.body?.multipart?.contains { $0.value?.contains("<redacted:") == true } == true
        guard loginPath || carriedSecret else { return }
        for line in setCookie.split(separator: "\n") {
            let name = trimmedSpaces(line.split(separator: "=", maxSplits: 1).first ?? "")
            if !name.isEmpty { loginCookies.insert(name) }
        }
    }

    /// Identifiers the client itself sent (a Gradio `session_hash` in a body or query, generated in
    /// the page): a path segment equal to one is data, not route vocabulary.
    private mutating func indexSent(_ exchange: Exchange, group: Int) {
        guard sentIndexed[group, default: 0] < 64 else { return }
        // The first requests of a route carry its client-made ids; polling repeats them.
        sentIndexed[group, default: 0] += 1
        let rawQuery = URLParts.split(exchange.url).query
        if !rawQuery.isEmpty {
            for (name, value) in URLParts.parseQuery(rawQuery) where LinkIndex.isIdentifierKey(name) && !value.isEmpty {
                sentValues.index(.object([name: .string(value)]), group: group, time: exchange.startedAt)
            }
        }
        if let body = exchange.request.body, let text = body.textValue, text.utf8.count <= 64 * 1024,
            BodyFormat.sniffed(declared: body.mimeType ?? headerValue(exchange.request.headers, "content-type"), text: text) == .json,
            let json = cache.json(text)
        {
            sentValues.index(json, group: group, time: exchange.startedAt)
        }
    }

    /// Server-sent events and WebSocket messages hand out identifiers too (Gradio's finished job
    /// names the file it wrote).
    private mutating func indexMessages(_ exchange: Exchange, group: Int) {
        guard exchange.kind != .http, !exchange.messages.isEmpty else { return }
        for message in exchange.messages where message.direction == .received && !message.base64 {
            guard indexedMessages[group, default: 0] < 256 else { return }
            guard message.data.utf8.first == 0x7B || message.data.utf8.first == 0x5B, let json = cache.json(message.data) else { continue }
            indexedMessages[group, default: 0] += 1
            links.index(json, group: group, time: message.time)
        }
    }

    /// After the whole capture is read: each raw path's segments that a response handed out before
    /// (or the client sent), and a tail that is one value with its `/` (a file path a response named).
    private mutating func linkSegments() {
        for index in rawPaths.indices where rawPaths[index].origin == chosenOrigin {
            let segments = rawPaths[index].segments
            let time = rawPaths[index].firstSeen
            for position in segments.indices where position > 0 {
                let value = percentDecoded(segments[position])
                if let source = links.source(of: value, before: time), isNearby(source, segments: segments, value: value) {
                    rawPaths[index].links[position] = source
                } else if let source = sentValues.source(of: value, before: .infinity),
                    SegmentShape(value) != .word || Self.isStrongIdentifierKey(source.key)
                {
                    // A word the client sent as `?key=loss` may well be route vocabulary; one it sent as
                    // its `session_hash` is an id it made up.
                    rawPaths[index].sentKeys[position] = source.key
                }
            }
            rawPaths[index].rest = restParameter(segments, before: time)
        }
    }

    /// `session_hash`, `jobId`, `uuid`: a key that names an identifier, not just any name or key.
    static func isStrongIdentifierKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        return ["id", "uuid", "hash", "token"].contains { lower.hasSuffix($0) } && !["hash"].contains(lower)
    }

    /// A word a response handed out counts for a path in the same area (`/api/kernels/...` after
    /// `/api/kernels`), not for any path anywhere: JupyterLab's toolbar settings name an `interrupt`
    /// button, and `/api/kernels/{id}/interrupt` is still a route. Identifier-shaped values count
    /// wherever they came from.
    private func isNearby(_ source: LinkIndex.Source, segments: [String], value: String) -> Bool {
        guard SegmentShape(value) == .word else { return true }
        let from = rawPaths[groups[source.group].rawPath].segments
        return from.count >= 2 && segments.count >= 2 && from.prefix(2) == segments.prefix(2)
    }

    /// The first position from which the rest of the path is one value that a response or the client
    /// named: `/api/files/a/b/c.txt` after `{"path": "a/b/c.txt"}`, `/gradio_api/file=/tmp/x/y.txt`
    /// after `{"path": "/tmp/x/y.txt"}` (the literal before `=` stays in the route).
    private func restParameter(_ segments: [String], before time: Double) -> TemplateInference.Rest? {
        guard segments.count >= 2 else { return nil }
        // The value runs to the end, or stops before a last route word (`/checkpoints`).
        let suffixes = segments.count >= 3 && SegmentShape(segments[segments.count - 1]) == .word ? [0, 1] : [0]
        for position in 0..<segments.count {
            for suffix in suffixes where position < segments.count - suffix {
                if let rest = restParameter(segments, from: position, suffix: suffix, before: time) { return rest }
            }
        }
        return nil
    }

    private func restParameter(_ segments: [String], from position: Int, suffix: Int, before time: Double) -> TemplateInference.Rest? {
        let end = segments.count - suffix
        let tail = segments[(position + 1)..<end].map { percentDecoded($0) }
        var candidates: [(prefix: String, value: String)] = []
        // The first segment is route, unless a literal (`file=`) in it keeps the route's name.
        if !tail.isEmpty, position > 0 { candidates.append(("", ([percentDecoded(segments[position])] + tail).joined(separator: "/"))) }
        if let equals = segments[position].firstIndex(of: "="), equals > segments[position].startIndex {
            let prefix = String(segments[position][...equals])
            let first = percentDecoded(String(segments[position][segments[position].index(after: equals)...]))
            if first.isEmpty, !tail.isEmpty {
                candidates.append((prefix, "/" + tail.joined(separator: "/")))
            } else if !first.isEmpty {
                candidates.append((prefix, ([first] + tail).joined(separator: "/")))
            }
        }
        for (prefix, value) in candidates {
            let source = links.source(of: value, before: time) ?? links.source(of: "/" + value, before: time)
                ?? sentValues.source(of: value, before: .infinity)
            // Without a literal in front (`file=`), only a file's path or a value named as an id
            // spans segments: a page path a message named (`"page": "/jobs/<id>"`) must not
            // swallow `/api/jobs/<id>/delete`.
            if let source, prefix.isEmpty, !LinkIndex.isFilePath("/" + value), !LinkIndex.isFilePath(value),
                !Self.isStrongIdentifierKey(source.key)
            {
                continue
            }
            if let source {
                return TemplateInference.Rest(position: position, prefix: prefix, field: source.key, suffix: Array(segments[end...]))
            }
        }
        return nil
    }

    /// Methods arrive uppercase; only a rare lowercase one pays for the conversion.
    static func uppercased(_ method: String) -> String {
        method.utf8.contains { $0 >= 0x61 && $0 <= 0x7A } ? method.uppercased() : method
    }

    private mutating func group(_ key: GroupKey) -> Int {
        if let index = groupIndex[key] { return index }
        groupIndex[key] = groups.count
        groups.append(key)
        scannedPerGroup.append(0)
        return groups.count - 1
    }

    // MARK: templates

    mutating func inferTemplates() {
        if let base = options.baseURL, !base.isEmpty {
            chosenOrigin = URLParts(base).origin
        } else {
            var origins: [String: Int] = [:]
            for raw in rawPaths { origins[raw.origin, default: 0] += raw.described }
            chosenOrigin = origins.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? ""
        }
        linkSegments()
        var included: [Int] = []
        var inputs: [TemplateInference.RawPath] = []
        var behaviours: [Int: [String]] = [:]
        for (group, key) in groups.enumerated() {
            behaviours[key.rawPath, default: []].append(groupBehaviour[group] ?? key.method)
        }
        for (index, raw) in rawPaths.enumerated() where raw.origin == chosenOrigin {
            if raw.htmlOnly, !raw.isAPIPath, !options.includeStatic, documentLocations.contains(raw.location) { continue }
            included.append(index)
            inputs.append(TemplateInference.RawPath(
                segments: raw.segments, linkedFields: raw.sentKeys.merging(raw.links.mapValues(\.key)) { _, linked in linked },
                behaviour: (behaviours[index] ?? []).sorted().joined(separator: ";"), rest: raw.rest))
        }
        let results = TemplateInference(userTemplates: options.templates).infer(inputs)
        var resultOfRawPath: [Int: TemplateInference.Result] = [:]
        for (position, index) in included.enumerated() { resultOfRawPath[index] = results[position] }
        var accumulatorIndex: [String: Int] = [:]
        endpointOfGroup = groups.map { key in
            guard let result = resultOfRawPath[key.rawPath] else { return -1 }
            let name = key.method + " " + result.template.description
            if let existing = accumulatorIndex[name] { return existing }
            accumulatorIndex[name] = accumulators.count
            accumulators.append(EndpointAccumulator(method: key.method, template: result.template, reasons: result.reasons))
            return accumulators.count - 1
        }
    }

    /// Deals the endpoints out to `count` shards, the busiest first, each to the shard with the fewest
    /// exchanges so far, so the threads of the second pass finish together. A group without an
    /// endpoint goes to the first shard, which counts what is left out.
    mutating func assignShards(_ count: Int) -> Int {
        let shards = max(1, min(count, accumulators.count))
        var load = Array(repeating: 0, count: accumulators.count)
        for (group, endpoint) in endpointOfGroup.enumerated() where endpoint >= 0 { load[endpoint] += scannedPerGroup[group] }
        var shardOfEndpoint = Array(repeating: 0, count: accumulators.count)
        var shardLoad = Array(repeating: 0, count: shards)
        for endpoint in load.indices.sorted(by: { (load[$0], $1) > (load[$1], $0) }) {
            let lightest = shardLoad.indices.min { (shardLoad[$0], $0) < (shardLoad[$1], $1) }!
            shardOfEndpoint[endpoint] = lightest
            shardLoad[lightest] += load[endpoint]
        }
        shardOfGroup = endpointOfGroup.map { $0 >= 0 ? shardOfEndpoint[$0] : 0 }
        return shards
    }

    /// A tally for each shard; the first carries on the first pass's parse cache.
    func tallies(_ count: Int) -> [ShapeTally] {
        var first = ShapeTally(groups: groups.count)
        first.cache = cache
        return [first] + (1..<max(count, 1)).map { _ in ShapeTally(groups: groups.count) }
    }

    /// The shards' tallies, once the second pass is over.
    mutating func absorb(_ tallies: [ShapeTally]) {
        tally = ShapeTally.merged(tallies)
    }

    // MARK: pass 2: shapes

    /// Where an exchange of the second pass goes: its raw path, group and the shard that owns its
    /// endpoint. Nil for one that is not described (counted when it went to another origin).
    struct Route {
        var pathIndex: Int
        var group: Int
        var endpoint: Int
        var shard: Int
        /// The exchange's position in the pass: where the first occurrence wins, the earliest does.
        var position: Int
        /// The URL's query, split off once here.
        var rawQuery: Substring
    }

    func route(_ exchange: Exchange, position: Int, into tally: inout ShapeTally) -> Route? {
        let (location, rawQuery) = URLParts.split(exchange.url)
        guard let pathIndex = rawPathIndex[location], let group = groupIndex[GroupKey(method: Self.uppercased(exchange.method), rawPath: pathIndex)]
        else { return nil }
        guard rawPaths[pathIndex].origin == chosenOrigin else {
            tally.otherOrigins += 1
            return nil
        }
        let endpoint = endpointOfGroup[group]
        guard endpoint >= 0 else { return nil }
        return Route(pathIndex: pathIndex, group: group, endpoint: endpoint, shard: shardOfGroup[group], position: position, rawQuery: rawQuery)
    }

    /// Folds in one exchange of the second pass. Reads the run without changing it, so shards can
    /// run side by side, each on its own endpoints with its own tally.
    func accumulate(_ exchange: Exchange, _ route: Route, into tally: inout ShapeTally) {
        tally.described += 1
        tally.groupCounts[route.group] += 1
        let accumulator = accumulators[route.endpoint]
        let query = URLParts.parseQuery(route.rawQuery)
        let credentials = CredentialScheme.detect(
            exchange.request.headers, url: exchange.url, query: query, sessionCookies: loginCookies, memo: &tally.credentialMemo)
        for scheme in credentials where tally.schemes[scheme.name] == nil { tally.schemes[scheme.name] = (route.position, scheme.definition) }
        let raw = rawPaths[route.pathIndex]
        accumulator.add(exchange, path: raw.path, query: query, segments: raw.segments, credentials: credentials, cache: &tally.cache)
        if let step = exchange.provenance {
            tally.steps[step, default: []].insert(accumulator.method + " " + accumulator.template.description)
            tally.flowStarts[step.flow] = min(tally.flowStarts[step.flow] ?? .infinity, exchange.startedAt)
        }
        traceQueryAndBody(exchange, query: query, endpoint: route.endpoint, into: &tally)
    }

    /// Query values and JSON body values that an earlier response handed out.
    private func traceQueryAndBody(_ exchange: Exchange, query: [(name: String, value: String)], endpoint: Int, into tally: inout ShapeTally) {
        for (name, value) in query where Self.isDistinctive(value) {
            if let source = links.source(of: value, before: exchange.startedAt) { addLink(source, to: endpoint, location: "query", name: name, into: &tally) }
        }
        guard let body = exchange.request.body, let text = body.textValue,
            BodyFormat.sniffed(declared: body.mimeType ?? headerValue(exchange.request.headers, "content-type"), text: text) == .json,
            tally.bodyLinksChecked[endpoint, default: 0] < 64, let json = tally.cache.json(text)
        else { return }
        tally.bodyLinksChecked[endpoint, default: 0] += 1
        var found: [(String, LinkIndex.Source)] = []
        collect(json, path: "", into: &found, time: exchange.startedAt, depth: 0)
        for (name, source) in found { addLink(source, to: endpoint, location: "body", name: name, into: &tally) }
    }

    private func collect(_ json: JSON, path: String, into found: inout [(String, LinkIndex.Source)], time: Double, depth: Int) {
        guard depth < 6 else { return }
        switch json {
        case .object(let members):
            for (key, member) in members { collect(member, path: path.isEmpty ? key : path + "." + key, into: &found, time: time, depth: depth + 1) }
        case .array(let items):
            for item in items.prefix(10) { collect(item, path: path + "[]", into: &found, time: time, depth: depth + 1) }
        case .string(let value) where Self.isDistinctive(value):
            if let source = links.source(of: value, before: time) { found.append((path, source)) }
        default:
            return
        }
    }

    /// Short or small-number values match by chance; only these are worth tracing.
    private static func isDistinctive(_ value: String) -> Bool {
        let bytes = value.utf8
        guard bytes.count >= 4, bytes.count <= 200 else { return false }
        return !bytes.allSatisfy(isDigit) || bytes.count >= 6
    }

    private func addLink(_ source: LinkIndex.Source, to endpoint: Int, location: String, name: String, count: Int = 1, into tally: inout ShapeTally) {
        let sourceEndpoint = endpointOfGroup[source.group]
        guard sourceEndpoint >= 0, sourceEndpoint != endpoint || location == "path" else { return }
        let from = accumulators[sourceEndpoint].method + " " + accumulators[sourceEndpoint].template.description
        let to = accumulators[endpoint].method + " " + accumulators[endpoint].template.description
        tally.addLink(from: from, field: source.field, to: to, location: location, name: name, count: count)
    }

    // MARK: results

    func finish() -> DiscoveredAPI {
        var tally = self.tally
        // Path links: a raw path's linked segments feed the parameter at that position.
        var linkedParameters: [Int: [String: String]] = [:]
        for (group, key) in groups.enumerated() {
            let endpoint = endpointOfGroup[group]
            let count = group < tally.groupCounts.count ? tally.groupCounts[group] : 0
            guard endpoint >= 0, count > 0 else { continue }
            let template = accumulators[endpoint].template
            for (position, source) in rawPaths[key.rawPath].links {
                guard position < template.tokens.count, case .parameter(let name) = template.tokens[position] else { continue }
                let sourceEndpoint = endpointOfGroup[source.group]
                guard sourceEndpoint >= 0 else { continue }
                let from = accumulators[sourceEndpoint].method + " " + accumulators[sourceEndpoint].template.description
                if linkedParameters[endpoint, default: [:]][name] == nil {
                    linkedParameters[endpoint, default: [:]][name] = "value returned earlier by \(from) in \(source.field)"
                }
                addLink(source, to: endpoint, location: "path", name: name, count: count, into: &tally)
            }
        }
        var endpoints: [DiscoveredEndpoint] = []
        for (index, accumulator) in accumulators.enumerated() where accumulator.count > 0 {
            endpoints.append(accumulator.finish(linkedParameters: linkedParameters[index] ?? [:]))
        }
        endpoints.sort { ($0.path, $0.method) < ($1.path, $1.method) }
        let dataLinkList = tally.dataLinks.values.map { entry -> DataLink in
            var link = entry.link
            link.count = entry.count
            return link
        }.sorted { ($0.to, $0.location, $0.name, $0.from, $0.field) < ($1.to, $1.location, $1.name, $1.from, $1.field) }
        // Requests a step makes at once arrive in any order: their endpoints are listed by name.
        let flowStarts = tally.flowStarts
        let stepList = tally.steps.sorted {
            (flowStarts[$0.key.flow] ?? 0, $0.key.flow, $0.key.step, $0.key.description) < (flowStarts[$1.key.flow] ?? 0, $1.key.flow, $1.key.step, $1.key.description)
        }.map {
            StepCalls(flow: $0.key.flow, step: $0.key.step, description: $0.key.description, calls: $0.value.sorted())
        }
        var notes: [String] = []
        if tally.otherOrigins > 0 { notes.append("\(tally.otherOrigins) API-like exchanges to other origins than \(chosenOrigin) were left out.") }
        if !tally.cache.tooDeep.isEmpty {
            notes.append(
                "\(tally.cache.tooDeep.count) JSON bodies nest deeper than \(JSON.maximumNestingDepth) levels: kept raw in the capture, their shape not described.")
        }
        return DiscoveredAPI(
            appName: options.appName, baseURL: chosenOrigin.isEmpty ? options.baseURL : chosenOrigin,
            capture: CaptureStats(
                exchanges: total, describedExchanges: tally.described, firstSeen: firstSeen.isFinite ? firstSeen : nil,
                lastSeen: lastSeen.isFinite ? lastSeen : nil),
            endpoints: endpoints, securitySchemes: tally.schemes.mapValues(\.definition), links: dataLinkList, steps: stepList, notes: notes)
    }
}
