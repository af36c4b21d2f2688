import Foundation
import JSONCore
import Recording

/// Everything seen for one method + template, folded in exchange by exchange.
final class EndpointAccumulator {
    let method: String
    let template: PathTemplate
    /// Parameter name -> why it is one (from template inference).
    let parameterReasons: [String: String]
    private(set) var kind: EndpointKind = .http

    private(set) var count = 0
    private var firstSeen = Double.infinity
    private var lastSeen = -Double.infinity
    private var exchangeIds: [String] = []
    private var lastExchangeId: String?
    private var samplePaths: [String] = []
    private var failures: [String: Int] = [:]

    /// Hash of (path, query names) -> start of the latest such request.
    private var lastStartByRequest: [Int: Double] = [:]
    /// Hash of the query names -> seconds between repeats of one request with those names.
    private var gaps: [Int: [Double]] = [:]
    /// Hash of the query names -> `id&only_active`.
    private var queryNames: [Int: String] = [:]

    private var pathValues: [ShapeNode]
    private var pathExamples: [[String]]
    /// The last path's segments and the values its parameters had (nil: the template did not match).
    private var lastPath: (segments: [String], values: [JSON]?) = ([], nil)
    /// The credentials of the last request inserted into `requirements` (polls repeat them).
    private var lastRequirement: [String] = []

    private var queryNodes: [String: ShapeNode] = [:]
    private var queryExamples: [String: [String]] = [:]
    private var queryEvidence: [String: QueryNoise.Evidence] = [:]
    /// Query names already seen with a value and not value-shaped.
    private var plainQueryNames: Set<String> = []
    /// Requests that carried a key which is itself a value (`?1796163557995`).
    private var valueShapedKeys = 0

    private var requestCount = 0
    private var requestTypes: [String: Int] = [:]
    /// What the bodies held, sniffed (`json`, `form`, `other`): a `text/plain` label often carries JSON.
    private var requestFormats: [String: Int] = [:]
    /// The first full `Content-Type` a body was sent with (parameters kept: `text/plain;charset=UTF-8`).
    private var sentLabel: String?
    private let requestBody = BodyAccumulator()
    private var multipartRequests = 0
    private var multipartFields: [String: MultipartStats] = [:]

    private var responses: [Int: ResponseStats] = [:]
    /// JSON-RPC methods or GraphQL operations carried by this one URL.
    private var operations: [OperationSplit.Key: OperationAccumulator] = [:]
    /// The operation of the exchange being added, so its response joins it.
    private var currentOperation: OperationAccumulator?

    private var schemeCounts: [String: Int] = [:]
    /// The sets of schemes successful requests carried together.
    private var requirements: Set<[String]> = []
    private var withCredentials = 0
    private var withoutCredentials = 0
    private var rejectedWithout: Set<Int> = []
    private var anonymousSuccess = false

    private var streamConnections = 0
    /// The WebSocket subprotocol the server chose (`Sec-WebSocket-Protocol`).
    private var subprotocol: String?
    private var messages: [MessageKey: MessageStats] = [:]

    private var provenance: [Provenance: Int] = [:]
    /// Steps in the order they first called this endpoint.
    private var provenanceOrder: [Provenance] = []

    struct MessageKey: Hashable {
        var direction: String
        var name: String
    }

    final class MessageStats {
        let body = BodyAccumulator()
        var count = 0
        var gaps: [Double] = []
        /// Smallest and largest binary frame, in bytes.
        var binarySizes: (min: Int, max: Int)?
    }

    final class MultipartStats {
        var requests = 0
        var minPer = Int.max
        var maxPer = 0
        var isFile = false
        var contentTypes: Set<String> = []
    }

    final class ResponseStats {
        var count = 0
        var contentTypes: [String: Int] = [:]
        let body = BodyAccumulator()
        var disposition: String?
        var fileName: String?
        var downloadTypes: Set<String> = []
    }

    init(method: String, template: PathTemplate, reasons: [String: String]) {
        self.method = method
        self.template = template
        self.parameterReasons = reasons
        let parameters = template.parameterNames.count
        pathValues = (0..<parameters).map { _ in ShapeNode() }
        pathExamples = Array(repeating: [], count: parameters)
    }

    func add(_ exchange: Exchange, path: String, query allQuery: [(name: String, value: String)], segments: [String], credentials: [CredentialScheme], cache: inout ParseCache) {
        count += 1
        if exchange.startedAt < firstSeen { firstSeen = exchange.startedAt }
        if exchange.startedAt > lastSeen { lastSeen = exchange.startedAt }
        if exchangeIds.count < 3 { exchangeIds.append(exchange.id) } else { lastExchangeId = exchange.id }
        if samplePaths.count < 3, !samplePaths.contains(path) { samplePaths.append(path) }
        if let failure = exchange.failure,
            !ResponseEnd.isCompleteDespiteFailure(status: exchange.response?.status, method: exchange.method, errorText: failure.errorText)
        {
            failures[failure.canceled ? "canceled" : failure.errorText, default: 0] += 1
        }
        if let step = exchange.provenance {
            if let known = provenance[step] {
                provenance[step] = known + 1
            } else {
                provenance[step] = 1
                provenanceOrder.append(step)
            }
        }

        // A key that is itself a value (`?1796163557995`) is a cache-buster, never a parameter.
        let time = exchange.startedAt
        let query = allQuery.contains { isNoiseKey($0.name, $0.value, time) } ? allQuery.filter { !isNoiseKey($0.name, $0.value, time) } : allQuery
        if query.count != allQuery.count { valueShapedKeys += 1 }
        // Repeats of the same request: same path and the same query parameter names (values change: `offset`).
        var names = Hasher()
        for item in query { names.combine(item.name) }
        let namesKey = names.finalize()
        if queryNames[namesKey] == nil { queryNames[namesKey] = query.map(\.name).joined(separator: "&") }
        var request = Hasher()
        request.combine(path)
        request.combine(namesKey)
        let repeatKey = request.finalize()
        if let previous = lastStartByRequest[repeatKey], exchange.startedAt > previous { gaps[namesKey, default: []].append(exchange.startedAt - previous) }
        lastStartByRequest[repeatKey] = exchange.startedAt

        addPathValues(segments)
        for (name, value) in query {
            let node = queryNodes[name] ?? ShapeNode()
            queryNodes[name] = node
            node.add(Self.scalar(value))
            queryEvidence[name, default: QueryNoise.Evidence()].add(value, at: exchange.startedAt)
            var examples = queryExamples[name] ?? []
            if examples.count < 3, !examples.contains(value) {
                examples.append(value)
                queryExamples[name] = examples
            }
        }
        currentOperation = nil
        addRequestBody(exchange, cache: &cache)
        addAuth(exchange, credentials: credentials)
        addResponse(exchange, cache: &cache)
        addStream(exchange, cache: &cache)
    }

    /// Polls repeat the same few names: a name known to be a plain parameter is not classified again.
    private func isNoiseKey(_ name: String, _ value: String, _ time: Double) -> Bool {
        if plainQueryNames.contains(name) { return false }
        if QueryNoise.isNoiseKey(name, value: value, at: time) { return true }
        if !value.isEmpty, plainQueryNames.count < 256 { plainQueryNames.insert(name) }
        return false
    }

    private func addPathValues(_ segments: [String]) {
        // Polls repeat one path: its values are decoded once (the raw path's segments are one array).
        if segments != lastPath.segments {
            lastPath = (segments, template.values(in: segments).map { $0.map { raw in Self.scalar(percentDecoded(raw)) } })
            for (parameter, value) in (lastPath.values ?? []).enumerated() where parameter < pathValues.count {
                let text = value.stringValue ?? value.serialized()
                if pathExamples[parameter].count < 3, !pathExamples[parameter].contains(text) { pathExamples[parameter].append(text) }
            }
        }
        for (parameter, value) in (lastPath.values ?? []).enumerated() where parameter < pathValues.count { pathValues[parameter].add(value) }
    }

    /// Path and query values are text; an all-digit one is read as an integer and `true`/`false` as a
    /// boolean, so the schema says so.
    private static func scalar(_ value: String) -> JSON {
        if value == "true" || value == "false" { return .bool(value == "true") }
        if !value.isEmpty, value.utf8.count < 16, value.utf8.allSatisfy(isDigit), !(value.utf8.count > 1 && value.utf8.first == 0x30) {
            return .integer(Int(value)!)
        }
        return .string(value)
    }

    private func addRequestBody(_ exchange: Exchange, cache: inout ParseCache) {
        guard let body = exchange.request.body, body.size > 0 || body.text != nil || body.multipart != nil else { return }
        requestCount += 1
        let mime = bareMediaType(body.mimeType ?? headerValue(exchange.request.headers, "content-type")) ?? "application/octet-stream"
        requestTypes[mime, default: 0] += 1
        if sentLabel == nil { sentLabel = body.mimeType ?? headerValue(exchange.request.headers, "content-type") }
        let format = BodyFormat.sniffed(declared: mime, text: body.textValue, hasMultipartParts: body.multipart != nil)
        requestFormats[format == .json ? "json" : format == .form ? "form" : "other", default: 0] += 1
        switch format {
        case .json:
            if let text = body.textValue {
                requestBody.add(text: text, cache: &cache)
                if let json = cache.json(text), let key = OperationSplit.key(of: json) {
                    let operation = operations[key] ?? OperationAccumulator(key: key)
                    operations[key] = operation
                    operation.count += 1
                    operation.request.add(text: text, cache: &cache)
                    if let flow = exchange.provenance?.flow { operation.flows.insert(flow) }
                    currentOperation = operation
                }
            }
        case .form:
            if let text = body.textValue {
                var object: [String: JSON] = [:]
                for (name, value) in URLParts.parseQuery(Substring(text)) { object[name] = .string(value) }
                requestBody.add(json: .object(object))
            }
        case .multipart:
            multipartRequests += 1
            var perName: [String: Int] = [:]
            for part in body.multipart ?? [] {
                perName[part.name, default: 0] += 1
                let stats = multipartFields[part.name] ?? MultipartStats()
                multipartFields[part.name] = stats
                if part.filename != nil { stats.isFile = true }
                if let type = part.contentType, part.filename != nil { stats.contentTypes.insert(bareMediaType(type) ?? type) }
            }
            for (name, number) in perName {
                let stats = multipartFields[name]!
                stats.requests += 1
                stats.minPer = min(stats.minPer, number)
                stats.maxPer = max(stats.maxPer, number)
            }
        default:
            break
        }
    }

    /// A browser download has no response record, but a completed one was answered 2xx.
    private static func status(of exchange: Exchange) -> Int? {
        if let response = exchange.response { return response.status }
        return exchange.download?.state == .completed ? 200 : nil
    }

    private func addAuth(_ exchange: Exchange, credentials: [CredentialScheme]) {
        let status = Self.status(of: exchange)
        if !credentials.isEmpty {
            withCredentials += 1
            for scheme in credentials { schemeCounts[scheme.name, default: 0] += 1 }
            // Credentials sent together are required together (a session cookie and its CSRF header).
            if let status, (200..<400).contains(status), !credentials.lazy.map(\.name).elementsEqual(lastRequirement) {
                lastRequirement = credentials.map(\.name)
                requirements.insert(lastRequirement.sorted())
            }
        } else {
            withoutCredentials += 1
            if let status {
                if status == 401 || status == 403 { rejectedWithout.insert(status) }
                if (200..<400).contains(status) { anonymousSuccess = true }
            }
        }
    }

    private func addResponse(_ exchange: Exchange, cache: inout ParseCache) {
        guard let response = exchange.response else {
            if let download = exchange.download, let status = Self.status(of: exchange) {
                let stats = responses[status] ?? ResponseStats()
                responses[status] = stats
                stats.count += 1
                stats.disposition = "attachment"
                if stats.fileName == nil { stats.fileName = download.suggestedFilename }
                if let type = download.mimeType { stats.downloadTypes.insert(type) }
            }
            return
        }
        let stats = responses[response.status] ?? ResponseStats()
        responses[response.status] = stats
        stats.count += 1
        // 204, 205, 304 and answers to HEAD have no body, whatever type the headers name.
        guard ResponseEnd.hasBody(status: response.status, method: exchange.method) else { return }
        let mime = bareMediaType(response.mimeType ?? headerValue(response.headers, "content-type"))
        if let mime { stats.contentTypes[mime, default: 0] += 1 }
        let format = BodyFormat(mimeType: mime)
        switch format {
        case .eventStream: kind = .sse
        case .ndjson where exchange.kind == .stream: kind = .ndjson
        default: break
        }
        if exchange.kind == .websocket { kind = .websocket }
        if let disposition = headerValue(response.headers, "content-disposition") {
            let lower = disposition.lowercased()
            stats.disposition = lower.hasPrefix("attachment") ? "attachment" : (stats.disposition ?? "inline")
            if stats.fileName == nil { stats.fileName = Self.fileName(fromDisposition: disposition) }
            if let mime { stats.downloadTypes.insert(mime) }
        } else if let download = exchange.download {
            stats.disposition = "attachment"
            if stats.fileName == nil { stats.fileName = download.suggestedFilename }
            if let type = download.mimeType ?? mime { stats.downloadTypes.insert(type) }
        } else if format == .binary, let mime {
            stats.disposition = stats.disposition ?? "inline"
            stats.downloadTypes.insert(mime)
        }
        if BodyFormat.sniffed(declared: mime, text: response.body?.textValue) == .json, let text = response.body?.textValue {
            stats.body.add(text: text, cache: &cache)
            if (200..<300).contains(response.status) { currentOperation?.response.add(text: text, cache: &cache) }
        }
    }

    private func addStream(_ exchange: Exchange, cache: inout ParseCache) {
        guard exchange.kind != .http || kind == .sse || kind == .ndjson else { return }
        if subprotocol == nil, exchange.kind == .websocket, let response = exchange.response {
            subprotocol = headerValue(response.headers, "sec-websocket-protocol")
        }
        if exchange.kind == .stream && kind == .http { kind = .sse }
        if exchange.kind == .websocket { kind = .websocket }
        streamConnections += 1
        var lastTime: [MessageKey: Double] = [:]
        for message in exchange.messages {
            var json: JSON?
            var binarySize: Int?
            if !message.base64 {
                json = cache.json(message.data)
            } else if let data = Data(base64Encoded: message.data) {
                binarySize = data.count
                json = BinaryFrame.header([UInt8](data))
            }
            // SSE's default event name says nothing: the JSON's own kind field does (Gradio's `msg`).
            let named = message.event.flatMap { $0 == "message" ? nil : $0 }
            let name = named ?? Self.messageName(json) ?? message.event ?? "message"
            let key = MessageKey(direction: message.direction.rawValue, name: name)
            let stats = messages[key] ?? MessageStats()
            messages[key] = stats
            stats.count += 1
            if let previous = lastTime[key], message.time >= previous { stats.gaps.append(message.time - previous) }
            lastTime[key] = message.time
            if let size = binarySize {
                stats.binarySizes = (min(stats.binarySizes?.min ?? size, size), max(stats.binarySizes?.max ?? size, size))
            }
            if let json, binarySize != nil {
                // The frame's JSON header describes it; the rest is its binary payload.
                stats.body.add(json: json)
            } else if json != nil {
                stats.body.add(text: message.data, cache: &cache)
            } else {
                stats.body.add(json: message.base64 ? .string("<binary>") : .string(message.data))
            }
        }
    }

    /// The field that says what kind of message it is: `type`, `event`, `action`, `op`, `msg_type`,
    /// `msg` (Gradio), `kind`, JSON-RPC's `method`; else the same one level down (a Jupyter message's
    /// `header.msg_type`, `data.type`).
    static func messageName(_ json: JSON?) -> String? {
        guard let members = json?.objectValue else { return nil }
        if let name = kindField(members) { return name }
        for key in members.keys.sorted() {
            if let nested = members[key]?.objectValue, let name = kindField(nested) { return name }
        }
        return nil
    }

    private static func kindField(_ members: [String: JSON]) -> String? {
        for key in ["type", "event", "action", "op", "msg_type", "msg", "kind", "method"] {
            if let value = members[key]?.stringValue, !value.isEmpty, value.utf8.count <= 40 { return value }
        }
        return nil
    }

    static func fileName(fromDisposition value: String) -> String? {
        for part in value.split(separator: ";") {
            let item = trimmedSpaces(part)
            if item.lowercased().hasPrefix("filename*=") {
                let encoded = item.dropFirst("filename*=".count)
                let raw = encoded.split(separator: "'", omittingEmptySubsequences: false).last.map(String.init) ?? String(encoded)
                return percentDecoded(raw)
            }
        }
        for part in value.split(separator: ";") {
            let item = trimmedSpaces(part)
            if item.lowercased().hasPrefix("filename=") {
                var name = String(item.dropFirst("filename=".count))
                if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
                return percentDecoded(name)
            }
        }
        return nil
    }

    // MARK: results

    func finish(linkedParameters: [String: String]) -> DiscoveredEndpoint {
        requestBody.flush()
        var parameters: [DiscoveredParameter] = []
        for (index, name) in template.parameterNames.enumerated() {
            let evidence = linkedParameters[name] ?? parameterReasons[name]
            var schema = pathValues[index].schema(name: name)
            if template.isRest(name), case .object(var object) = schema {
                object["x-multi-segment"] = true
                schema = .object(object)
            }
            parameters.append(DiscoveredParameter(
                name: name, location: .path, required: true, schema: schema,
                examples: pathExamples[index], evidence: evidence, count: count))
        }
        let noise = Set(queryNodes.keys.filter { QueryNoise.isNoise(name: $0, queryEvidence[$0] ?? QueryNoise.Evidence()) })
        for name in queryNodes.keys.sorted() where !noise.contains(name) {
            let node = queryNodes[name]!
            parameters.append(DiscoveredParameter(
                name: name, location: .query, required: node.samples >= count, schema: node.schema(name: name),
                examples: queryExamples[name] ?? [], count: node.samples))
        }
        let request = finishRequest()
        var results: [DiscoveredResponse] = []
        for status in responses.keys.sorted() {
            let stats = responses[status]!
            stats.body.flush()
            let contentType = stats.contentTypes.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
            var download: DownloadInfo?
            if let disposition = stats.disposition {
                download = DownloadInfo(disposition: disposition, contentTypes: stats.downloadTypes.sorted(), fileNameExample: stats.fileName)
            }
            results.append(DiscoveredResponse(
                status: status, count: stats.count, contentType: contentType,
                schema: stats.body.hasSamples ? stats.body.shape.schema() : Optional<JSON>.none, examples: stats.body.examples, download: download))
        }
        var stream: DiscoveredStream?
        if kind != .http {
            let shapes = messages.keys.sorted { ($0.direction, $0.name) < ($1.direction, $1.name) }.map { key -> StreamMessageShape in
                let stats = messages[key]!
                stats.body.flush()
                var schema = stats.body.shape.schema()
                if let sizes = stats.binarySizes, case .object(var object) = schema {
                    // A binary frame: the JSON header's shape when it had one, and the sizes seen.
                    object["x-binary-frame"] = ["minBytes": .integer(sizes.min), "maxBytes": .integer(sizes.max)]
                    schema = .object(object)
                }
                return StreamMessageShape(
                    direction: key.direction, name: key.name, count: stats.count, schema: schema,
                    example: stats.body.examples.first, intervalSeconds: Self.median(stats.gaps).map(Self.rounded))
            }
            stream = DiscoveredStream(messages: shapes, connections: streamConnections, subprotocol: subprotocol)
        }
        var polling: Polling?
        if method == "GET", kind == .http {
            // The request repeated most regularly on a timer (several may share a route: `?id=` and `?only_active=`).
            for key in gaps.keys.sorted(by: { queryNames[$0]! < queryNames[$1]! }) {
                let list = gaps[key]!
                let names = queryNames[key]!
                guard list.count >= 2, let median = Self.median(list), median >= 0.5, Self.isRegular(list, around: median) else { continue }
                if polling == nil || list.count > polling!.repeats {
                    polling = Polling(
                        intervalSeconds: Self.rounded(median), repeats: list.count,
                        query: names.isEmpty ? [] : names.split(separator: "&").map(String.init).filter { !noise.contains($0) })
                }
            }
        }
        let ids = exchangeIds + (lastExchangeId.map { [$0] } ?? [])
        let auth = EndpointAuth(
            schemes: schemeCounts.keys.sorted(), requirements: requirements.sorted { $0.joined(separator: "+") < $1.joined(separator: "+") },
            withCredentials: withCredentials, withoutCredentials: withoutCredentials,
            rejectedWithout: rejectedWithout.sorted(), acceptsAnonymous: anonymousSuccess)
        let steps = provenanceOrder.map { ProvenanceCount(flow: $0.flow, step: $0.step, description: $0.description, count: provenance[$0]!) }
        var left: [String] = noise.sorted().map { "`\($0)`" }
        if valueShapedKeys > 0 { left.append("a key that is itself a timestamp or random value") }
        let notes = left.isEmpty ? nil : "Query strings left out as noise (cache-busters, nonces, values never set): \(left.joined(separator: ", "))."
        var endpoint = DiscoveredEndpoint(
            method: method, path: template.description, kind: kind, notes: notes, parameters: parameters, request: request, responses: results, auth: auth,
            stream: stream, polling: polling, provenance: steps,
            observations: Observations(
                count: count, firstSeen: firstSeen.isFinite ? firstSeen : nil, lastSeen: lastSeen.isFinite ? lastSeen : nil,
                exchangeIds: ids, samplePaths: samplePaths, failures: failures))
        endpoint.operations = operations.values.map { $0.finish() }.sorted { ($0.name, $0.field) < ($1.name, $1.field) }
        return endpoint
    }

    private func finishRequest() -> DiscoveredRequest? {
        guard requestCount > 0, let contentType = requestTypes.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key else { return nil }
        if BodyFormat(mimeType: contentType) == .multipart {
            var fields: [MultipartField] = []
            var properties: [String: JSON] = [:]
            var required: [String] = []
            for name in multipartFields.keys.sorted() {
                let stats = multipartFields[name]!
                let field = MultipartField(
                    name: name, isFile: stats.isFile, contentTypes: stats.contentTypes.sorted(), minPerRequest: stats.minPer,
                    maxPerRequest: stats.maxPer, required: stats.requests >= multipartRequests)
                fields.append(field)
                let single: JSON = stats.isFile ? ["type": "string", "format": "binary"] : ["type": "string"]
                properties[name] = stats.maxPer > 1 ? ["type": "array", "items": single] : single
                if field.required { required.append(name) }
            }
            var schema: [String: JSON] = ["type": "object", "properties": .object(properties)]
            if !required.isEmpty { schema["required"] = .array(required.map(JSON.string)) }
            return DiscoveredRequest(contentType: contentType, schema: .object(schema), multipart: fields, count: requestCount)
        }
        requestBody.flush()
        // Bodies that were JSON or a form under another label are described as what they are.
        let sniffed = requestFormats.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        let declared = BodyFormat(mimeType: contentType)
        var effective = contentType
        if sniffed == "json", declared != .json { effective = "application/json" }
        if sniffed == "form", declared != .form { effective = "application/x-www-form-urlencoded" }
        return DiscoveredRequest(
            contentType: effective, sentContentType: effective == contentType ? nil : sentLabel ?? contentType, schema: requestBody.hasSamples ? requestBody.shape.schema() : [:],
            examples: requestBody.examples, count: requestCount)
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    /// A timer, not a person: most gaps lie within a quarter of the median (pauses between pages aside).
    static func isRegular(_ gaps: [Double], around median: Double) -> Bool {
        let close = gaps.filter { abs($0 - median) <= median * 0.25 }.count
        return close * 2 >= gaps.count
    }

    static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}

