import Foundation
import JSONCore

extension NetworkTracker {
    /// The reply to `Network.streamResourceContent` (or the whole body, when the stream ended before
    /// streaming could be switched on): split before the chunks that came in the meantime. A stream
    /// that ended while it was awaited ends after it.
    public mutating func streamContentArrived(sessionId: String?, requestId: String, bytes: [UInt8]?, error: String?) -> [NetworkEvent] {
        let key = Key(sessionId, requestId)
        guard var hop = live[key], hop.awaitingBufferedData else { return [] }
        var events: [NetworkEvent] = []
        if let bytes, !bytes.isEmpty { feed(&hop, bytes, timestamp: hop.queuedChunks.first?.timestamp ?? hop.request.timestamp, &events) }
        hop.awaitingBufferedData = false
        for chunk in hop.queuedChunks { feed(&hop, chunk.bytes, timestamp: chunk.timestamp, &events) }
        hop.queuedChunks.removeAll()
        if let error, bytes == nil { events.append(.streamUnavailable(hop.request, reason: error)) }
        live[key] = hop
        // A stream that ended before its buffered bytes came ends now, after them.
        switch hop.pendingEnd {
        case .finished(let timestamp): loadingFinished(key, timestamp: timestamp, &events)
        case .failed(let params): loadingFailed(key, params, &events)
        case nil: break
        }
        return events
    }

    mutating func dataReceived(_ key: Key, _ params: JSON, _ events: inout [NetworkEvent]) {
        guard var hop = live[key], hop.framing != nil, let encoded = params["data"]?.stringValue, !encoded.isEmpty,
            let data = Data(base64Encoded: encoded)
        else { return }
        let timestamp = params["timestamp"]?.doubleValue
        if hop.awaitingBufferedData {
            hop.queuedChunks.append(([UInt8](data), timestamp))
        } else {
            feed(&hop, [UInt8](data), timestamp: timestamp, &events)
        }
        live[key] = hop
    }

    func feed(_ hop: inout Hop, _ bytes: [UInt8], timestamp: Double?, _ events: inout [NetworkEvent]) {
        switch hop.framing {
        case .serverSentEvents:
            for event in hop.sse.feed(bytes) {
                events.append(.streamMessage(hop.request, NetworkStreamMessage(event: event.event, eventId: event.id, data: event.data, timestamp: timestamp)))
            }
        case .ndjson:
            for line in hop.ndjson.feed(bytes) {
                events.append(.streamMessage(hop.request, NetworkStreamMessage(data: line, timestamp: timestamp)))
            }
        case nil: break
        }
    }

    /// At the end of a stream: what was queued is split, and when it finished a last NDJSON line without
    /// its newline counts.
    func flush(_ hop: inout Hop, finishedAt: Double?, finished: Bool, _ events: inout [NetworkEvent]) {
        if hop.awaitingBufferedData {
            for chunk in hop.queuedChunks { feed(&hop, chunk.bytes, timestamp: chunk.timestamp, &events) }
            hop.queuedChunks.removeAll()
            hop.awaitingBufferedData = false
        }
        if finished, hop.framing == .ndjson {
            for line in hop.ndjson.finish() {
                events.append(.streamMessage(hop.request, NetworkStreamMessage(data: line, timestamp: finishedAt ?? hop.request.timestamp)))
            }
        }
    }

    mutating func eventSourceMessage(_ key: Key, _ params: JSON, _ events: inout [NetworkEvent]) {
        guard let hop = live[key] else { return }
        let name = params["eventName"]?.stringValue ?? ""
        let id = params["eventId"]?.stringValue ?? ""
        events.append(.streamMessage(hop.request, NetworkStreamMessage(
            event: name.isEmpty ? "message" : name, eventId: id.isEmpty ? nil : id, data: params["data"]?.stringValue ?? "",
            timestamp: params["timestamp"]?.doubleValue)))
    }
}
