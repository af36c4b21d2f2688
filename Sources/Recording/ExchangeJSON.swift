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
}

func headersJSON(_ headers: [Header]) -> JSON { .array(headers.map(\.json)) }

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
            if download.redacted { value.set("redacted", JSON.bool(true)) }
            object.set("download", value.json)
        }
        if let provenance {
            object.set("provenance", ["flow": .string(provenance.flow), "step": .integer(provenance.step), "description": .string(provenance.description)])
        }
        object.flag("backgroundPoll", backgroundPoll)
        return object.json
    }
}

extension Timings {
    /// Absent or unreadable entries stay -1 (unknown).
    init(json: JSON) {
        self.init()
        guard case .object(let members) = json else { return }
        for (key, value) in members {
            guard let milliseconds = value.doubleValue else { continue }
            switch key {
            case "blocked": blocked = milliseconds
            case "dns": dns = milliseconds
            case "connect": connect = milliseconds
            case "ssl": ssl = milliseconds
            case "send": send = milliseconds
            case "wait": wait = milliseconds
            case "receive": receive = milliseconds
            default: continue
            }
        }
    }
}
