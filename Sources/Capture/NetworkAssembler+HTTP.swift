import Browser
import Foundation
import JSONCore
import Recording

extension NetworkAssembler {
    func requestStarted(_ request: NetworkRequest, _ commands: inout [NetworkCommand]) {
        learnClock(request.sessionId, timestamp: request.timestamp, wallTime: request.wallTime)
        let timestamp = request.timestamp ?? 0
        // The hop it redirected from stays reachable by its id until written: its wire headers may come later.
        let previous = request.redirectedFrom.flatMap { live[$0] }
        let url = request.url
        // data: URLs never touch the network and can be megabytes long (inline images).
        guard !url.hasPrefix("data:"), filter.admits(url) else {
            if let previous { tryComplete(previous) }
            return
        }
        let resourceType = request.resourceType
        let startedAt = request.wallTime ?? epoch(request.sessionId, timestamp)
        var exchange = Exchange(
            id: makeID(), method: request.method, url: url, resourceType: resourceType,
            isStaticAsset: Self.isStaticAsset(resourceType: resourceType, url: url),
            target: targetInfo(request.sessionId, frameId: request.frameId),
            startedAt: startedAt,
            request: Request(headers: Self.headers(request.headers), headersFromWire: request.headersFromWire),
            initiator: initiator(request.initiator), redirectedFrom: previous?.exchange.id,
            provenance: provenance(at: startedAt, sessionId: request.sessionId))
        if let previous {
            previous.exchange.redirectedTo = exchange.id
            tryComplete(previous)
        }
        let contentType = exchange.request.headers.value(of: "Content-Type")
        if let bytes = request.postData {
            exchange.request.body = requestBody(bytes: bytes, exchangeID: exchange.id, contentType: contentType)
        }
        let hop = newHop(trackerID: request.id, sessionId: request.sessionId, requestId: request.requestId, exchange: exchange, startTimestamp: timestamp)
        hop.loaderId = request.loaderId
        hop.frameId = request.frameId
        if exchange.request.body == nil, request.hasPostData {
            hop.pendingFetches += 1
            commands.append(.fetchRequestPostData(
                exchangeID: exchange.id, sessionId: request.sessionId, requestId: request.requestId, contentType: contentType))
        }
    }

    /// The hop ended with a redirect: it is written once the next hop is linked to it (or filtered out).
    func redirected(_ request: NetworkRequest, _ response: NetworkResponse) {
        guard let hop = live[request.id] else { return }
        apply(response, to: hop)
        hop.endTimestamp = request.endTimestamp
        hop.ended = true
    }

    func requestBody(bytes: [UInt8], exchangeID: String, contentType: String?) -> Body {
        if let contentType, let boundary = MultipartParser.boundary(fromContentType: contentType),
           let parts = MultipartParser.parse(bytes, boundary: boundary, keepFileBytes: keepUploadedFileBytes) {
            return Body(size: bytes.count, mimeType: contentType, multipart: parts)
        }
        do {
            return try bodies.body(exchangeID: exchangeID, role: "request", bytes: bytes, mimeType: contentType)
        } catch {
            return Body(size: bytes.count, mimeType: contentType, unavailableReason: "could not spool the body: \(error)")
        }
    }

    static func response(_ response: NetworkResponse) -> Response {
        Response(
            status: response.status, statusText: response.statusText, httpVersion: response.httpVersion,
            headers: headers(response.headers), headersFromWire: response.headersFromWire, mimeType: response.mimeType,
            fromDiskCache: response.fromDiskCache, fromServiceWorker: response.fromServiceWorker, fromPrefetchCache: response.fromPrefetchCache,
            remoteAddress: response.remoteAddress)
    }

    func apply(_ response: NetworkResponse, to hop: Hop) {
        hop.exchange.response = Self.response(response)
        hop.timing = response.timing
        hop.expectsExtraInfo = response.hasExtraInfo
    }

    func responseReceived(_ request: NetworkRequest, _ response: NetworkResponse) {
        guard let hop = live[request.id], hop.exchange.kind == .http else { return }
        apply(response, to: hop)
        if let type = response.resourceType { hop.exchange.resourceType = type }
        let framing = StreamFraming(mimeType: response.mimeType ?? hop.exchange.response?.headers.value(of: "Content-Type"))
        let isEventSource = hop.exchange.resourceType == "EventSource"
        guard framing != nil || isEventSource else { return }
        // Its messages come split from the browser's network (which asked for the stream's bytes).
        hop.exchange.kind = .stream
        hop.exchange.streamOpen = true
        hop.opened = true
        output.exchange(hop.exchange)
    }

    func loadingFinished(_ request: NetworkRequest, _ response: NetworkResponse?, _ commands: inout [NetworkCommand]) {
        guard let hop = live[request.id] else { return }
        hop.endTimestamp = request.endTimestamp
        hop.ended = true
        if hop.exchange.kind == .websocket { return }
        if !hop.isStream, let response = hop.exchange.response, ResponseEnd.hasBody(status: response.status, method: hop.exchange.method) {
            hop.pendingFetches += 1
            commands.append(.fetchResponseBody(
                exchangeID: hop.exchange.id, sessionId: request.sessionId, requestId: request.requestId, mimeType: response.mimeType))
        }
        tryComplete(hop)
    }

    func loadingFailed(_ request: NetworkRequest, _ response: NetworkResponse?, _ failure: NetworkFailure) {
        guard let hop = live[request.id] else { return }
        let errorText = failure.errorText
        if hop.exchange.kind == .http, ResponseEnd.isCompleteDespiteFailure(status: hop.exchange.response?.status, method: hop.exchange.method, errorText: errorText) {
            hop.endTimestamp = request.endTimestamp
            hop.ended = true
            tryComplete(hop)
            return
        }
        if hop.exchange.response == nil, let response, response.headersFromWire {
            // The server answered but the page never saw it (a CORS block, a cancel after the headers).
            hop.exchange.response = Response(status: response.status, headers: Self.headers(response.headers), headersFromWire: true)
        }
        hop.exchange.failure = Failure(errorText: errorText, canceled: failure.canceled, blockedReason: failure.blockedReason)
        hop.endTimestamp = request.endTimestamp
        hop.ended = true
        if hop.exchange.kind == .websocket {
            hop.exchange.endedAt = epoch(request.sessionId, hop.endTimestamp)
            closeStream(hop, open: false)
            drop(hop)
            return
        }
        tryComplete(hop)
    }

    // MARK: results of commands

    public func responseBodyArrived(exchangeID: String, body: Body) {
        guard let hop = hops[exchangeID] else { return }
        hop.exchange.response?.body = body
        hop.pendingFetches -= 1
        tryComplete(hop)
    }

    public func postDataArrived(exchangeID: String, bytes: [UInt8]?, error: String?) {
        guard let hop = hops[exchangeID] else { return }
        if let bytes {
            hop.exchange.request.body = requestBody(bytes: bytes, exchangeID: exchangeID, contentType: hop.exchange.request.headers.value(of: "Content-Type"))
        } else {
            hop.exchange.request.body = Body(size: 0, unavailableReason: error ?? "no post data")
        }
        hop.pendingFetches -= 1
        tryComplete(hop)
    }
}
