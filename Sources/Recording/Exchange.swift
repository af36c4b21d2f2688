/// One network exchange as the recorder saw it: an HTTP request and its response, a WebSocket
/// connection with its frames, or a streamed response (server-sent events, NDJSON) with its messages.
/// Every field a later stage may need is here, so discovery never goes back to the browser.
public struct Exchange: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case http, websocket, stream }

    /// The fields, boxed: see `CopyOnWrite`.
    private var storage: CopyOnWrite<Fields>

    struct Fields: Sendable, Hashable {
        var id: String
        var kind: Kind
        var method: String
        var url: String
        var resourceType: String?
        var isStaticAsset: Bool
        var target: TargetInfo?
        var startedAt: Double
        var endedAt: Double?
        var request: Request
        var response: Response?
        var timings: Timings?
        var initiator: Initiator?
        var redirectedFrom: String?
        var redirectedTo: String?
        var failure: Failure?
        var messages: [StreamMessage]
        var streamOpen: Bool
        var download: Download?
        var provenance: Provenance?
        var backgroundPoll: Bool
    }

    public var id: String {
        _read { yield storage.value.id }
        _modify { yield &storage.value.id }
    }

    public var kind: Kind {
        _read { yield storage.value.kind }
        _modify { yield &storage.value.kind }
    }

    public var method: String {
        _read { yield storage.value.method }
        _modify { yield &storage.value.method }
    }

    public var url: String {
        _read { yield storage.value.url }
        _modify { yield &storage.value.url }
    }

    /// DevTools resource type: Document, XHR, Fetch, Script, Stylesheet, Image, Font, WebSocket, EventSource, Other...
    public var resourceType: String? {
        _read { yield storage.value.resourceType }
        _modify { yield &storage.value.resourceType }
    }

    /// Scripts, styles, images, fonts, source maps, media: recorded, but left out of discovery unless asked.
    public var isStaticAsset: Bool {
        _read { yield storage.value.isStaticAsset }
        _modify { yield &storage.value.isStaticAsset }
    }

    public var target: TargetInfo? {
        _read { yield storage.value.target }
        _modify { yield &storage.value.target }
    }

    /// Epoch seconds.
    public var startedAt: Double {
        _read { yield storage.value.startedAt }
        _modify { yield &storage.value.startedAt }
    }

    public var endedAt: Double? {
        _read { yield storage.value.endedAt }
        _modify { yield &storage.value.endedAt }
    }

    public var request: Request {
        _read { yield storage.value.request }
        _modify { yield &storage.value.request }
    }

    public var response: Response? {
        _read { yield storage.value.response }
        _modify { yield &storage.value.response }
    }

    public var timings: Timings? {
        _read { yield storage.value.timings }
        _modify { yield &storage.value.timings }
    }

    public var initiator: Initiator? {
        _read { yield storage.value.initiator }
        _modify { yield &storage.value.initiator }
    }

    /// Exchange ids of the redirect chain's neighbours.
    public var redirectedFrom: String? {
        _read { yield storage.value.redirectedFrom }
        _modify { yield &storage.value.redirectedFrom }
    }

    public var redirectedTo: String? {
        _read { yield storage.value.redirectedTo }
        _modify { yield &storage.value.redirectedTo }
    }

    public var failure: Failure? {
        _read { yield storage.value.failure }
        _modify { yield &storage.value.failure }
    }

    /// WebSocket frames, server-sent events or NDJSON lines, in arrival order.
    public var messages: [StreamMessage] {
        _read { yield storage.value.messages }
        _modify { yield &storage.value.messages }
    }

    /// For websocket and stream exchanges: still open when the run ended.
    public var streamOpen: Bool {
        _read { yield storage.value.streamOpen }
        _modify { yield &storage.value.streamOpen }
    }

    public var download: Download? {
        _read { yield storage.value.download }
        _modify { yield &storage.value.download }
    }

    public var provenance: Provenance? {
        _read { yield storage.value.provenance }
        _modify { yield &storage.value.provenance }
    }

    /// Seen repeating on a timer while no step acted.
    public var backgroundPoll: Bool {
        _read { yield storage.value.backgroundPoll }
        _modify { yield &storage.value.backgroundPoll }
    }

    public init(
        id: String, kind: Kind = .http, method: String, url: String, resourceType: String? = nil,
        isStaticAsset: Bool = false, target: TargetInfo? = nil, startedAt: Double, endedAt: Double? = nil,
        request: Request = Request(), response: Response? = nil, timings: Timings? = nil,
        initiator: Initiator? = nil, redirectedFrom: String? = nil, redirectedTo: String? = nil,
        failure: Failure? = nil, messages: [StreamMessage] = [], streamOpen: Bool = false,
        download: Download? = nil, provenance: Provenance? = nil, backgroundPoll: Bool = false
    ) {
        storage = CopyOnWrite(Fields(
            id: id, kind: kind, method: method, url: url, resourceType: resourceType, isStaticAsset: isStaticAsset, target: target,
            startedAt: startedAt, endedAt: endedAt, request: request, response: response, timings: timings, initiator: initiator,
            redirectedFrom: redirectedFrom, redirectedTo: redirectedTo, failure: failure, messages: messages, streamOpen: streamOpen,
            download: download, provenance: provenance, backgroundPoll: backgroundPoll))
    }
}

public struct Header: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == Header {
    /// The first value of a header, compared case-insensitively as HTTP does.
    public func value(of name: String) -> String? {
        first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

public struct Request: Sendable, Hashable {
    /// As sent on the wire when DevTools reported them (ExtraInfo), else as the page asked.
    public var headers: [Header]
    public var body: Body?
    public var headersFromWire: Bool
    public init(headers: [Header] = [], body: Body? = nil, headersFromWire: Bool = false) {
        self.headers = headers
        self.body = body
        self.headersFromWire = headersFromWire
    }
}

public struct Response: Sendable, Hashable {
    /// The fields, boxed: see `CopyOnWrite` (discovery binds `exchange.response` often; a copy is one retain).
    private var storage: CopyOnWrite<Fields>

    struct Fields: Sendable, Hashable {
        var status: Int
        var statusText: String
        var httpVersion: String?
        var headers: [Header]
        var headersFromWire: Bool
        var mimeType: String?
        var body: Body?
        var fromDiskCache: Bool
        var fromServiceWorker: Bool
        var fromPrefetchCache: Bool
        var remoteAddress: String?
    }

    public var status: Int {
        _read { yield storage.value.status }
        _modify { yield &storage.value.status }
    }

    public var statusText: String {
        _read { yield storage.value.statusText }
        _modify { yield &storage.value.statusText }
    }

    public var httpVersion: String? {
        _read { yield storage.value.httpVersion }
        _modify { yield &storage.value.httpVersion }
    }

    public var headers: [Header] {
        _read { yield storage.value.headers }
        _modify { yield &storage.value.headers }
    }

    public var headersFromWire: Bool {
        _read { yield storage.value.headersFromWire }
        _modify { yield &storage.value.headersFromWire }
    }

    public var mimeType: String? {
        _read { yield storage.value.mimeType }
        _modify { yield &storage.value.mimeType }
    }

    public var body: Body? {
        _read { yield storage.value.body }
        _modify { yield &storage.value.body }
    }

    public var fromDiskCache: Bool {
        _read { yield storage.value.fromDiskCache }
        _modify { yield &storage.value.fromDiskCache }
    }

    public var fromServiceWorker: Bool {
        _read { yield storage.value.fromServiceWorker }
        _modify { yield &storage.value.fromServiceWorker }
    }

    public var fromPrefetchCache: Bool {
        _read { yield storage.value.fromPrefetchCache }
        _modify { yield &storage.value.fromPrefetchCache }
    }

    public var remoteAddress: String? {
        _read { yield storage.value.remoteAddress }
        _modify { yield &storage.value.remoteAddress }
    }

    public init(
        status: Int, statusText: String = "", httpVersion: String? = nil, headers: [Header] = [],
        headersFromWire: Bool = false, mimeType: String? = nil, body: Body? = nil, fromDiskCache: Bool = false,
        fromServiceWorker: Bool = false, fromPrefetchCache: Bool = false, remoteAddress: String? = nil
    ) {
        storage = CopyOnWrite(Fields(
            status: status, statusText: statusText, httpVersion: httpVersion, headers: headers, headersFromWire: headersFromWire,
            mimeType: mimeType, body: body, fromDiskCache: fromDiskCache, fromServiceWorker: fromServiceWorker,
            fromPrefetchCache: fromPrefetchCache, remoteAddress: remoteAddress))
    }
}

/// A request or response body. Text stays text; binary is base64; a body above the spool threshold
/// lives in a file beside the capture (`file`, relative to the capture folder).
public struct Body: Sendable, Hashable {
    public enum Encoding: String, Sendable, Hashable { case text, base64 }
    public var size: Int
    public var mimeType: String?
    public var encoding: Encoding
    public var text: String?
    public var file: String?
    /// Set when the body could not be had (evicted, too large for the browser's buffer, omitted by policy).
    public var unavailableReason: String?
    public var multipart: [MultipartPart]?

    public init(
        size: Int, mimeType: String? = nil, encoding: Encoding = .text, text: String? = nil, file: String? = nil,
        unavailableReason: String? = nil, multipart: [MultipartPart]? = nil
    ) {
        self.size = size
        self.mimeType = mimeType
        self.encoding = encoding
        self.text = text
        self.file = file
        self.unavailableReason = unavailableReason
        self.multipart = multipart
    }
}

public struct MultipartPart: Sendable, Hashable {
    public var name: String
    public var filename: String?
    public var contentType: String?
    public var size: Int
    /// The value of a non-file field; file bytes are not kept unless asked (then base64).
    public var value: String?
    public var base64: Bool
    public init(name: String, filename: String? = nil, contentType: String? = nil, size: Int, value: String? = nil, base64: Bool = false) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.value = value
        self.base64 = base64
    }
}

public struct StreamMessage: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable { case sent, received }
    public var direction: Direction
    /// Epoch seconds.
    public var time: Double
    /// WebSocket opcode (1 text, 2 binary); nil for stream messages.
    public var opcode: Int?
    /// Server-sent event name (`message` when the stream gave none); nil for WebSocket frames and NDJSON lines.
    public var event: String?
    public var eventId: String?
    public var data: String
    public var base64: Bool

    public init(
        direction: Direction, time: Double, opcode: Int? = nil, event: String? = nil, eventId: String? = nil,
        data: String, base64: Bool = false
    ) {
        self.direction = direction
        self.time = time
        self.opcode = opcode
        self.event = event
        self.eventId = eventId
        self.data = data
        self.base64 = base64
    }
}

public struct TargetInfo: Sendable, Hashable {
    /// page, iframe, worker, shared_worker, service_worker, popup
    public var type: String
    public var url: String?
    public var frameId: String?
    public init(type: String, url: String? = nil, frameId: String? = nil) {
        self.type = type
        self.url = url
        self.frameId = frameId
    }
}

/// Milliseconds, -1 where unknown (HAR's convention).
public struct Timings: Sendable, Hashable {
    public var blocked: Double
    public var dns: Double
    public var connect: Double
    public var ssl: Double
    public var send: Double
    public var wait: Double
    public var receive: Double
    public init(blocked: Double = -1, dns: Double = -1, connect: Double = -1, ssl: Double = -1, send: Double = -1, wait: Double = -1, receive: Double = -1) {
        self.blocked = blocked
        self.dns = dns
        self.connect = connect
        self.ssl = ssl
        self.send = send
        self.wait = wait
        self.receive = receive
    }
}

public struct Initiator: Sendable, Hashable {
    public var type: String
    public var url: String?
    public var lineNumber: Int?
    public init(type: String, url: String? = nil, lineNumber: Int? = nil) {
        self.type = type
        self.url = url
        self.lineNumber = lineNumber
    }
}

public struct Failure: Sendable, Hashable {
    public var errorText: String
    public var canceled: Bool
    public var blockedReason: String?
    public init(errorText: String, canceled: Bool = false, blockedReason: String? = nil) {
        self.errorText = errorText
        self.canceled = canceled
        self.blockedReason = blockedReason
    }
}

public struct Download: Sendable, Hashable {
    public enum State: String, Sendable, Hashable { case completed, canceled, inProgress }
    public var suggestedFilename: String
    /// Relative to the capture folder.
    public var path: String?
    public var size: Int?
    public var sha256: String?
    public var mimeType: String?
    public var state: State
    /// A flow secret was found in the file and replaced by its marker: size and SHA-256 are of the file as saved.
    public var redacted = false
    public init(suggestedFilename: String, path: String? = nil, size: Int? = nil, sha256: String? = nil, mimeType: String? = nil, state: State) {
        self.suggestedFilename = suggestedFilename
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.mimeType = mimeType
        self.state = state
    }
}

/// Which flow step was running when the exchange started.
public struct Provenance: Sendable, Hashable {
    public var flow: String
    public var step: Int
    /// As a person reads it: `click role=button "Create"`.
    public var description: String
    public init(flow: String, step: Int, description: String) {
        self.flow = flow
        self.step = step
        self.description = description
    }
}
