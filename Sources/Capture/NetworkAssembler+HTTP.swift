import Browser
import Foundation
import JSONCore
import Recording

extension NetworkAssembler {
    func requestWillBeSent(_ sessionId: String?, _ params: JSON, _ commands: inout [NetworkCommand]) {
        guard let requestId = params["requestId"]?.stringValue, let request = params["request"] else { return }
        let key = RequestKey(sessionId, requestId)
        learnClock(sessionId, timestamp: params["timestamp"]?.doubleValue, wallTime: params["wallTime"]?.doubleValue)
        let timestamp = params["timestamp"]?.doubleValue ?? 0
        var redirectedFrom: String?
        if let redirect = params["redirectResponse"] {
            if let previous = live[key] {
                previous.exchange.response = response(from: redirect, hop: previous)
                previous.expectsExtraInfo = params["redirectHasExtraInfo"]?.boolValue ?? false
                previous.endTimestamp = timestamp
                previous.timing = redirect["timing"]
                previous.ended = true
                live[key] = nil
                redirectedFrom = previous.exchange.id
            } else if ignored.contains(key) {
                hopCounts[key, default: 0] += 1
            }
        }
        let url = (request["url"]?.stringValue ?? "") + (request["urlFragment"]?.stringValue ?? "")
        // data: URLs never touch the network and can be megabytes long (inline images).
        guard !url.hasPrefix("data:"), filter.admits(url) else {
            ignored.insert(key)
            if let redirectedFrom, let previous = hops[redirectedFrom] { tryComplete(previous) }
            return
        }
        ignored.remove(key)
        let resourceType = params["type"]?.stringValue
        let startedAt = params["wallTime"]?.doubleValue ?? epoch(sessionId, timestamp)
        var exchange = Exchange(
            id: makeID(), method: request["method"]?.stringValue ?? "GET", url: url, resourceType: resourceType,
            isStaticAsset: Self.isStaticAsset(resourceType: resourceType, url: url),
            target: targetInfo(sessionId, frameId: params["frameId"]?.stringValue),
            startedAt: startedAt,
            request: Request(headers: Self.headers(request["headers"])),
            initiator: initiator(params["initiator"]), redirectedFrom: redirectedFrom, provenance: provenance(at: startedAt, sessionId: sessionId))
        if let redirectedFrom, let previous = hops[redirectedFrom] {
            previous.exchange.redirectedTo = exchange.id
            tryComplete(previous)
        }
        let contentType = exchange.request.headers.value(of: "Content-Type")
        if let body = inlineRequestBody(request, exchangeID: exchange.id, contentType: contentType) {
            exchange.request.body = body
        }
        let hop = newHop(key: key, exchange: exchange, startTimestamp: timestamp)
        hop.loaderId = params["loaderId"]?.stringValue
        hop.frameId = params["frameId"]?.stringValue
        if exchange.request.body == nil, request["hasPostData"]?.boolValue == true {
            hop.pendingFetches += 1
            commands.append(.fetchRequestPostData(exchangeID: exchange.id, sessionId: sessionId, requestId: requestId, contentType: contentType))
        }
    }

    func inlineRequestBody(_ request: JSON, exchangeID: String, contentType: String?) -> Body? {
        if let entries = request["postDataEntries"]?.arrayValue, !entries.isEmpty {
            var bytes: [UInt8] = []
            var complete = true
            for entry in entries {
                guard let chunk = entry["bytes"]?.stringValue, let data = Data(base64Encoded: chunk) else {
                    complete = false
                    continue
                }
                bytes.append(contentsOf: data)
            }
            if complete || request["postData"] == nil { return requestBody(bytes: bytes, exchangeID: exchangeID, contentType: contentType) }
        }
        if let text = request["postData"]?.stringValue {
            return requestBody(bytes: Array(text.utf8), exchangeID: exchangeID, contentType: contentType)
        }
        return nil
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

    func response(from json: JSON, hop: Hop) -> Response {
        Response(
            status: json["status"]?.intValue ?? 0, statusText: json["statusText"]?.stringValue ?? "",
            httpVersion: json["protocol"]?.stringValue, headers: Self.headers(json["headers"]),
            mimeType: json["mimeType"]?.stringValue,
            fromDiskCache: (json["fromDiskCache"]?.boolValue ?? false) || hop.servedFromCache,
            fromServiceWorker: json["fromServiceWorker"]?.boolValue ?? false,
            fromPrefetchCache: json["fromPrefetchCache"]?.boolValue ?? false,
            remoteAddress: json["remoteIPAddress"]?.stringValue.map { address in
                json["remotePort"]?.intValue.map { "\(address):\($0)" } ?? address
            })
    }

    func requestExtraInfo(_ sessionId: String?, _ params: JSON) {
        guard let requestId = params["requestId"]?.stringValue else { return }
        let key = RequestKey(sessionId, requestId)
        if ignored.contains(key) { return }
        extras[key, default: ExtraInfoQueue(lastTouched: now())].requests.append(Self.headers(params["headers"]))
        extras[key]?.lastTouched = now()
        extraInfoArrived(key)
    }

    func responseExtraInfo(_ sessionId: String?, _ params: JSON) {
        guard let requestId = params["requestId"]?.stringValue else { return }
        let key = RequestKey(sessionId, requestId)
        if ignored.contains(key) { return }
        extras[key, default: ExtraInfoQueue(lastTouched: now())].responses.append(
            ResponseExtra(headers: Self.headers(params["headers"]), statusCode: params["statusCode"]?.intValue))
        extras[key]?.lastTouched = now()
        extraInfoArrived(key)
    }

    /// Parked hops of this request may now be complete; an open stream rewrites its record with the wire headers.
    func extraInfoArrived(_ key: RequestKey) {
        guard openHops[key] != nil else { return }
        for id in parked {
            if let hop = hops[id], hop.key == key { tryComplete(hop) }
        }
        if let hop = live[key], hop.isStream, hop.opened {
            let before = (hop.exchange.request.headersFromWire, hop.exchange.response?.headersFromWire)
            applyExtras(hop)
            if before != (hop.exchange.request.headersFromWire, hop.exchange.response?.headersFromWire) { output.exchange(hop.exchange) }
        }
    }

    func responseReceived(_ sessionId: String?, _ params: JSON, _ commands: inout [NetworkCommand]) {
        guard let requestId = params["requestId"]?.stringValue, let hop = live[RequestKey(sessionId, requestId)],
              let json = params["response"], hop.exchange.kind == .http else { return }
        hop.exchange.response = response(from: json, hop: hop)
        hop.timing = json["timing"]
        hop.expectsExtraInfo = params["hasExtraInfo"]?.boolValue ?? false
        if let type = params["type"]?.stringValue { hop.exchange.resourceType = type }
        let framing = StreamFraming(mimeType: json["mimeType"]?.stringValue ?? hop.exchange.response?.headers.value(of: "Content-Type"))
        let isEventSource = hop.exchange.resourceType == "EventSource"
        guard framing != nil || isEventSource else { return }
        hop.exchange.kind = .stream
        hop.exchange.streamOpen = true
        hop.framing = framing
        applyExtras(hop)
        hop.opened = true
        output.exchange(hop.exchange)
        if !isEventSource {
            hop.awaitingBufferedData = true
            hop.pendingFetches += 1
            commands.append(.streamResourceContent(exchangeID: hop.exchange.id, sessionId: sessionId, requestId: requestId))
        }
    }

    func loadingFinished(_ sessionId: String?, _ params: JSON, _ commands: inout [NetworkCommand]) {
        guard let requestId = params["requestId"]?.stringValue, let hop = live[RequestKey(sessionId, requestId)] else {
            if let requestId = params["requestId"]?.stringValue { ignored.remove(RequestKey(sessionId, requestId)) }
            return
        }
        hop.endTimestamp = params["timestamp"]?.doubleValue
        hop.ended = true
        if hop.exchange.kind == .websocket { return }
        if !hop.isStream, let response = hop.exchange.response, ResponseEnd.hasBody(status: response.status, method: hop.exchange.method) {
            hop.pendingFetches += 1
            commands.append(.fetchResponseBody(exchangeID: hop.exchange.id, sessionId: sessionId, requestId: requestId, mimeType: response.mimeType))
        }
        tryComplete(hop)
    }


    func loadingFailed(_ sessionId: String?, _ params: JSON) {
        guard let requestId = params["requestId"]?.stringValue else { return }
        let key = RequestKey(sessionId, requestId)
        guard let hop = live[key] else {
            ignored.remove(key)
            return
        }
        let errorText = params["errorText"]?.stringValue ?? "failed"
        if hop.exchange.kind == .http, ResponseEnd.isCompleteDespiteFailure(status: hop.exchange.response?.status, method: hop.exchange.method, errorText: errorText) {
            hop.endTimestamp = params["timestamp"]?.doubleValue
            hop.ended = true
            tryComplete(hop)
            return
        }
        hop.exchange.failure = Failure(
            errorText: errorText, canceled: params["canceled"]?.boolValue ?? false,
            blockedReason: params["blockedReason"]?.stringValue ?? params["corsErrorStatus"]?["corsError"]?.stringValue)
        hop.endTimestamp = params["timestamp"]?.doubleValue
        hop.ended = true
        if hop.exchange.kind == .websocket {
            hop.exchange.endedAt = epoch(sessionId, hop.endTimestamp)
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
