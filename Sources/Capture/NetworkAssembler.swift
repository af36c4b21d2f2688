import Browser
import Foundation
import JSONCore
import Recording

struct RequestKey: Hashable {
    let session: String
    let requestId: String
    init(_ session: String?, _ requestId: String) {
        self.session = session ?? ""
        self.requestId = requestId
    }
    var sessionId: String? { session.isEmpty ? nil : session }
}

/// One hop of a request (a redirect makes a new hop under the same requestId), a stream, or a WebSocket,
/// from its first event until its record is written.
final class Hop {
    var exchange: Exchange
    let key: RequestKey
    let index: Int
    let startTimestamp: Double
    var expectsExtraInfo = false
    var ended = false
    var pendingFetches = 0
    var parkedUntil: ContinuousClock.Instant?
    var requestTime: Double?
    var timing: JSON?
    var endTimestamp: Double?
    var servedFromCache = false
    var framing: StreamFraming?
    var sse = ServerSentEventParser()
    var ndjson = NDJSONSplitter()
    var awaitingBufferedData = false
    var queuedChunks: [(timestamp: Double, bytes: [UInt8])] = []
    var opened = false
    var downloadGUID: String?
    /// The document (loader) and frame that started it, to end it when that document goes away.
    var loaderId: String?
    var frameId: String?

    init(exchange: Exchange, key: RequestKey, index: Int, startTimestamp: Double) {
        self.exchange = exchange
        self.key = key
        self.index = index
        self.startTimestamp = startTimestamp
    }

    var isStream: Bool { exchange.kind != .http }
}

struct ResponseExtra {
    var headers: [Header]
    var statusCode: Int?
}

/// The `...ExtraInfo` events of one requestId, by hop: they may come before or after their main event.
struct ExtraInfoQueue {
    var requests: [[Header]] = []
    var responses: [ResponseExtra] = []
    var lastTouched: ContinuousClock.Instant
}

/// Turns DevTools Network events into exchange records: the state machine of the recorder, free of any
/// browser connection so it can be driven by recorded event sequences. Not thread-safe: the recorder
/// calls it under one lock.
public final class NetworkAssembler {
    let output: CaptureOutput
    let filter: URLFilter
    let bodies: BodyStore
    let keepUploadedFileBytes: Bool
    let grace: Duration
    var now: () -> ContinuousClock.Instant = { ContinuousClock.now }
    /// Step changes with their epoch times, so an exchange gets the step active when the browser
    /// started it, even when its event is processed a little later. One lane a browser context when
    /// flows run side by side, each in its own context; `nil` is the lane of a run of one at a time.
    var provenanceChanges: [String?: [(time: Double, value: Provenance?)]] = [:]
    /// Frames of each lane's targets, for downloads, which name only a frame.
    var frameLanes: [String: String] = [:]

    var live: [RequestKey: Hop] = [:]
    var hops: [String: Hop] = [:]
    /// Hops started so far under a requestId (the index of its next hop, for ExtraInfo pairing).
    var hopCounts: [RequestKey: Int] = [:]
    /// Hops of a requestId not yet written.
    var openHops: [RequestKey: Int] = [:]
    var parked: Set<String> = []
    var extras: [RequestKey: ExtraInfoQueue] = [:]
    var ignored: Set<RequestKey> = []
    var clockOffsets: [String: Double] = [:]
    var lastClockOffset: Double?
    var targets: [String: SessionTarget] = [:]
    var downloads: [String: DownloadState] = [:]
    /// Recently written plain HTTP exchanges, so a download that begins after its request ended can
    /// still be linked to it.
    var recent: [Exchange] = []
    private var nextID = 0
    public private(set) var eventsProcessed = 0

    init(output: CaptureOutput, filter: URLFilter, bodies: BodyStore, keepUploadedFileBytes: Bool, grace: Duration) {
        self.output = output
        self.filter = filter
        self.bodies = bodies
        self.keepUploadedFileBytes = keepUploadedFileBytes
        self.grace = grace
    }

    /// The methods the assembler consumes: subscribe to these only.
    public static let methods: Set<String> = [
        "Network.requestWillBeSent", "Network.requestWillBeSentExtraInfo", "Network.responseReceived",
        "Network.responseReceivedExtraInfo", "Network.loadingFinished", "Network.loadingFailed", "Network.dataReceived",
        "Network.requestServedFromCache", "Network.eventSourceMessageReceived", "Network.webSocketCreated",
        "Network.webSocketWillSendHandshakeRequest", "Network.webSocketHandshakeResponseReceived", "Network.webSocketFrameSent",
        "Network.webSocketFrameReceived", "Network.webSocketFrameError", "Network.webSocketClosed",
        "Inspector.targetCrashed", "Target.detachedFromTarget", "Browser.downloadWillBegin", "Browser.downloadProgress",
        "Page.frameNavigated",
    ]

    public func setProvenance(_ value: Provenance?, at time: Double, lane: String? = nil) {
        provenanceChanges[lane, default: []].append((time, value))
        if provenanceChanges[lane]!.count > 256 { provenanceChanges[lane]!.removeFirst(128) }
    }

    /// The step active at `time` in the lane of the session's context (or of the frame's, for a
    /// download), else in the run's one lane.
    func provenance(at time: Double, sessionId: String? = nil, frameId: String? = nil) -> Provenance? {
        let lane = sessionId.flatMap { targets[$0]?.browserContextId } ?? frameId.flatMap { frameLanes[$0] }
        let changes = lane.flatMap { provenanceChanges[$0] } ?? provenanceChanges[nil] ?? []
        for change in changes.reversed() where change.time <= time { return change.value }
        return nil
    }

    public func registerTarget(sessionId: String, _ target: SessionTarget) {
        targets[sessionId] = target
        if let context = target.browserContextId { frameLanes[target.targetId] = context }
    }

    func makeID() -> String {
        nextID += 1
        return "e\(nextID)"
    }

    // MARK: dispatch

    public func handle(method: String, sessionId: String?, params: JSON) -> [NetworkCommand] {
        eventsProcessed += 1
        var commands: [NetworkCommand] = []
        switch method {
        case "Network.requestWillBeSent": requestWillBeSent(sessionId, params, &commands)
        case "Network.requestWillBeSentExtraInfo": requestExtraInfo(sessionId, params)
        case "Network.responseReceived": responseReceived(sessionId, params, &commands)
        case "Network.responseReceivedExtraInfo": responseExtraInfo(sessionId, params)
        case "Network.loadingFinished": loadingFinished(sessionId, params, &commands)
        case "Network.loadingFailed": loadingFailed(sessionId, params)
        case "Network.dataReceived": dataReceived(sessionId, params)
        case "Network.requestServedFromCache":
            if let id = params["requestId"]?.stringValue { live[RequestKey(sessionId, id)]?.servedFromCache = true }
        case "Network.eventSourceMessageReceived": eventSourceMessage(sessionId, params)
        case "Network.webSocketCreated": webSocketCreated(sessionId, params)
        case "Network.webSocketWillSendHandshakeRequest": webSocketHandshakeRequest(sessionId, params)
        case "Network.webSocketHandshakeResponseReceived": webSocketHandshakeResponse(sessionId, params)
        case "Network.webSocketFrameSent": webSocketFrame(sessionId, params, direction: .sent)
        case "Network.webSocketFrameReceived": webSocketFrame(sessionId, params, direction: .received)
        case "Network.webSocketFrameError": webSocketFrameError(sessionId, params)
        case "Network.webSocketClosed": webSocketClosed(sessionId, params)
        case "Inspector.targetCrashed":
            targetGone(sessionId, reason: "renderer crashed (Inspector.targetCrashed) before the exchange finished")
        case "Target.detachedFromTarget":
            if let detached = params["sessionId"]?.stringValue {
                targetGone(detached, reason: "target detached (page closed) before the exchange finished")
                targets[detached] = nil
            }
        case "Page.frameNavigated": frameNavigated(sessionId, params)
        case "Browser.downloadWillBegin": downloadWillBegin(params)
        case "Browser.downloadProgress": downloadProgress(params, &commands)
        default: break
        }
        return commands
    }

    // MARK: clocks

    func learnClock(_ sessionId: String?, timestamp: Double?, wallTime: Double?) {
        guard let timestamp, let wallTime else { return }
        clockOffsets[sessionId ?? ""] = wallTime - timestamp
        lastClockOffset = wallTime - timestamp
    }

    /// DevTools stamps events with a monotonic clock; exchanges carry epoch seconds.
    func epoch(_ sessionId: String?, _ timestamp: Double?) -> Double {
        guard let timestamp else { return Date().timeIntervalSince1970 }
        if let offset = clockOffsets[sessionId ?? ""] ?? lastClockOffset { return timestamp + offset }
        return Date().timeIntervalSince1970
    }

    // MARK: helpers

    static func headers(_ json: JSON?) -> [Header] {
        guard let members = json?.objectValue else { return [] }
        var result: [Header] = []
        result.reserveCapacity(members.count)
        for (name, value) in members {
            switch value {
            case .string(let text): result.append(Header(name: name, value: text))
            case .integer(let number): result.append(Header(name: name, value: String(number)))
            case .number(let number): result.append(Header(name: name, value: JSON.number(number).serialized()))
            case .bool(let flag): result.append(Header(name: name, value: flag ? "true" : "false"))
            default: continue
            }
        }
        result.sort { ($0.name.lowercased(), $0.value) < ($1.name.lowercased(), $1.value) }
        return result
    }

    static let staticTypes: Set<String> = ["Script", "Stylesheet", "Image", "Font", "Media", "Manifest", "TextTrack"]

    static func isStaticAsset(resourceType: String?, url: String) -> Bool {
        if let resourceType, staticTypes.contains(resourceType) { return true }
        return BackgroundPolls.path(of: url).utf8.reversed().starts(with: "pam.".utf8)
    }

    func targetInfo(_ sessionId: String?, frameId: String?) -> TargetInfo? {
        guard let session = sessionId, let target = targets[session] else {
            return frameId.map { TargetInfo(type: "page", frameId: $0) }
        }
        var type = target.type
        if type == "page", let frameId, frameId != target.targetId { type = "iframe" }
        return TargetInfo(type: type, url: target.url.isEmpty ? nil : target.url, frameId: frameId)
    }

    func initiator(_ json: JSON?) -> Initiator? {
        guard let json, let type = json["type"]?.stringValue else { return nil }
        var url = json["url"]?.stringValue
        var line = json["lineNumber"]?.intValue
        if url == nil, let frame = json["stack"]?["callFrames"]?[0] {
            url = frame["url"]?.stringValue
            line = frame["lineNumber"]?.intValue
        }
        return Initiator(type: type, url: url?.isEmpty == true ? nil : url, lineNumber: line)
    }

    func newHop(key: RequestKey, exchange: Exchange, startTimestamp: Double) -> Hop {
        let index = hopCounts[key, default: 0]
        hopCounts[key] = index + 1
        openHops[key, default: 0] += 1
        let hop = Hop(exchange: exchange, key: key, index: index, startTimestamp: startTimestamp)
        live[key] = hop
        hops[exchange.id] = hop
        return hop
    }

    /// A hop is done when it ended, its fetches came back, its download (if any) was saved, and its
    /// ExtraInfo arrived (or the grace period for it ran out).
    func tryComplete(_ hop: Hop, force: Bool = false) {
        guard hop.ended, hop.pendingFetches == 0, hop.downloadGUID == nil || force else { return }
        applyExtras(hop)
        if !force, hop.expectsExtraInfo, !(hop.exchange.request.headersFromWire && (hop.exchange.response?.headersFromWire ?? true)) {
            if hop.parkedUntil == nil {
                hop.parkedUntil = now().advanced(by: grace)
                parked.insert(hop.exchange.id)
            }
            return
        }
        finishTimings(hop)
        if hop.isStream {
            closeStream(hop, open: false)
        } else {
            output.exchange(hop.exchange)
            remember(hop.exchange)
        }
        drop(hop)
    }

    func drop(_ hop: Hop) {
        guard hops.removeValue(forKey: hop.exchange.id) != nil else { return }
        parked.remove(hop.exchange.id)
        if live[hop.key] === hop { live[hop.key] = nil }
        let remaining = (openHops[hop.key] ?? 1) - 1
        if remaining > 0 {
            openHops[hop.key] = remaining
        } else {
            openHops[hop.key] = nil
            if live[hop.key] == nil {
                hopCounts[hop.key] = nil
                extras[hop.key] = nil
            }
        }
    }

    func remember(_ exchange: Exchange) {
        guard exchange.kind == .http, !exchange.isStaticAsset, (exchange.response?.body?.text?.utf8.count ?? 0) < 65_536 else { return }
        recent.append(exchange)
        if recent.count > 32 { recent.removeFirst(recent.count - 32) }
    }

    func applyExtras(_ hop: Hop) {
        guard let queue = extras[hop.key] else { return }
        if !hop.exchange.request.headersFromWire, hop.index < queue.requests.count {
            hop.exchange.request.headers = queue.requests[hop.index]
            hop.exchange.request.headersFromWire = true
        }
        guard hop.index < queue.responses.count else { return }
        let extra = queue.responses[hop.index]
        if var response = hop.exchange.response {
            guard !response.headersFromWire else { return }
            response.headers = extra.headers
            response.headersFromWire = true
            hop.exchange.response = response
        } else if let status = extra.statusCode, hop.ended {
            // The server answered but the page never saw it (a CORS block, a cancel after the headers):
            // the wire still says what came back.
            hop.exchange.response = Response(status: status, headers: extra.headers, headersFromWire: true)
        }
    }

    /// HAR-style phases in milliseconds from `response.timing` (offsets from `requestTime`).
    func finishTimings(_ hop: Hop) {
        if hop.exchange.endedAt == nil, let end = hop.endTimestamp { hop.exchange.endedAt = epoch(hop.key.sessionId, end) }
        guard let timing = hop.timing, let requestTime = timing["requestTime"]?.doubleValue else { return }
        func value(_ name: String) -> Double { timing[name]?.doubleValue ?? -1 }
        func span(_ start: String, _ end: String) -> Double {
            let (a, b) = (value(start), value(end))
            return a >= 0 && b >= a ? b - a : -1
        }
        let firstActivity = [value("dnsStart"), value("connectStart"), value("sendStart")].first { $0 >= 0 } ?? 0
        let receiveHeadersEnd = max(value("receiveHeadersEnd"), 0)
        let sendEnd = max(value("sendEnd"), 0)
        var receive = 0.0
        if let end = hop.endTimestamp { receive = max((end - requestTime) * 1000 - receiveHeadersEnd, 0) }
        let startGap = max((requestTime - hop.startTimestamp) * 1000, 0)
        hop.exchange.timings = Timings(
            blocked: startGap + firstActivity, dns: span("dnsStart", "dnsEnd"), connect: span("connectStart", "connectEnd"),
            ssl: span("sslStart", "sslEnd"), send: max(span("sendStart", "sendEnd"), 0), wait: max(receiveHeadersEnd - sendEnd, 0),
            receive: receive)
    }

    // MARK: maintenance

    /// Writes exchanges whose ExtraInfo never came within the grace period and forgets stale ExtraInfo.
    public func tick() {
        let current = now()
        for id in parked {
            guard let hop = hops[id], let deadline = hop.parkedUntil, deadline <= current else { continue }
            tryComplete(hop, force: true)
        }
        let stale = current.advanced(by: .seconds(-30))
        for (key, queue) in extras where queue.lastTouched < stale && openHops[key] == nil {
            extras[key] = nil
            hopCounts[key] = nil
        }
    }

    /// At the end of the run: open streams are written as open, everything else as far as it got.
    public func finish() {
        for (guid, download) in downloads.sorted(by: { $0.key < $1.key }) {
            writeDownload(guid: guid, download: download, state: .inProgress)
        }
        downloads.removeAll()
        for hop in hops.values.sorted(by: { $0.startTimestamp < $1.startTimestamp }) {
            if hop.isStream {
                flushStream(hop, final: false)
                if !hop.ended {
                    applyExtras(hop)
                    closeStream(hop, open: true)
                    drop(hop)
                    continue
                }
            } else if !hop.ended {
                hop.exchange.failure = Failure(errorText: "still in flight when the capture finished")
                hop.ended = true
            }
            hop.pendingFetches = 0
            tryComplete(hop, force: true)
        }
    }

    // MARK: navigation and crashes

    /// Chromium sends no close for the streams and requests of a document it navigated away from:
    /// when a frame commits a new document, what the old one still had open ends here.
    func frameNavigated(_ sessionId: String?, _ params: JSON) {
        guard let frame = params["frame"], let frameId = frame["id"]?.stringValue, let loaderId = frame["loaderId"]?.stringValue else { return }
        if let context = sessionId.flatMap({ targets[$0]?.browserContextId }) { frameLanes[frameId] = context }
        let isMainFrame = frame["parentId"] == nil
        let session = sessionId ?? ""
        let now = Date().timeIntervalSince1970
        let gone = hops.values.filter { hop in
            hop.key.session == session && !hop.ended && hop.loaderId != loaderId && (isMainFrame || (hop.frameId != nil && hop.frameId == frameId))
        }
        for hop in gone.sorted(by: { $0.startTimestamp < $1.startTimestamp }) {
            hop.ended = true
            if hop.isStream {
                hop.exchange.endedAt = now
                flushStream(hop, final: true)
                applyExtras(hop)
                closeStream(hop, open: false)
                drop(hop)
            } else {
                hop.exchange.failure = Failure(errorText: "net::ERR_ABORTED (the page navigated away)", canceled: true)
                hop.exchange.endedAt = now
                hop.pendingFetches = 0
                tryComplete(hop, force: true)
            }
        }
    }

    func targetGone(_ sessionId: String?, reason: String) {
        let session = sessionId ?? ""
        for hop in Array(hops.values) where hop.key.session == session && !hop.ended {
            hop.exchange.failure = Failure(errorText: reason)
            hop.ended = true
            hop.pendingFetches = 0
            if hop.isStream {
                flushStream(hop, final: false)
                applyExtras(hop)
                closeStream(hop, open: false)
                drop(hop)
            } else {
                tryComplete(hop, force: true)
            }
        }
    }
}
