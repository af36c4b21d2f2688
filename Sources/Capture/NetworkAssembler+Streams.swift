import Browser
import Foundation
import Recording

extension NetworkAssembler {
    // MARK: fetch-read streams (SSE, NDJSON) and EventSource

    /// A message of an open stream, split by the browser's network; an EventSource's first message makes
    /// its exchange a stream if its response did not.
    func streamMessage(_ request: NetworkRequest, _ message: NetworkStreamMessage) {
        guard let hop = live[request.id] else { return }
        if !hop.isStream {
            hop.exchange.kind = .stream
            hop.exchange.streamOpen = true
            hop.opened = true
            output.exchange(hop.exchange)
        }
        output.message(hop.exchange.id, StreamMessage(
            direction: .received, time: epoch(hop.sessionId, message.timestamp), event: message.event, eventId: message.eventId,
            data: message.data))
    }

    func streamUnavailable(_ request: NetworkRequest, reason: String) {
        guard let hop = live[request.id], hop.exchange.failure == nil, !hop.ended else { return }
        hop.exchange.response?.body = Body(size: 0, unavailableReason: "streaming could not be switched on: \(reason)")
    }

    /// Rewrites the stream's exchange record (headers, failure, timings; its messages are already
    /// written) and its end.
    func closeStream(_ hop: Hop, open: Bool) {
        hop.opened = true
        hop.exchange.streamOpen = open
        let time = open ? Date().timeIntervalSince1970 : (hop.exchange.endedAt ?? epoch(hop.sessionId, hop.endTimestamp))
        if !open { hop.exchange.endedAt = time }
        output.exchange(hop.exchange)
        output.streamEnd(hop.exchange.id, time: time, open: open)
    }

    // MARK: WebSocket

    func webSocketCreated(_ socket: NetworkWebSocket) {
        guard filter.admits(socket.url) else { return }
        let startedAt = Date().timeIntervalSince1970
        let exchange = Exchange(
            id: makeID(), kind: .websocket, method: "GET", url: socket.url, resourceType: "WebSocket",
            target: targetInfo(socket.sessionId, frameId: nil), startedAt: startedAt,
            initiator: initiator(socket.initiator), streamOpen: true, provenance: provenance(at: startedAt, sessionId: socket.sessionId))
        _ = newHop(trackerID: socket.id, sessionId: socket.sessionId, requestId: socket.requestId, exchange: exchange, startTimestamp: 0)
    }

    /// The handshake request (its wire headers and the wall clock), then its response.
    func webSocketHandshake(_ socket: NetworkWebSocket, _ handshake: NetworkWebSocketHandshake) {
        guard let hop = live[socket.id] else { return }
        if let response = handshake.response {
            var recorded = Self.response(response)
            recorded.headersFromWire = true
            hop.exchange.response = recorded
        } else {
            learnClock(socket.sessionId, timestamp: handshake.timestamp, wallTime: handshake.wallTime)
            if let wallTime = handshake.wallTime { hop.exchange.startedAt = wallTime }
        }
        if let headers = handshake.requestHeaders {
            hop.exchange.request.headers = Self.headers(headers)
            hop.exchange.request.headersFromWire = true
        }
        if handshake.response != nil { openWebSocket(hop) }
    }

    func openWebSocket(_ hop: Hop) {
        guard !hop.opened else { return }
        hop.opened = true
        output.exchange(hop.exchange)
    }

    func webSocketFrame(_ socket: NetworkWebSocket, _ frame: NetworkWebSocketFrame) {
        guard let hop = live[socket.id] else { return }
        openWebSocket(hop)
        output.message(hop.exchange.id, StreamMessage(
            direction: frame.direction == .sent ? .sent : .received, time: epoch(socket.sessionId, frame.timestamp), opcode: frame.opcode,
            data: frame.payload, base64: frame.opcode == 2))
    }

    func webSocketClosed(_ socket: NetworkWebSocket, timestamp: Double?) {
        guard let hop = live[socket.id] else { return }
        if hop.exchange.response == nil, hop.exchange.failure == nil {
            hop.exchange.failure = Failure(errorText: "WebSocket closed before the handshake completed")
        }
        hop.endTimestamp = timestamp
        hop.exchange.endedAt = epoch(socket.sessionId, hop.endTimestamp)
        hop.ended = true
        closeStream(hop, open: false)
        drop(hop)
    }
}
