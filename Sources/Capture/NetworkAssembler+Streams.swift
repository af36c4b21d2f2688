import Browser
import Foundation
import JSONCore
import Recording

extension NetworkAssembler {
    // MARK: fetch-read streams (SSE, NDJSON) and EventSource

    func dataReceived(_ sessionId: String?, _ params: JSON) {
        guard let requestId = params["requestId"]?.stringValue, let hop = live[RequestKey(sessionId, requestId)], hop.isStream,
              hop.framing != nil, let encoded = params["data"]?.stringValue, let data = Data(base64Encoded: encoded) else { return }
        let timestamp = params["timestamp"]?.doubleValue ?? 0
        if hop.awaitingBufferedData {
            hop.queuedChunks.append((timestamp, [UInt8](data)))
        } else {
            feed(hop, [UInt8](data), timestamp: timestamp)
        }
    }

    /// The reply to `Network.streamResourceContent`: what arrived before streaming was switched on, to
    /// be split before the chunks that came in the meantime.
    public func bufferedStreamDataArrived(exchangeID: String, bytes: [UInt8]?, error: String?) {
        guard let hop = hops[exchangeID] else { return }
        let timestamp = hop.queuedChunks.first?.timestamp ?? hop.startTimestamp
        if let bytes, !bytes.isEmpty { feed(hop, bytes, timestamp: timestamp) }
        hop.awaitingBufferedData = false
        for chunk in hop.queuedChunks { feed(hop, chunk.bytes, timestamp: chunk.timestamp) }
        hop.queuedChunks.removeAll()
        if let error, hop.exchange.failure == nil, !hop.ended {
            hop.exchange.response?.body = Body(size: 0, unavailableReason: "streaming could not be switched on: \(error)")
        }
        hop.pendingFetches -= 1
        tryComplete(hop)
    }

    func feed(_ hop: Hop, _ bytes: [UInt8], timestamp: Double) {
        let time = epoch(hop.key.sessionId, timestamp)
        switch hop.framing {
        case .serverSentEvents:
            for event in hop.sse.feed(bytes) {
                output.message(hop.exchange.id, StreamMessage(direction: .received, time: time, event: event.event, eventId: event.id, data: event.data))
            }
        case .ndjson:
            for line in hop.ndjson.feed(bytes) {
                output.message(hop.exchange.id, StreamMessage(direction: .received, time: time, data: line))
            }
        case nil: break
        }
    }

    /// At the end of a stream: a last NDJSON line without its newline still counts.
    func flushStream(_ hop: Hop, final: Bool) {
        if hop.awaitingBufferedData {
            for chunk in hop.queuedChunks { feed(hop, chunk.bytes, timestamp: chunk.timestamp) }
            hop.queuedChunks.removeAll()
            hop.awaitingBufferedData = false
        }
        if hop.framing == .ndjson, final || hop.ended {
            let time = epoch(hop.key.sessionId, hop.endTimestamp)
            for line in hop.ndjson.finish() { output.message(hop.exchange.id, StreamMessage(direction: .received, time: time, data: line)) }
        }
    }

    /// Rewrites the stream's exchange record (headers, failure, timings; its messages are already
    /// written) and its end.
    func closeStream(_ hop: Hop, open: Bool) {
        if !open { flushStream(hop, final: true) }
        hop.opened = true
        hop.exchange.streamOpen = open
        let time = open ? Date().timeIntervalSince1970 : (hop.exchange.endedAt ?? epoch(hop.key.sessionId, hop.endTimestamp))
        if !open { hop.exchange.endedAt = time }
        output.exchange(hop.exchange)
        output.streamEnd(hop.exchange.id, time: time, open: open)
    }

    func eventSourceMessage(_ sessionId: String?, _ params: JSON) {
        guard let requestId = params["requestId"]?.stringValue, let hop = live[RequestKey(sessionId, requestId)] else { return }
        if !hop.isStream {
            hop.exchange.kind = .stream
            hop.exchange.streamOpen = true
            hop.opened = true
            output.exchange(hop.exchange)
        }
        let name = params["eventName"]?.stringValue ?? ""
        let id = params["eventId"]?.stringValue ?? ""
        output.message(hop.exchange.id, StreamMessage(
            direction: .received, time: epoch(sessionId, params["timestamp"]?.doubleValue), event: name.isEmpty ? "message" : name,
            eventId: id.isEmpty ? nil : id, data: params["data"]?.stringValue ?? ""))
    }

    // MARK: WebSocket

    func webSocketCreated(_ sessionId: String?, _ params: JSON) {
        guard let requestId = params["requestId"]?.stringValue, let url = params["url"]?.stringValue else { return }
        let key = RequestKey(sessionId, requestId)
        guard filter.admits(url) else {
            ignored.insert(key)
            return
        }
        let startedAt = Date().timeIntervalSince1970
        let exchange = Exchange(
            id: makeID(), kind: .websocket, method: "GET", url: url, resourceType: "WebSocket",
            target: targetInfo(sessionId, frameId: nil), startedAt: startedAt,
            initiator: initiator(params["initiator"]), streamOpen: true, provenance: provenance(at: startedAt, sessionId: sessionId))
        _ = newHop(key: key, exchange: exchange, startTimestamp: 0)
    }

    func webSocketHandshakeRequest(_ sessionId: String?, _ params: JSON) {
        guard let requestId = params["requestId"]?.stringValue, let hop = live[RequestKey(sessionId, requestId)] else { return }
        learnClock(sessionId, timestamp: params["timestamp"]?.doubleValue, wallTime: params["wallTime"]?.doubleValue)
        if let wallTime = params["wallTime"]?.doubleValue { hop.exchange.startedAt = wallTime }
        hop.exchange.request.headers = Self.headers(params["request"]?["headers"])
        hop.exchange.request.headersFromWire = true
    }

    func webSocketHandshakeResponse(_ sessionId: String?, _ params: JSON) {
        guard let requestId = params["requestId"]?.stringValue, let hop = live[RequestKey(sessionId, requestId)],
              let json = params["response"] else { return }
        var response = response(from: json, hop: hop)
        response.headersFromWire = true
        hop.exchange.response = response
        if let requestHeaders = json["requestHeaders"]?.objectValue, !requestHeaders.isEmpty {
            hop.exchange.request.headers = Self.headers(json["requestHeaders"])
            hop.exchange.request.headersFromWire = true
        }
        openWebSocket(hop)
    }

    func openWebSocket(_ hop: Hop) {
        guard !hop.opened else { return }
        hop.opened = true
        output.exchange(hop.exchange)
    }

    func webSocketFrame(_ sessionId: String?, _ params: JSON, direction: StreamMessage.Direction) {
        guard let requestId = params["requestId"]?.stringValue, let hop = live[RequestKey(sessionId, requestId)],
              let frame = params["response"] else { return }
        openWebSocket(hop)
        let opcode = frame["opcode"]?.intValue ?? 1
        output.message(hop.exchange.id, StreamMessage(
            direction: direction, time: epoch(sessionId, params["timestamp"]?.doubleValue), opcode: opcode,
            data: frame["payloadData"]?.stringValue ?? "", base64: opcode == 2))
    }

    func webSocketFrameError(_ sessionId: String?, _ params: JSON) {
        guard let requestId = params["requestId"]?.stringValue, let hop = live[RequestKey(sessionId, requestId)] else { return }
        hop.exchange.failure = Failure(errorText: params["errorMessage"]?.stringValue ?? "WebSocket frame error")
    }

    func webSocketClosed(_ sessionId: String?, _ params: JSON) {
        guard let requestId = params["requestId"]?.stringValue else { return }
        let key = RequestKey(sessionId, requestId)
        ignored.remove(key)
        guard let hop = live[key] else { return }
        if hop.exchange.response == nil, hop.exchange.failure == nil {
            hop.exchange.failure = Failure(errorText: "WebSocket closed before the handshake completed")
        }
        hop.endTimestamp = params["timestamp"]?.doubleValue
        hop.exchange.endedAt = epoch(sessionId, hop.endTimestamp)
        hop.ended = true
        closeStream(hop, open: false)
        drop(hop)
    }
}
