import JSONCore

/// Hand-written mapping between records and JSON: faster than Codable on Linux (discovery reads
/// millions of records) and it leaves absent optionals out of the file.
public struct RecordDecodingError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

struct ObjectBuilder {
    var members: [String: JSON] = [:]
    mutating func set(_ key: String, _ value: JSON?) {
        if let value { members[key] = value }
    }
    mutating func set(_ key: String, _ value: String?) { set(key, value.map(JSON.string)) }
    mutating func set(_ key: String, _ value: Int?) { set(key, value.map(JSON.integer)) }
    mutating func set(_ key: String, _ value: Double?) { set(key, value.map(JSON.number)) }
    mutating func flag(_ key: String, _ value: Bool) {
        if value { members[key] = .bool(true) }
    }
    var json: JSON { .object(members) }
}

struct ObjectReader {
    let members: [String: JSON]
    let context: String

    init(_ json: JSON?, _ context: String) throws(RecordDecodingError) {
        guard let members = json?.objectValue else { throw RecordDecodingError(message: "\(context): expected an object") }
        self.members = members
        self.context = context
    }

    func string(_ key: String) throws(RecordDecodingError) -> String {
        guard let value = members[key]?.stringValue else { throw RecordDecodingError(message: "\(context).\(key): expected a string") }
        return value
    }
    func optionalString(_ key: String) -> String? { members[key]?.stringValue }
    func int(_ key: String) throws(RecordDecodingError) -> Int {
        guard let value = members[key]?.intValue else { throw RecordDecodingError(message: "\(context).\(key): expected an integer") }
        return value
    }
    func optionalInt(_ key: String) -> Int? { members[key]?.intValue }
    func double(_ key: String) throws(RecordDecodingError) -> Double {
        guard let value = members[key]?.doubleValue else { throw RecordDecodingError(message: "\(context).\(key): expected a number") }
        return value
    }
    func optionalDouble(_ key: String) -> Double? { members[key]?.doubleValue }
    func flag(_ key: String) -> Bool { members[key]?.boolValue ?? false }
    func array(_ key: String) -> [JSON] { members[key]?.arrayValue ?? [] }
    func optional(_ key: String) -> JSON? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }
}

extension Header {
    var json: JSON { .array([.string(name), .string(value)]) }
    init(json: JSON) throws(RecordDecodingError) {
        guard let pair = json.arrayValue, pair.count == 2, let name = pair[0].stringValue, let value = pair[1].stringValue else {
            throw RecordDecodingError(message: "header: expected [name, value]")
        }
        self.init(name: name, value: value)
    }
}

func headersJSON(_ headers: [Header]) -> JSON { .array(headers.map(\.json)) }
func decodeHeaders(_ items: [JSON]) throws(RecordDecodingError) -> [Header] {
    var headers: [Header] = []
    headers.reserveCapacity(items.count)
    for item in items { headers.append(try Header(json: item)) }
    return headers
}

extension Body {
    public var json: JSON {
        var object = ObjectBuilder()
        object.set("size", size)
        object.set("mimeType", mimeType)
        if encoding != .text { object.set("encoding", encoding.rawValue) }
        object.set("text", text)
        object.set("file", file)
        object.set("unavailable", unavailableReason)
        object.set("multipart", multipart.map { JSON.array($0.map(\.json)) })
        return object.json
    }

    public init(json: JSON) throws(RecordDecodingError) {
        let reader = try ObjectReader(json, "body")
        var parts: [MultipartPart]?
        if let items = reader.optional("multipart")?.arrayValue {
            var decoded: [MultipartPart] = []
            for item in items { decoded.append(try MultipartPart(json: item)) }
            parts = decoded
        }
        self.init(
            size: reader.optionalInt("size") ?? 0, mimeType: reader.optionalString("mimeType"),
            encoding: Encoding(rawValue: reader.optionalString("encoding") ?? "text") ?? .text,
            text: reader.optionalString("text"), file: reader.optionalString("file"),
            unavailableReason: reader.optionalString("unavailable"), multipart: parts)
    }
}

extension MultipartPart {
    public var json: JSON {
        var object = ObjectBuilder()
        object.set("name", name)
        object.set("filename", filename)
        object.set("contentType", contentType)
        object.set("size", size)
        object.set("value", value)
        object.flag("base64", base64)
        return object.json
    }
    public init(json: JSON) throws(RecordDecodingError) {
        let reader = try ObjectReader(json, "multipart part")
        self.init(
            name: try reader.string("name"), filename: reader.optionalString("filename"),
            contentType: reader.optionalString("contentType"), size: reader.optionalInt("size") ?? 0,
            value: reader.optionalString("value"), base64: reader.flag("base64"))
    }
}

extension StreamMessage {
    public var json: JSON {
        var object = ObjectBuilder()
        object.set("direction", direction.rawValue)
        object.set("time", time)
        object.set("opcode", opcode)
        object.set("event", event)
        object.set("id", eventId)
        object.set("data", data)
        object.flag("base64", base64)
        return object.json
    }
    public init(json: JSON) throws(RecordDecodingError) {
        let reader = try ObjectReader(json, "message")
        self.init(
            direction: Direction(rawValue: try reader.string("direction")) ?? .received, time: try reader.double("time"),
            opcode: reader.optionalInt("opcode"), event: reader.optionalString("event"),
            eventId: reader.optionalString("id"), data: try reader.string("data"), base64: reader.flag("base64"))
    }
}

extension Exchange {
    public var json: JSON {
        var object = ObjectBuilder()
        object.set("id", id)
        object.set("kind", kind.rawValue)
        object.set("method", method)
        object.set("url", url)
        object.set("resourceType", resourceType)
        object.flag("static", isStaticAsset)
        if let target {
            var value = ObjectBuilder()
            value.set("type", target.type)
            value.set("url", target.url)
            value.set("frameId", target.frameId)
            object.set("target", value.json)
        }
        object.set("startedAt", startedAt)
        object.set("endedAt", endedAt)
        var requestObject = ObjectBuilder()
        requestObject.set("headers", headersJSON(request.headers))
        requestObject.flag("headersFromWire", request.headersFromWire)
        requestObject.set("body", request.body?.json)
        object.set("request", requestObject.json)
        if let response {
            var value = ObjectBuilder()
            value.set("status", response.status)
            value.set("statusText", response.statusText)
            value.set("httpVersion", response.httpVersion)
            value.set("headers", headersJSON(response.headers))
            value.flag("headersFromWire", response.headersFromWire)
            value.set("mimeType", response.mimeType)
            value.set("body", response.body?.json)
            value.flag("fromDiskCache", response.fromDiskCache)
            value.flag("fromServiceWorker", response.fromServiceWorker)
            value.flag("fromPrefetchCache", response.fromPrefetchCache)
            value.set("remoteAddress", response.remoteAddress)
            object.set("response", value.json)
        }
        if let timings {
            object.set("timings", [
                "blocked": .number(timings.blocked), "dns": .number(timings.dns), "connect": .number(timings.connect),
                "ssl": .number(timings.ssl), "send": .number(timings.send), "wait": .number(timings.wait),
                "receive": .number(timings.receive),
            ])
        }
        if let initiator {
            var value = ObjectBuilder()
            value.set("type", initiator.type)
            value.set("url", initiator.url)
            value.set("lineNumber", initiator.lineNumber)
            object.set("initiator", value.json)
        }
        object.set("redirectedFrom", redirectedFrom)
        object.set("redirectedTo", redirectedTo)
        if let failure {
            var value = ObjectBuilder()
            value.set("errorText", failure.errorText)
            value.flag("canceled", failure.canceled)
            value.set("blockedReason", failure.blockedReason)
            object.set("failure", value.json)
        }
        if !messages.isEmpty { object.set("messages", JSON.array(messages.map(\.json))) }
        object.flag("streamOpen", streamOpen)
        if let download {
            var value = ObjectBuilder()
            value.set("suggestedFilename", download.suggestedFilename)
            value.set("path", download.path)
            value.set("size", download.size)
            value.set("sha256", download.sha256)
            value.set("mimeType", download.mimeType)
            value.set("state", download.state.rawValue)
            object.set("download", value.json)
        }
        if let provenance {
            object.set("provenance", ["flow": .string(provenance.flow), "step": .integer(provenance.step), "description": .string(provenance.description)])
        }
        object.flag("backgroundPoll", backgroundPoll)
        return object.json
    }

    public init(json: JSON) throws(RecordDecodingError) {
        let reader = try ObjectReader(json, "exchange")
        let id = try reader.string("id")
        let requestReader = try ObjectReader(reader.optional("request") ?? [:], "exchange \(id).request")
        var request = Request(headers: try decodeHeaders(requestReader.array("headers")), headersFromWire: requestReader.flag("headersFromWire"))
        if let body = requestReader.optional("body") { request.body = try Body(json: body) }
        var response: Response?
        if let value = reader.optional("response") {
            let r = try ObjectReader(value, "exchange \(id).response")
            response = Response(
                status: try r.int("status"), statusText: r.optionalString("statusText") ?? "", httpVersion: r.optionalString("httpVersion"),
                headers: try decodeHeaders(r.array("headers")), headersFromWire: r.flag("headersFromWire"),
                mimeType: r.optionalString("mimeType"), body: try r.optional("body").map { (body) throws(RecordDecodingError) in try Body(json: body) },
                fromDiskCache: r.flag("fromDiskCache"), fromServiceWorker: r.flag("fromServiceWorker"),
                fromPrefetchCache: r.flag("fromPrefetchCache"), remoteAddress: r.optionalString("remoteAddress"))
        }
        var messages: [StreamMessage] = []
        for item in reader.array("messages") { messages.append(try StreamMessage(json: item)) }
        self.init(
            id: id, kind: Kind(rawValue: reader.optionalString("kind") ?? "http") ?? .http,
            method: try reader.string("method"), url: try reader.string("url"),
            resourceType: reader.optionalString("resourceType"), isStaticAsset: reader.flag("static"),
            target: reader.optional("target").flatMap { value in
                value["type"]?.stringValue.map { TargetInfo(type: $0, url: value["url"]?.stringValue, frameId: value["frameId"]?.stringValue) }
            },
            startedAt: try reader.double("startedAt"), endedAt: reader.optionalDouble("endedAt"),
            request: request, response: response,
            timings: reader.optional("timings").map { t in
                Timings(
                    blocked: t["blocked"]?.doubleValue ?? -1, dns: t["dns"]?.doubleValue ?? -1, connect: t["connect"]?.doubleValue ?? -1,
                    ssl: t["ssl"]?.doubleValue ?? -1, send: t["send"]?.doubleValue ?? -1, wait: t["wait"]?.doubleValue ?? -1,
                    receive: t["receive"]?.doubleValue ?? -1)
            },
            initiator: reader.optional("initiator").flatMap { value in
                value["type"]?.stringValue.map { Initiator(type: $0, url: value["url"]?.stringValue, lineNumber: value["lineNumber"]?.intValue) }
            },
            redirectedFrom: reader.optionalString("redirectedFrom"), redirectedTo: reader.optionalString("redirectedTo"),
            failure: reader.optional("failure").flatMap { value in
                value["errorText"]?.stringValue.map {
                    Failure(errorText: $0, canceled: value["canceled"]?.boolValue ?? false, blockedReason: value["blockedReason"]?.stringValue)
                }
            },
            messages: messages, streamOpen: reader.flag("streamOpen"),
            download: reader.optional("download").flatMap { value in
                value["suggestedFilename"]?.stringValue.map {
                    Download(
                        suggestedFilename: $0, path: value["path"]?.stringValue, size: value["size"]?.intValue,
                        sha256: value["sha256"]?.stringValue, mimeType: value["mimeType"]?.stringValue,
                        state: Download.State(rawValue: value["state"]?.stringValue ?? "") ?? .inProgress)
                }
            },
            provenance: reader.optional("provenance").flatMap { value in
                guard let flow = value["flow"]?.stringValue, let step = value["step"]?.intValue else { return nil }
                return Provenance(flow: flow, step: step, description: value["description"]?.stringValue ?? "")
            },
            backgroundPoll: reader.flag("backgroundPoll"))
    }
}
