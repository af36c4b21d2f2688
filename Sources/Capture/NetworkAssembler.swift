import Browser
import Foundation
import JSONCore
import Recording

/// One hop of a request (a redirect makes a new hop under the same requestId), a stream, or a WebSocket,
/// from its first event until its record is written.
final class Hop {
    var exchange: Exchange
    /// The tracker's id of the hop (`NetworkRequest.id`, `NetworkWebSocket.id`).
    let trackerID: String
    let sessionId: String?
    /// DevTools' requestId, for the commands that fetch its bodies.
    let requestId: String
    let startTimestamp: Double
    var expectsExtraInfo = false
    var ended = false
    var pendingFetches = 0
    var parkedUntil: ContinuousClock.Instant?
    var timing: NetworkTiming?
    var endTimestamp: Double?
    var opened = false
    var downloadGUID: String?
    /// The document (loader) and frame that started it, to end it when that document goes away.
    var loaderId: String?
    var frameId: String?

    init(exchange: Exchange, trackerID: String, sessionId: String?, requestId: String, startTimestamp: Double) {
        self.exchange = exchange
        self.trackerID = trackerID
        self.sessionId = sessionId
        self.requestId = requestId
        self.startTimestamp = startTimestamp
    }

    var isStream: Bool { exchange.kind != .http }
}

/// Turns the browser's typed network events (`browser.network`: hops, wire headers, stream messages
/// already paired and split by its `NetworkTracker`) into exchange records: the state machine of the
/// recorder, free of any browser connection so it can be driven by replayed event sequences. Not thread-safe: the recorder
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

    /// Hops not yet written, by the tracker's id.
    var live: [String: Hop] = [:]
    /// The same hops by exchange id.
    var hops: [String: Hop] = [:]
    var parked: Set<String> = []
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

    public func handle(_ event: NetworkEvent) -> [NetworkCommand] {
        eventsProcessed += 1
        var commands: [NetworkCommand] = []
        switch event {
        case .request(let request): requestStarted(request, &commands)
        case .redirect(let request, let response): redirected(request, response)
        case .response(let request, let response): responseReceived(request, response)
        case .wireHeaders(let request, let requestHeaders, let responseHeaders, let status):
            wireHeaders(request, request: requestHeaders, response: responseHeaders, status: status)
        case .finished(let request, let response): loadingFinished(request, response, &commands)
        case .failed(let request, let response, let failure): loadingFailed(request, response, failure)
        case .streamMessage(let request, let message): streamMessage(request, message)
        case .streamUnavailable(let request, let reason): streamUnavailable(request, reason: reason)
        case .webSocketCreated(let socket): webSocketCreated(socket)
        case .webSocketHandshake(let socket, let handshake): webSocketHandshake(socket, handshake)
        case .webSocketFrame(let socket, let frame): webSocketFrame(socket, frame)
        case .webSocketFrameError(let socket, let message, _):
            live[socket.id]?.exchange.failure = Failure(errorText: message)
        case .webSocketClosed(let socket, let timestamp): webSocketClosed(socket, timestamp: timestamp)
        case .downloadBegin(let download): downloadWillBegin(download)
        case .downloadProgress(let guid, let state, _, _): downloadProgress(guid: guid, state: state, &commands)
        case .documentCommitted(let sessionId, let frameId, let loaderId, let isMainFrame):
            documentCommitted(sessionId, frameId: frameId, loaderId: loaderId, isMainFrame: isMainFrame)
        case .targetGone(let sessionId, let crashed):
            targetGone(sessionId, reason: crashed
                ? "renderer crashed (Inspector.targetCrashed) before the exchange finished"
                : "target detached (page closed) before the exchange finished")
            if !crashed { targets[sessionId] = nil }
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

    static func headers(_ members: [String: String]) -> [Header] {
        var result = members.map { Header(name: $0.key, value: $0.value) }
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

    func initiator(_ initiator: NetworkInitiator?) -> Initiator? {
        initiator.map { Initiator(type: $0.type, url: $0.url, lineNumber: $0.lineNumber) }
    }

    func newHop(trackerID: String, sessionId: String?, requestId: String, exchange: Exchange, startTimestamp: Double) -> Hop {
        let hop = Hop(exchange: exchange, trackerID: trackerID, sessionId: sessionId, requestId: requestId, startTimestamp: startTimestamp)
        live[trackerID] = hop
        hops[exchange.id] = hop
        return hop
    }

    /// A hop is done when it ended, its fetches came back, its download (if any) was saved, and its
    /// ExtraInfo arrived (or the grace period for it ran out).
    func tryComplete(_ hop: Hop, force: Bool = false) {
        guard hop.ended, hop.pendingFetches == 0, hop.downloadGUID == nil || force else { return }
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
        if live[hop.trackerID] === hop { live[hop.trackerID] = nil }
    }

    func remember(_ exchange: Exchange) {
        guard exchange.kind == .http, !exchange.isStaticAsset, (exchange.response?.body?.text?.utf8.count ?? 0) < 65_536 else { return }
        recent.append(exchange)
        if recent.count > 32 { recent.removeFirst(recent.count - 32) }
    }

    /// The wire's headers (`...ExtraInfo`, paired with the hop by the tracker) replace what the page saw.
    func wireHeaders(_ request: NetworkRequest, request requestHeaders: [String: String]?, response responseHeaders: [String: String]?, status: Int?) {
        guard let hop = live[request.id] else { return }
        let before = (hop.exchange.request.headersFromWire, hop.exchange.response?.headersFromWire)
        if let requestHeaders {
            hop.exchange.request.headers = Self.headers(requestHeaders)
            hop.exchange.request.headersFromWire = true
        }
        if let responseHeaders {
            if var response = hop.exchange.response {
                response.headers = Self.headers(responseHeaders)
                response.headersFromWire = true
                hop.exchange.response = response
            } else if let status, hop.ended {
                // The server answered but the page never saw it (a CORS block, a cancel after the headers):
                // the wire still says what came back.
                hop.exchange.response = Response(status: status, headers: Self.headers(responseHeaders), headersFromWire: true)
            }
        }
        if parked.contains(hop.exchange.id) {
            tryComplete(hop)
        } else if hop.isStream, hop.opened, !hop.ended,
            before != (hop.exchange.request.headersFromWire, hop.exchange.response?.headersFromWire) {
            // An open stream rewrites its record with the wire headers.
            output.exchange(hop.exchange)
        }
    }

    /// HAR-style phases in milliseconds from `response.timing` (offsets from `requestTime`).
    func finishTimings(_ hop: Hop) {
        if hop.exchange.endedAt == nil, let end = hop.endTimestamp { hop.exchange.endedAt = epoch(hop.sessionId, end) }
        guard let timing = hop.timing else { return }
        let requestTime = timing.requestTime
        func span(_ start: KeyPath<NetworkTiming, Double>, _ end: KeyPath<NetworkTiming, Double>) -> Double {
            let (a, b) = (timing[keyPath: start], timing[keyPath: end])
            return a >= 0 && b >= a ? b - a : -1
        }
        let firstActivity = [timing.dnsStart, timing.connectStart, timing.sendStart].first { $0 >= 0 } ?? 0
        let receiveHeadersEnd = max(timing.receiveHeadersEnd, 0)
        let sendEnd = max(timing.sendEnd, 0)
        var receive = 0.0
        if let end = hop.endTimestamp { receive = max((end - requestTime) * 1000 - receiveHeadersEnd, 0) }
        let startGap = max((requestTime - hop.startTimestamp) * 1000, 0)
        hop.exchange.timings = Timings(
            blocked: startGap + firstActivity, dns: span(\.dnsStart, \.dnsEnd), connect: span(\.connectStart, \.connectEnd),
            ssl: span(\.sslStart, \.sslEnd), send: max(span(\.sendStart, \.sendEnd), 0), wait: max(receiveHeadersEnd - sendEnd, 0),
            receive: receive)
    }

    // MARK: maintenance

    /// Writes exchanges whose ExtraInfo never came within the grace period.
    public func tick() {
        let current = now()
        for id in parked {
            guard let hop = hops[id], let deadline = hop.parkedUntil, deadline <= current else { continue }
            tryComplete(hop, force: true)
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
                if !hop.ended {
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
    func documentCommitted(_ sessionId: String?, frameId: String, loaderId: String, isMainFrame: Bool) {
        if let context = sessionId.flatMap({ targets[$0]?.browserContextId }) { frameLanes[frameId] = context }
        let now = Date().timeIntervalSince1970
        let gone = hops.values.filter { hop in
            hop.sessionId == sessionId && !hop.ended && hop.loaderId != loaderId && (isMainFrame || (hop.frameId != nil && hop.frameId == frameId))
        }
        for hop in gone.sorted(by: { $0.startTimestamp < $1.startTimestamp }) {
            hop.ended = true
            if hop.isStream {
                hop.exchange.endedAt = now
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

    func targetGone(_ sessionId: String, reason: String) {
        for hop in Array(hops.values) where hop.sessionId == sessionId && !hop.ended {
            hop.exchange.failure = Failure(errorText: reason)
            hop.ended = true
            hop.pendingFetches = 0
            if hop.isStream {
                closeStream(hop, open: false)
                drop(hop)
            } else {
                tryComplete(hop, force: true)
            }
        }
    }
}
