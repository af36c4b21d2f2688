import Foundation
import JSONCore

// The file form of `DiscoveredAPI`: `discovered-endpoints.json`. Hand-written so absent values stay
// out of the file and the seed's fields (`method`, `path`, `description`, `requestBody`,
// `responseExample`) sit at the top of every endpoint.

extension DiscoveredAPI {
    public static let formatVersion = 1

    public var json: JSON {
        var object: [String: JSON] = [
            "formatVersion": .integer(Self.formatVersion),
            "app": .string(appName),
            "capture": capture.json,
            "endpoints": .array(endpoints.map(\.json)),
            "securitySchemes": .object(securitySchemes),
            "links": .array(links.map(\.json)),
            "steps": .array(steps.map(\.json)),
            "notes": .array(notes.map(JSON.string)),
        ]
        object["baseURL"] = baseURL.map(JSON.string)
        return .object(object)
    }

    public init(json: JSON) throws {
        let r = try Reader(json, "discovered-endpoints")
        self.init(
            appName: r.string("app") ?? "app", baseURL: r.string("baseURL"),
            capture: CaptureStats(json: r.value("capture") ?? [:]),
            endpoints: try r.array("endpoints").enumerated().map { try DiscoveredEndpoint(json: $0.element, context: "endpoints[\($0.offset)]") },
            securitySchemes: r.value("securitySchemes")?.objectValue ?? [:],
            links: r.array("links").compactMap(DataLink.init(json:)),
            steps: r.array("steps").compactMap(StepCalls.init(json:)),
            notes: r.array("notes").compactMap(\.stringValue))
    }

    /// Reads `discovered-endpoints.json`, or a run folder holding one.
    public static func load(from url: URL) throws -> DiscoveredAPI {
        var file = url
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            file = url.appendingPathComponent("discovered-endpoints.json")
        }
        let data = try Data(contentsOf: file)
        do {
            let json = try JSON.parse(bytes: [UInt8](data))
            guard json["endpoints"]?.arrayValue != nil else {
                throw DiscoveryError.invalidFile(file.path, "not a discovered-endpoints.json: it has no `endpoints` list")
            }
            return try DiscoveredAPI(json: json)
        } catch let error as JSONParseError {
            throw DiscoveryError.invalidFile(file.path, "\(error)")
        } catch let error as DiscoveryError {
            if case .invalidFile(_, let why) = error { throw DiscoveryError.invalidFile(file.path, why) }
            throw error
        }
    }
}

/// Reads members with a path for error messages.
struct Reader {
    let members: [String: JSON]
    let context: String
    init(_ json: JSON, _ context: String) throws {
        guard let members = json.objectValue else { throw DiscoveryError.invalidFile("", "\(context): expected an object") }
        self.members = members
        self.context = context
    }
    func value(_ key: String) -> JSON? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }
    func string(_ key: String) -> String? { members[key]?.stringValue }
    func requiredString(_ key: String) throws -> String {
        guard let value = members[key]?.stringValue else { throw DiscoveryError.invalidFile("", "\(context).\(key): expected a string") }
        return value
    }
    func int(_ key: String) -> Int? { members[key]?.intValue }
    func double(_ key: String) -> Double? { members[key]?.doubleValue }
    func bool(_ key: String) -> Bool { members[key]?.boolValue ?? false }
    func array(_ key: String) -> [JSON] { members[key]?.arrayValue ?? [] }
    func strings(_ key: String) -> [String] { array(key).compactMap(\.stringValue) }
}

private func put(_ object: inout [String: JSON], _ key: String, _ value: JSON?) {
    if let value { object[key] = value }
}

extension CaptureStats {
    var json: JSON {
        var object: [String: JSON] = ["exchanges": .integer(exchanges), "describedExchanges": .integer(describedExchanges)]
        put(&object, "firstSeen", firstSeen.map(JSON.number))
        put(&object, "lastSeen", lastSeen.map(JSON.number))
        put(&object, "complete", complete.map(JSON.bool))
        if !flows.isEmpty { object["flows"] = .object(flows.mapValues(JSON.string)) }
        return .object(object)
    }
    init(json: JSON) {
        self.init(exchanges: json["exchanges"]?.intValue ?? 0, describedExchanges: json["describedExchanges"]?.intValue ?? 0,
                  firstSeen: json["firstSeen"]?.doubleValue, lastSeen: json["lastSeen"]?.doubleValue,
                  complete: json["complete"]?.boolValue, flows: json["flows"]?.objectValue?.compactMapValues(\.stringValue) ?? [:])
    }
}

extension DiscoveredEndpoint {
    public var json: JSON {
        var object: [String: JSON] = [
            "method": .string(method),
            "path": .string(path),
            "template": .string(PathTemplate(parsing: path).normalized),
            "description": .string(description),
            "operationName": .string(operationName),
            "kind": .string(kind.rawValue),
            "source": .string(source),
            "parameters": .array(parameters.map(\.json)),
            "responses": .array(responses.map(\.json)),
            "statusCodes": .array(responses.map { .integer($0.status) }),
            "auth": auth.json,
            "provenance": .array(provenance.map(\.json)),
            "observations": observations.json,
        ]
        put(&object, "notes", notes.map(JSON.string))
        if let request {
            object["request"] = request.json
            object["requestBody"] = SchemaSketch.sketch(request.schema)
        }
        put(&object, "responseExample", primaryResponse?.examples.first)
        put(&object, "stream", stream?.json)
        put(&object, "polling", polling?.json)
        if !operations.isEmpty { object["operations"] = .array(operations.map(\.json)) }
        return .object(object)
    }

    init(json: JSON, context: String) throws {
        let r = try Reader(json, context)
        let method = try r.requiredString("method").uppercased()
        let path = try r.requiredString("path")
        var request = try r.value("request").map { try DiscoveredRequest(json: $0, context: "\(context).request") }
        var responses = try r.array("responses").enumerated().map { try DiscoveredResponse(json: $0.element, context: "\(context).responses[\($0.offset)]") }
        // A hand-edited file may carry only the seed's fields: keep their meaning.
        if request == nil, let sketch = r.value("requestBody") {
            request = DiscoveredRequest(contentType: "application/json", schema: SchemaSketch.schema(fromSketch: sketch), examples: [])
        }
        if responses.isEmpty, let example = r.value("responseExample") {
            responses = [DiscoveredResponse(status: 200, count: 0, contentType: "application/json", schema: SchemaSketch.schema(fromExample: example), examples: [example])]
        }
        self.init(
            method: method, path: path, description: r.string("description") ?? "", operationName: r.string("operationName") ?? "",
            kind: EndpointKind(rawValue: r.string("kind") ?? "http") ?? .http, source: r.string("source") ?? "discovered",
            notes: r.string("notes"),
            parameters: try r.array("parameters").map { try DiscoveredParameter(json: $0, context: "\(context).parameters") },
            request: request, responses: responses,
            auth: EndpointAuth(json: r.value("auth") ?? [:]),
            stream: r.value("stream").map(DiscoveredStream.init(json:)),
            polling: r.value("polling").flatMap(Polling.init(json:)),
            provenance: r.array("provenance").compactMap(ProvenanceCount.init(json:)),
            observations: Observations(json: r.value("observations") ?? [:]))
        operations = r.array("operations").compactMap(DiscoveredOperation.init(json:))
    }
}

extension DiscoveredOperation {
    var json: JSON {
        var object: [String: JSON] = [
            "field": .string(field), "name": .string(name), "count": .integer(count), "requestSchema": requestSchema,
            "flows": .array(flows.map(JSON.string)),
        ]
        put(&object, "responseSchema", responseSchema)
        put(&object, "example", example)
        return .object(object)
    }
    init?(json: JSON) {
        guard let field = json["field"]?.stringValue, let name = json["name"]?.stringValue else { return nil }
        self.init(
            field: field, name: name, count: json["count"]?.intValue ?? 0, requestSchema: json["requestSchema"] ?? [:],
            responseSchema: json["responseSchema"], example: json["example"], flows: json["flows"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }
}

extension DiscoveredParameter {
    var json: JSON {
        var object: [String: JSON] = [
            "name": .string(name), "in": .string(location.rawValue), "required": .bool(required), "schema": schema,
            "examples": .array(examples.map(JSON.string)), "count": .integer(count),
        ]
        put(&object, "evidence", evidence.map(JSON.string))
        return .object(object)
    }
    init(json: JSON, context: String) throws {
        let r = try Reader(json, context)
        self.init(
            name: try r.requiredString("name"), location: Location(rawValue: r.string("in") ?? "query") ?? .query,
            required: r.bool("required"), schema: r.value("schema") ?? ["type": "string"], examples: r.strings("examples"),
            evidence: r.string("evidence"), count: r.int("count") ?? 0)
    }
}

extension DiscoveredRequest {
    var json: JSON {
        var object: [String: JSON] = [
            "contentType": .string(contentType), "schema": schema, "examples": .array(examples), "count": .integer(count),
        ]
        put(&object, "multipart", multipart.map { .array($0.map(\.json)) })
        put(&object, "sentContentType", sentContentType.map(JSON.string))
        return .object(object)
    }
    init(json: JSON, context: String) throws {
        let r = try Reader(json, context)
        self.init(
            contentType: r.string("contentType") ?? "application/json", sentContentType: r.string("sentContentType"), schema: r.value("schema") ?? [:], examples: r.array("examples"),
            multipart: r.value("multipart")?.arrayValue?.compactMap(MultipartField.init(json:)), count: r.int("count") ?? 0)
    }
}

extension MultipartField {
    var json: JSON {
        [
            "name": .string(name), "isFile": .bool(isFile), "contentTypes": .array(contentTypes.map(JSON.string)),
            "minPerRequest": .integer(minPerRequest), "maxPerRequest": .integer(maxPerRequest), "required": .bool(required),
        ]
    }
    init?(json: JSON) {
        guard let name = json["name"]?.stringValue else { return nil }
        self.init(
            name: name, isFile: json["isFile"]?.boolValue ?? false, contentTypes: json["contentTypes"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            minPerRequest: json["minPerRequest"]?.intValue ?? 1, maxPerRequest: json["maxPerRequest"]?.intValue ?? 1,
            required: json["required"]?.boolValue ?? false)
    }
}

extension DiscoveredResponse {
    var json: JSON {
        var object: [String: JSON] = ["status": .integer(status), "count": .integer(count), "examples": .array(examples)]
        put(&object, "contentType", contentType.map(JSON.string))
        put(&object, "schema", schema)
        if let download {
            var value: [String: JSON] = ["disposition": .string(download.disposition), "contentTypes": .array(download.contentTypes.map(JSON.string))]
            put(&value, "fileNameExample", download.fileNameExample.map(JSON.string))
            object["download"] = .object(value)
        }
        return .object(object)
    }
    init(json: JSON, context: String) throws {
        let r = try Reader(json, context)
        guard let status = r.int("status") else { throw DiscoveryError.invalidFile("", "\(context).status: expected an integer") }
        self.init(
            status: status, count: r.int("count") ?? 0, contentType: r.string("contentType"), schema: r.value("schema"),
            examples: r.array("examples"),
            download: r.value("download").map { value in
                DownloadInfo(
                    disposition: value["disposition"]?.stringValue ?? "attachment",
                    contentTypes: value["contentTypes"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    fileNameExample: value["fileNameExample"]?.stringValue)
            })
    }
}

extension EndpointAuth {
    var json: JSON {
        [
            "schemes": .array(schemes.map(JSON.string)), "requirements": .array(requirements.map { .array($0.map(JSON.string)) }),
            "withCredentials": .integer(withCredentials),
            "withoutCredentials": .integer(withoutCredentials), "rejectedWithout": .array(rejectedWithout.map(JSON.integer)),
            "acceptsAnonymous": .bool(acceptsAnonymous), "requiresAuth": .bool(requiresAuth),
        ]
    }
    init(json: JSON) {
        self.init(
            schemes: json["schemes"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            requirements: json["requirements"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.stringValue) ?? [] } ?? [],
            withCredentials: json["withCredentials"]?.intValue ?? 0,
            withoutCredentials: json["withoutCredentials"]?.intValue ?? 0,
            rejectedWithout: json["rejectedWithout"]?.arrayValue?.compactMap(\.intValue) ?? [],
            acceptsAnonymous: json["acceptsAnonymous"]?.boolValue ?? false)
    }
}

extension DiscoveredStream {
    var json: JSON {
        var object: [String: JSON] = ["messages": .array(messages.map(\.json)), "connections": .integer(connections)]
        put(&object, "subprotocol", subprotocol.map(JSON.string))
        return .object(object)
    }
    init(json: JSON) {
        self.init(
            messages: json["messages"]?.arrayValue?.compactMap(StreamMessageShape.init(json:)) ?? [],
            connections: json["connections"]?.intValue ?? 0, subprotocol: json["subprotocol"]?.stringValue)
    }
}

extension StreamMessageShape {
    var json: JSON {
        var object: [String: JSON] = ["direction": .string(direction), "name": .string(name), "count": .integer(count), "schema": schema]
        put(&object, "example", example)
        put(&object, "intervalSeconds", intervalSeconds.map(JSON.number))
        return .object(object)
    }
    init?(json: JSON) {
        guard let direction = json["direction"]?.stringValue, let name = json["name"]?.stringValue else { return nil }
        self.init(
            direction: direction, name: name, count: json["count"]?.intValue ?? 0, schema: json["schema"] ?? [:],
            example: json["example"].flatMap { $0 == .null ? nil : $0 }, intervalSeconds: json["intervalSeconds"]?.doubleValue)
    }
}

extension Polling {
    var json: JSON { ["intervalSeconds": .number(intervalSeconds), "repeats": .integer(repeats), "query": .array(query.map(JSON.string))] }
    init?(json: JSON) {
        guard let interval = json["intervalSeconds"]?.doubleValue else { return nil }
        self.init(intervalSeconds: interval, repeats: json["repeats"]?.intValue ?? 0, query: json["query"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }
}

extension ProvenanceCount {
    var json: JSON { ["flow": .string(flow), "step": .integer(step), "description": .string(description), "count": .integer(count)] }
    init?(json: JSON) {
        guard let flow = json["flow"]?.stringValue, let step = json["step"]?.intValue else { return nil }
        self.init(flow: flow, step: step, description: json["description"]?.stringValue ?? "", count: json["count"]?.intValue ?? 0)
    }
}

extension Observations {
    var json: JSON {
        var object: [String: JSON] = [
            "count": .integer(count), "exchangeIds": .array(exchangeIds.map(JSON.string)),
            "samplePaths": .array(samplePaths.map(JSON.string)), "failures": .object(failures.mapValues(JSON.integer)),
        ]
        put(&object, "firstSeen", firstSeen.map(JSON.number))
        put(&object, "lastSeen", lastSeen.map(JSON.number))
        return .object(object)
    }
    init(json: JSON) {
        self.init(
            count: json["count"]?.intValue ?? 0, firstSeen: json["firstSeen"]?.doubleValue, lastSeen: json["lastSeen"]?.doubleValue,
            exchangeIds: json["exchangeIds"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            samplePaths: json["samplePaths"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            failures: json["failures"]?.objectValue?.compactMapValues(\.intValue) ?? [:])
    }
}

extension DataLink {
    var json: JSON {
        ["from": .string(from), "field": .string(field), "to": .string(to), "in": .string(location), "name": .string(name), "count": .integer(count)]
    }
    init?(json: JSON) {
        guard let from = json["from"]?.stringValue, let to = json["to"]?.stringValue else { return nil }
        self.init(
            from: from, field: json["field"]?.stringValue ?? "", to: to, location: json["in"]?.stringValue ?? "",
            name: json["name"]?.stringValue ?? "", count: json["count"]?.intValue ?? 0)
    }
}

extension StepCalls {
    var json: JSON {
        ["flow": .string(flow), "step": .integer(step), "description": .string(description), "calls": .array(calls.map(JSON.string))]
    }
    init?(json: JSON) {
        guard let flow = json["flow"]?.stringValue, let step = json["step"]?.intValue else { return nil }
        self.init(flow: flow, step: step, description: json["description"]?.stringValue ?? "", calls: json["calls"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }
}
