import JSONCore

/// The lines of `capture.jsonl`. Each line is one self-contained JSON object carrying `record` (its
/// kind) and `v` (the format version), written and flushed as the run goes, so a crash loses at most
/// the exchanges still in flight and the records still queued for the writer (about 1 MiB at most).
public enum CaptureRecord: Sendable, Hashable {
    public static let formatVersion = 1

    case header(CaptureHeader)
    /// A finished HTTP exchange, or a stream as it opened (with its messages so far). A later record
    /// with the same id replaces the earlier one; its messages are kept.
    case exchange(Exchange)
    /// One message of an open stream.
    case message(exchangeID: String, StreamMessage)
    /// A stream closed (`open: false`) or was still open when the run ended (`open: true`).
    case streamEnd(exchangeID: String, time: Double, open: Bool)
    case trailer(CaptureTrailer)

    public var json: JSON {
        var object: [String: JSON]
        switch self {
        case .header(let header):
            object = header.json.objectValue ?? [:]
            object["record"] = "header"
        case .exchange(let exchange):
            object = ["record": "exchange", "exchange": exchange.json]
        case .message(let id, let message):
            object = ["record": "message", "exchange": .string(id), "message": message.json]
        case .streamEnd(let id, let time, let open):
            object = ["record": "stream-end", "exchange": .string(id), "time": .number(time), "open": .bool(open)]
        case .trailer(let trailer):
            object = trailer.json.objectValue ?? [:]
            object["record"] = "trailer"
        }
        object["v"] = .integer(Self.formatVersion)
        return .object(object)
    }

    /// The record's line (without the newline). Stream messages are the bulk of a capture, so their line
    /// is written directly, byte-identical to `json.serialized()` (keys in the same sorted order).
    public func serializedLine() -> String {
        guard case .message(let id, let message) = self else { return json.serialized() }
        var line = "{\"exchange\":"
        line.reserveCapacity(96 + message.data.utf8.count)
        JSON.writeString(id, into: &line)
        line += ",\"message\":{"
        if message.base64 { line += "\"base64\":true," }
        line += "\"data\":"
        JSON.writeString(message.data, into: &line)
        line += ",\"direction\":"
        line += message.direction == .sent ? "\"sent\"" : "\"received\""
        if let event = message.event {
            line += ",\"event\":"
            JSON.writeString(event, into: &line)
        }
        if let eventId = message.eventId {
            line += ",\"id\":"
            JSON.writeString(eventId, into: &line)
        }
        if let opcode = message.opcode { line += ",\"opcode\":\(opcode)" }
        line += ",\"time\":"
        line += JSON.number(message.time).serialized()
        line += "},\"record\":\"message\",\"v\":\(Self.formatVersion)}"
        return line
    }
}

public struct CaptureHeader: Sendable, Hashable {
    public var tool: String
    public var toolVersion: String
    public var startedAt: Double
    public var baseURL: String?
    public var flows: [String]
    /// False when the user asked to keep secrets.
    public var redacted: Bool

    public init(tool: String = "discover", toolVersion: String, startedAt: Double, baseURL: String?, flows: [String], redacted: Bool) {
        self.tool = tool
        self.toolVersion = toolVersion
        self.startedAt = startedAt
        self.baseURL = baseURL
        self.flows = flows
        self.redacted = redacted
    }

    var json: JSON {
        var object = ObjectBuilder()
        object.set("tool", tool)
        object.set("toolVersion", toolVersion)
        object.set("startedAt", startedAt)
        object.set("baseURL", baseURL)
        object.set("flows", JSON.array(flows.map(JSON.string)))
        object.set("redacted", JSON.bool(redacted))
        return object.json
    }

    init(json: JSON) throws(RecordDecodingError) {
        let reader = try ObjectReader(json, "header")
        self.init(
            tool: reader.optionalString("tool") ?? "discover", toolVersion: reader.optionalString("toolVersion") ?? "",
            startedAt: try reader.double("startedAt"), baseURL: reader.optionalString("baseURL"),
            flows: reader.array("flows").compactMap(\.stringValue), redacted: reader.members["redacted"]?.boolValue ?? true)
    }
}

public struct CaptureTrailer: Sendable, Hashable {
    public var complete: Bool
    /// Why the run ended early (the failed step), when it did.
    public var reason: String?
    public var endedAt: Double
    public var counts: [String: Int]
    /// Flow name -> `passed`, `failed` or `skipped`: which flows ran to the end. A recapture diff calls
    /// an endpoint removed only when the flows that reached it before passed this time.
    public var flows: [String: String]

    public init(complete: Bool, reason: String?, endedAt: Double, counts: [String: Int], flows: [String: String] = [:]) {
        self.complete = complete
        self.reason = reason
        self.endedAt = endedAt
        self.counts = counts
        self.flows = flows
    }

    var json: JSON {
        var object = ObjectBuilder()
        object.set("complete", JSON.bool(complete))
        object.set("reason", reason)
        object.set("endedAt", endedAt)
        object.set("counts", JSON.object(counts.mapValues(JSON.integer)))
        if !flows.isEmpty { object.set("flows", JSON.object(flows.mapValues(JSON.string))) }
        return object.json
    }

    init(json: JSON) throws(RecordDecodingError) {
        let reader = try ObjectReader(json, "trailer")
        self.init(
            complete: reader.flag("complete"), reason: reader.optionalString("reason"), endedAt: try reader.double("endedAt"),
            counts: (reader.optional("counts")?.objectValue ?? [:]).compactMapValues(\.intValue),
            flows: (reader.optional("flows")?.objectValue ?? [:]).compactMapValues(\.stringValue))
    }
}

extension Exchange {
    /// A later `exchange` record replaces an earlier one for the same id; the messages recorded so far stay.
    public mutating func keepMessages(of earlier: Exchange) {
        if messages.count < earlier.messages.count { messages = earlier.messages }
    }

    /// What a `stream-end` record says: closed at `time`, or still open when the run ended.
    public mutating func endStream(at time: Double, open: Bool) {
        streamOpen = open
        if !open { endedAt = time }
    }
}
