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
        /// Every described answer was HTML: with a navigation to the same URL, a page, not a route.
        var htmlOnly = true
        /// Segment index -> the response that handed the value out earlier.
        var links: [Int: LinkIndex.Source] = [:]
    }

    private struct GroupKey: Hashable {
        var method: String
        var rawPath: Int
    }

    private var total = 0
    private var described = 0
    private var firstSeen = Double.infinity
    private var lastSeen = -Double.infinity
    private var rawPaths: [RawPath] = []
    private var rawPathIndex: [String: Int] = [:]
    /// URLs the browser navigated to (documents): an HTML page fetched again by script is still a page.
    private var documentLocations: Set<String> = []
    private var groups: [GroupKey] = []
    private var groupIndex: [GroupKey: Int] = [:]
    private var indexedBodies: [Int: Int] = [:]
    /// Group -> `GET {isAuthenticated}`: the method and the keys of its first JSON answer.
    private var groupBehaviour: [Int: String] = [:]
    private var seenBodies: Set<Int> = []
    private var links = LinkIndex()
    private var cache = ParseCache()

    private var chosenOrigin = ""
    /// Group -> endpoint accumulator.
    private var endpointOfGroup: [Int] = []
    private var accumulators: [EndpointAccumulator] = []
    private var groupCounts: [Int] = []
    private var dataLinks: [String: (link: DataLink, count: Int)] = [:]
    private var bodyLinksChecked: [Int: Int] = [:]
    private var steps: [Provenance: (order: Int, calls: [String])] = [:]
    private var schemes: [String: JSON] = [:]
    private var otherOrigins = 0

    init(options: DiscoveryOptions) { self.options = options }

    // MARK: pass 1: routes and the identifiers responses hand out

    mutating func scan(_ exchange: Exchange) {
        total += 1
        if exchange.startedAt < firstSeen { firstSeen = exchange.startedAt }
        if exchange.startedAt > lastSeen { lastSeen = exchange.startedAt }
        let location = URLParts.split(exchange.url).location
        if exchange.resourceType == "Document" { documentLocations.insert(location) }
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
            var raw = RawPath(origin: parts.origin, path: parts.path, segments: URLParts.segments(of: parts.path), isAPIPath: isAPIPath, location: location)
            for (position, segment) in raw.segments.enumerated() where position > 0 {
                if let source = links.source(of: percentDecoded(segment), before: exchange.startedAt) { raw.links[position] = source }
            }
            rawPaths.append(raw)
        }
        rawPaths[pathIndex].described += 1
        if rawPaths[pathIndex].htmlOnly, bareMediaType(exchange.response?.mimeType ?? exchange.response.flatMap { headerValue($0.headers, "content-type") }) != "text/html" {
            rawPaths[pathIndex].htmlOnly = false
        }
        let method = Self.uppercased(exchange.method)
        let group = self.group(GroupKey(method: method, rawPath: pathIndex))
        // Polling repeats itself: the first few distinct bodies of a route carry its identifiers.
        guard let response = exchange.response, (200..<300).contains(response.status), indexedBodies[group, default: 0] < 64,
            let text = response.body?.textValue,
            BodyFormat.sniffed(declared: response.mimeType ?? headerValue(response.headers, "content-type"), text: text) == .json
        else { return }
        guard seenBodies.insert(text.hashValue).inserted, let json = cache.json(text) else { return }
        indexedBodies[group, default: 0] += 1
        if groupBehaviour[group] == nil {
            let keys = json.objectValue.map { "{" + $0.keys.sorted().joined(separator: ",") + "}" } ?? json.typeName
            groupBehaviour[group] = method + " " + keys
        }
        links.index(json, group: group, time: exchange.startedAt)
    }

    /// Methods arrive uppercase; only a rare lowercase one pays for the conversion.
    static func uppercased(_ method: String) -> String {
        method.utf8.contains { $0 >= 0x61 && $0 <= 0x7A } ? method.uppercased() : method
    }

    private mutating func group(_ key: GroupKey) -> Int {
        if let index = groupIndex[key] { return index }
        groupIndex[key] = groups.count
        groups.append(key)
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
                segments: raw.segments, linkedFields: raw.links.mapValues(\.key),
                behaviour: (behaviours[index] ?? []).sorted().joined(separator: ";")))
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
        groupCounts = Array(repeating: 0, count: groups.count)
    }

    // MARK: pass 2: shapes

    mutating func accumulate(_ exchange: Exchange) {
        let (location, rawQuery) = URLParts.split(exchange.url)
        guard let pathIndex = rawPathIndex[location], let group = groupIndex[GroupKey(method: Self.uppercased(exchange.method), rawPath: pathIndex)]
        else { return }
        guard rawPaths[pathIndex].origin == chosenOrigin else {
            otherOrigins += 1
            return
        }
        let endpoint = endpointOfGroup[group]
        guard endpoint >= 0 else { return }
        described += 1
        groupCounts[group] += 1
        let accumulator = accumulators[endpoint]
        let query = URLParts.parseQuery(rawQuery)
        let credentials = CredentialScheme.detect(exchange.request.headers, url: exchange.url, query: query)
        for scheme in credentials where schemes[scheme.name] == nil { schemes[scheme.name] = scheme.definition }
        accumulator.add(exchange, path: rawPaths[pathIndex].path, query: query, segments: rawPaths[pathIndex].segments, credentials: credentials, cache: &cache)
        if let step = exchange.provenance {
            let key = accumulator.method + " " + accumulator.template.description
            var entry = steps[step] ?? (steps.count, [])
            if !entry.calls.contains(key) { entry.calls.append(key) }
            steps[step] = entry
        }
        traceQueryAndBody(exchange, query: query, endpoint: endpoint)
    }

    /// Query values and JSON body values that an earlier response handed out.
    private mutating func traceQueryAndBody(_ exchange: Exchange, query: [(name: String, value: String)], endpoint: Int) {
        for (name, value) in query where Self.isDistinctive(value) {
            if let source = links.source(of: value, before: exchange.startedAt) { addLink(source, to: endpoint, location: "query", name: name) }
        }
        guard let body = exchange.request.body, let text = body.textValue,
            BodyFormat.sniffed(declared: body.mimeType ?? headerValue(exchange.request.headers, "content-type"), text: text) == .json,
            bodyLinksChecked[endpoint, default: 0] < 64, let json = cache.json(text)
        else { return }
        bodyLinksChecked[endpoint, default: 0] += 1
        var found: [(String, LinkIndex.Source)] = []
        collect(json, path: "", into: &found, time: exchange.startedAt, depth: 0)
        for (name, source) in found { addLink(source, to: endpoint, location: "body", name: name) }
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

    private mutating func addLink(_ source: LinkIndex.Source, to endpoint: Int, location: String, name: String, count: Int = 1) {
        let sourceEndpoint = endpointOfGroup[source.group]
        guard sourceEndpoint >= 0, sourceEndpoint != endpoint || location == "path" else { return }
        let from = accumulators[sourceEndpoint].method + " " + accumulators[sourceEndpoint].template.description
        let to = accumulators[endpoint].method + " " + accumulators[endpoint].template.description
        let key = [from, source.field, to, location, name].joined(separator: "\u{1}")
        if let entry = dataLinks[key] {
            dataLinks[key] = (entry.link, entry.count + count)
        } else {
            dataLinks[key] = (DataLink(from: from, field: source.field, to: to, location: location, name: name, count: 0), count)
        }
    }

    // MARK: results

    mutating func finish() -> DiscoveredAPI {
        // Path links: a raw path's linked segments feed the parameter at that position.
        var linkedParameters: [Int: [String: String]] = [:]
        for (group, key) in groups.enumerated() {
            let endpoint = endpointOfGroup[group]
            guard endpoint >= 0, groupCounts[group] > 0 else { continue }
            let template = accumulators[endpoint].template
            for (position, source) in rawPaths[key.rawPath].links {
                guard position < template.tokens.count, case .parameter(let name) = template.tokens[position] else { continue }
                let sourceEndpoint = endpointOfGroup[source.group]
                guard sourceEndpoint >= 0 else { continue }
                let from = accumulators[sourceEndpoint].method + " " + accumulators[sourceEndpoint].template.description
                if linkedParameters[endpoint, default: [:]][name] == nil {
                    linkedParameters[endpoint, default: [:]][name] = "value returned earlier by \(from) in \(source.field)"
                }
                addLink(source, to: endpoint, location: "path", name: name, count: groupCounts[group])
            }
        }
        var endpoints: [DiscoveredEndpoint] = []
        for (index, accumulator) in accumulators.enumerated() where accumulator.count > 0 {
            endpoints.append(accumulator.finish(linkedParameters: linkedParameters[index] ?? [:]))
        }
        endpoints.sort { ($0.path, $0.method) < ($1.path, $1.method) }
        let dataLinkList = dataLinks.values.map { entry -> DataLink in
            var link = entry.link
            link.count = entry.count
            return link
        }.sorted { ($0.to, $0.location, $0.name, $0.from, $0.field) < ($1.to, $1.location, $1.name, $1.from, $1.field) }
        let stepList = steps.sorted { $0.value.order < $1.value.order }.map {
            StepCalls(flow: $0.key.flow, step: $0.key.step, description: $0.key.description, calls: $0.value.calls)
        }
        var notes: [String] = []
        if otherOrigins > 0 { notes.append("\(otherOrigins) API-like exchanges to other origins than \(chosenOrigin) were left out.") }
        return DiscoveredAPI(
            appName: options.appName, baseURL: chosenOrigin.isEmpty ? options.baseURL : chosenOrigin,
            capture: CaptureStats(
                exchanges: total, describedExchanges: described, firstSeen: firstSeen.isFinite ? firstSeen : nil,
                lastSeen: lastSeen.isFinite ? lastSeen : nil),
            endpoints: endpoints, securitySchemes: schemes, links: dataLinkList, steps: stepList, notes: notes)
    }
}
