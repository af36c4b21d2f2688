import JSONCore

/// The one decoder of capture lines. The parts every line has (records, exchanges, requests,
/// responses, bodies, headers, stream messages) are read straight from the bytes with a `JSONCursor`;
/// the rare parts (a header or trailer record, timings, a download) are read as a small tree. Each
/// type has exactly one decoder: `init(json:)` feeds the tree's serialization through the same cursor.
/// How much of each record to decode.
public enum CaptureDetail: Sendable {
    /// Everything the record holds.
    case whole
    /// What discovery reads: leaves out (skips, unbuilt) the exchange's timings, initiator and page
    /// (`target`), and the response's status text, HTTP version and remote address.
    case discovery
    /// What discovery's first pass (routes) reads: as `.discovery`, and only the headers it looks at
    /// (`routeHeaders`); real exchanges carry ten to twenty a side.
    case routes

    /// The headers the routes pass reads, lowercase: a body's type, a login's cookies, a redirect's
    /// target, a download's disposition, a CORS preflight's method.
    public static let routeHeaders = ["content-type", "set-cookie", "location", "content-disposition", "access-control-request-method"]
}

extension CaptureRecord {
    /// Decodes one line of `capture.jsonl` (without its newline).
    public init(line: UnsafeBufferPointer<UInt8>) throws {
        self = try JSONCursor.read(line) { cursor in try CaptureRecord(cursor: &cursor) }
    }

    /// The same, sharing the strings that repeat from line to line (methods, headers, MIME types,
    /// polled URLs and bodies) with the lines `interner` has seen, and decoding only `detail`.
    public init(line: UnsafeBufferPointer<UInt8>, interner: StringInterner, detail: CaptureDetail = .whole) throws {
        self = try JSONCursor.read(line, interner: interner) { cursor in try CaptureRecord(cursor: &cursor, detail: detail) }
    }

    public init(json: JSON) throws(RecordDecodingError) {
        self = try decodeTree(json) { cursor in try CaptureRecord(cursor: &cursor) }
    }

    init(cursor: inout JSONCursor, detail: CaptureDetail = .whole) throws {
        // Keys arrive sorted (`exchange` < `message` < `record` < `v`), so the kind is known last: an
        // `exchange` object is an exchange record, an `exchange` string names the stream of a message.
        var version = 0
        var kind: String?
        var exchange: Exchange?
        var exchangeID: String?
        var message: StreamMessage?
        var time: Double?
        var open = false
        var rest: [String: JSON] = [:]
        let isObject = try cursor.members { cursor, key in
            switch key {
            case "v": version = try cursor.int() ?? 0
            case "record": kind = try cursor.string()
            case "exchange":
                if try cursor.peek() == .object {
                    exchange = try Exchange(cursor: &cursor, detail: detail)
                } else {
                    exchangeID = try cursor.string()
                }
            case "message": message = try StreamMessage(cursor: &cursor)
            case "time": time = try cursor.double()
            case "open": open = try cursor.bool() ?? false
            default: rest[key.string] = try cursor.value()
            }
        }
        guard isObject else { throw RecordDecodingError(message: "record: expected an object") }
        guard version >= 1, version <= Self.formatVersion else {
            throw RecordDecodingError(message: "record format version \(version) is not supported (this build reads 1...\(Self.formatVersion))")
        }
        guard let kind else { throw RecordDecodingError(message: "record.record: expected a string") }
        switch kind {
        case "header": self = .header(try CaptureHeader(json: .object(rest)))
        case "trailer": self = .trailer(try CaptureTrailer(json: .object(rest)))
        case "exchange":
            guard let exchange else { throw RecordDecodingError(message: "exchange: expected an object") }
            self = .exchange(exchange)
        case "message":
            guard let exchangeID else { throw RecordDecodingError(message: "record.exchange: expected a string") }
            guard let message else { throw RecordDecodingError(message: "message: expected an object") }
            self = .message(exchangeID: exchangeID, message)
        case "stream-end":
            guard let exchangeID else { throw RecordDecodingError(message: "record.exchange: expected a string") }
            guard let time else { throw RecordDecodingError(message: "record.time: expected a number") }
            self = .streamEnd(exchangeID: exchangeID, time: time, open: open)
        case let other: throw RecordDecodingError(message: "unknown record kind '\(other)'")
        }
    }
}

extension Exchange {
    public init(json: JSON) throws(RecordDecodingError) {
        self = try decodeTree(json) { cursor in try Exchange(cursor: &cursor) }
    }

    init(cursor: inout JSONCursor, detail: CaptureDetail = .whole) throws {
        let whole = detail == .whole
        var id: String?
        var method: String?
        var url: String?
        var startedAt: Double?
        var decoded = Exchange(id: "", method: "", url: "", startedAt: 0)
        let isObject = try cursor.members { cursor, key in
            switch key {
            case "id": id = try cursor.string()
            case "url": url = try cursor.internedString()
            case "method": method = try cursor.internedString()
            case "startedAt": startedAt = try cursor.double()
            case "endedAt": decoded.endedAt = try cursor.double()
            case "request": if try !cursor.null() { decoded.request = try Request(cursor: &cursor, detail: detail) }
            case "response": if try !cursor.null() { decoded.response = try Response(cursor: &cursor, detail: detail) }
            case "kind": decoded.kind = try cursor.string().flatMap(Kind.init(rawValue:)) ?? .http
            case "resourceType": decoded.resourceType = try cursor.internedString()
            case "static": decoded.isStaticAsset = try cursor.bool() ?? false
            case "backgroundPoll": decoded.backgroundPoll = try cursor.bool() ?? false
            case "timings": if whole, try !cursor.null() { decoded.timings = Timings(json: try cursor.value()) }
            case "messages":
                try cursor.items { cursor in decoded.messages.append(try StreamMessage(cursor: &cursor)) }
            case "streamOpen": decoded.streamOpen = try cursor.bool() ?? false
            case "redirectedFrom": decoded.redirectedFrom = try cursor.string()
            case "redirectedTo": decoded.redirectedTo = try cursor.string()
            case "initiator", "target":
                if whole { decoded.decodeRare(key.string, try cursor.value()) } else { try cursor.skip() }
            case "provenance", "failure", "download":
                decoded.decodeRare(key.string, try cursor.value())
            default: try cursor.skip()
            }
        }
        guard isObject else { throw RecordDecodingError(message: "exchange: expected an object") }
        guard let id else { throw RecordDecodingError(message: "exchange.id: expected a string") }
        guard let method else { throw RecordDecodingError(message: "exchange.method: expected a string") }
        guard let url else { throw RecordDecodingError(message: "exchange.url: expected a string") }
        guard let startedAt else { throw RecordDecodingError(message: "exchange.startedAt: expected a number") }
        decoded.id = id
        decoded.method = method
        decoded.url = url
        decoded.startedAt = startedAt
        self = decoded
    }

    /// The members most exchanges lack, from their small trees.
    private mutating func decodeRare(_ key: String, _ value: JSON) {
        switch key {
        case "initiator":
            initiator = value["type"]?.stringValue.map { Initiator(type: $0, url: value["url"]?.stringValue, lineNumber: value["lineNumber"]?.intValue) }
        case "target":
            target = value["type"]?.stringValue.map { TargetInfo(type: $0, url: value["url"]?.stringValue, frameId: value["frameId"]?.stringValue) }
        case "provenance":
            if let flow = value["flow"]?.stringValue, let step = value["step"]?.intValue {
                provenance = Provenance(flow: flow, step: step, description: value["description"]?.stringValue ?? "")
            }
        case "failure":
            failure = value["errorText"]?.stringValue.map {
                Failure(errorText: $0, canceled: value["canceled"]?.boolValue ?? false, blockedReason: value["blockedReason"]?.stringValue)
            }
        case "download":
            download = value["suggestedFilename"]?.stringValue.map {
                Download(
                    suggestedFilename: $0, path: value["path"]?.stringValue, size: value["size"]?.intValue,
                    sha256: value["sha256"]?.stringValue, mimeType: value["mimeType"]?.stringValue,
                    state: Download.State(rawValue: value["state"]?.stringValue ?? "") ?? .inProgress)
            }
            download?.redacted = value["redacted"]?.boolValue ?? false
        default:
            return
        }
    }
}

extension Request {
    init(cursor: inout JSONCursor, detail: CaptureDetail = .whole) throws {
        var decoded = Request()
        let isObject = try cursor.members { cursor, key in
            switch key {
            case "headers": decoded.headers = try decodeHeaders(&cursor, detail: detail)
            case "headersFromWire": decoded.headersFromWire = try cursor.bool() ?? false
            case "body": if try !cursor.null() { decoded.body = try Body(cursor: &cursor) }
            default: try cursor.skip()
            }
        }
        guard isObject else { throw RecordDecodingError(message: "exchange.request: expected an object") }
        self = decoded
    }
}

extension Response {
    init(cursor: inout JSONCursor, detail: CaptureDetail = .whole) throws {
        let whole = detail == .whole
        var status: Int?
        var decoded = Response(status: 0)
        let isObject = try cursor.members { cursor, key in
            switch key {
            case "status": status = try cursor.int()
            case "mimeType": decoded.mimeType = try cursor.internedString()
            case "body": if try !cursor.null() { decoded.body = try Body(cursor: &cursor) }
            case "headers": decoded.headers = try decodeHeaders(&cursor, detail: detail)
            case "headersFromWire": decoded.headersFromWire = try cursor.bool() ?? false
            case "statusText" where whole: decoded.statusText = try cursor.internedString() ?? ""
            case "httpVersion" where whole: decoded.httpVersion = try cursor.internedString()
            case "fromDiskCache": decoded.fromDiskCache = try cursor.bool() ?? false
            case "fromServiceWorker": decoded.fromServiceWorker = try cursor.bool() ?? false
            case "fromPrefetchCache": decoded.fromPrefetchCache = try cursor.bool() ?? false
            case "remoteAddress" where whole: decoded.remoteAddress = try cursor.internedString()
            default: try cursor.skip()
            }
        }
        guard isObject else { throw RecordDecodingError(message: "exchange.response: expected an object") }
        guard let status else { throw RecordDecodingError(message: "exchange.response.status: expected an integer") }
        decoded.status = status
        self = decoded
    }
}

extension Body {
    public init(json: JSON) throws(RecordDecodingError) {
        self = try decodeTree(json) { cursor in try Body(cursor: &cursor) }
    }

    init(cursor: inout JSONCursor) throws {
        var decoded = Body(size: 0)
        let isObject = try cursor.members { cursor, key in
            switch key {
            case "text": decoded.text = try cursor.internedString()
            case "size": decoded.size = try cursor.int() ?? 0
            case "mimeType": decoded.mimeType = try cursor.internedString()
            case "encoding": decoded.encoding = try cursor.string().flatMap(Encoding.init(rawValue:)) ?? .text
            case "file": decoded.file = try cursor.string()
            case "unavailable": decoded.unavailableReason = try cursor.string()
            case "multipart":
                var parts: [MultipartPart] = []
                if try cursor.items({ cursor in parts.append(try MultipartPart(json: try cursor.value())) }) { decoded.multipart = parts }
            default: try cursor.skip()
            }
        }
        guard isObject else { throw RecordDecodingError(message: "body: expected an object") }
        self = decoded
    }
}

extension StreamMessage {
    public init(json: JSON) throws(RecordDecodingError) {
        self = try decodeTree(json) { cursor in try StreamMessage(cursor: &cursor) }
    }

    init(cursor: inout JSONCursor) throws {
        var direction: String?
        var time: Double?
        var opcode: Int?
        var event: String?
        var eventId: String?
        var data: String?
        var base64 = false
        let isObject = try cursor.members { cursor, key in
            switch key {
            case "direction": direction = try cursor.string()
            case "time": time = try cursor.double()
            case "opcode": opcode = try cursor.int()
            case "event": event = try cursor.internedString()
            case "id": eventId = try cursor.string()
            case "data": data = try cursor.internedString()
            case "base64": base64 = try cursor.bool() ?? false
            default: try cursor.skip()
            }
        }
        guard isObject else { throw RecordDecodingError(message: "message: expected an object") }
        guard let direction else { throw RecordDecodingError(message: "message.direction: expected a string") }
        guard let time else { throw RecordDecodingError(message: "message.time: expected a number") }
        guard let data else { throw RecordDecodingError(message: "message.data: expected a string") }
        self.init(
            direction: Direction(rawValue: direction) ?? .received, time: time, opcode: opcode, event: event, eventId: eventId,
            data: data, base64: base64)
    }
}

/// `[[name, value], ...]`; for `.routes` only the pairs named in `CaptureDetail.routeHeaders`, the
/// others checked as strictly (two strings) but not built.
func decodeHeaders(_ cursor: inout JSONCursor, detail: CaptureDetail = .whole) throws -> [Header] {
    var headers: [Header] = []
    let filtered = detail == .routes
    try cursor.items { cursor in
        var name: String?
        var value: String?
        var count = 0
        let isPair = try cursor.items { cursor in
            count += 1
            if count == 2, filtered, let known = name, !isRouteHeader(known) {
                guard try cursor.peek() == .string else { throw RecordDecodingError(message: "header: expected [name, value]") }
                try cursor.skip()
                value = ""
                return
            }
            let text = try cursor.internedString()
            if count == 1 { name = text } else { value = text }
        }
        if filtered, let known = name, !isRouteHeader(known) {
            guard isPair, count == 2, value != nil else { throw RecordDecodingError(message: "header: expected [name, value]") }
            return
        }
        guard isPair, count == 2, let name, let value else { throw RecordDecodingError(message: "header: expected [name, value]") }
        headers.append(Header(name: name, value: value))
    }
    return headers
}

private func isRouteHeader(_ name: String) -> Bool {
    CaptureDetail.routeHeaders.contains { $0.utf8.count == name.utf8.count && $0.utf8.elementsEqual(name.utf8.lazy.map(asciiLowercased)) }
}

private func asciiLowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

/// A decoder over a tree: the tree's serialization read by the one cursor decoder of the type.
private func decodeTree<Value>(_ json: JSON, _ decode: (inout JSONCursor) throws -> Value) throws(RecordDecodingError) -> Value {
    var text = json.serialized()
    do {
        return try text.withUTF8 { bytes in try JSONCursor.read(bytes, decode) }
    } catch let error as RecordDecodingError {
        throw error
    } catch {
        throw RecordDecodingError(message: "\(error)")
    }
}
