/// One hop of a request as the browser reported it: a redirect starts a new hop under the same
/// DevTools `requestId`, with `redirectedFrom` naming the hop before it.
public struct NetworkRequest: Sendable, Hashable {
    /// Unique for the tracker's lifetime (`r1`, `r2`...): one per hop.
    public let id: String
    public let sessionId: String?
    public let requestId: String
    /// The hop's position under its `requestId` (0 for the first request, 1 after one redirect...).
    public let hop: Int
    public var method: String
    public var url: String
    public var resourceType: String?
    public var headers: [String: String]
    /// The headers as sent on the wire (`requestWillBeSentExtraInfo`), not as the page asked for them.
    public var headersFromWire: Bool
    public var frameId: String?
    public var loaderId: String?
    public var redirectedFrom: String?
    /// DevTools' monotonic clock, in seconds.
    public var timestamp: Double?
    public var wallTime: Double?
}

public struct NetworkResponse: Sendable, Hashable {
    public var url: String
    public var status: Int
    public var statusText: String
    public var mimeType: String?
    public var headers: [String: String]
    /// The headers as received on the wire (`responseReceivedExtraInfo`).
    public var headersFromWire: Bool
    public var resourceType: String?
}

public struct NetworkFailure: Sendable, Hashable {
    public var errorText: String
    /// The page itself stopped the request (an aborted fetch, a cancelled reader).
    public var canceled: Bool
    public var blockedReason: String?
}

/// A message of a stream read while it is open: an EventSource or `fetch()`-read server-sent event
/// (`event` set), or a line of newline-delimited JSON (`event` nil).
public struct NetworkStreamMessage: Sendable, Hashable {
    public var event: String?
    public var eventId: String?
    public var data: String
    public var timestamp: Double?
}

public struct NetworkWebSocket: Sendable, Hashable {
    public let id: String
    public let sessionId: String?
    public let requestId: String
    public let url: String
}

public struct NetworkWebSocketFrame: Sendable, Hashable {
    public enum Direction: String, Sendable { case sent, received }
    public var direction: Direction
    public var opcode: Int
    /// Text, or base64 for a binary frame (opcode 2), as DevTools reports it.
    public var payload: String
    public var timestamp: Double?
}

public struct NetworkDownload: Sendable, Hashable {
    public let guid: String
    public let url: String
    public let suggestedFilename: String
    public let frameId: String?
}

/// What the browser's network did, in the order it happened, typed: what every consumer (the flow
/// runner's conditions, tests) reads instead of raw DevTools events.
public enum NetworkEvent: Sendable, Hashable {
    case request(NetworkRequest)
    /// The hop ended with a redirect; the next hop's `.request` follows.
    case redirect(NetworkRequest, NetworkResponse)
    case response(NetworkRequest, NetworkResponse)
    /// `...ExtraInfo` that arrived after the event it belongs to: the wire headers of a hop already reported.
    case wireHeaders(NetworkRequest, request: [String: String]?, response: [String: String]?, status: Int?)
    case finished(NetworkRequest, NetworkResponse?)
    case failed(NetworkRequest, NetworkResponse?, NetworkFailure)
    case streamMessage(NetworkRequest, NetworkStreamMessage)
    /// Streaming a `fetch()`-read stream's bytes could not be switched on.
    case streamUnavailable(NetworkRequest, reason: String)
    case webSocketCreated(NetworkWebSocket)
    case webSocketFrame(NetworkWebSocket, NetworkWebSocketFrame)
    case webSocketClosed(NetworkWebSocket)
    case downloadBegin(NetworkDownload)
    /// `state` is DevTools' own: inProgress, completed or canceled.
    case downloadProgress(guid: String, state: String, receivedBytes: Int?, totalBytes: Int?)

    /// The DevTools session the event came from (nil for browser-level events and the root session).
    public var sessionId: String? {
        switch self {
        case .request(let request), .redirect(let request, _), .response(let request, _), .wireHeaders(let request, _, _, _),
            .finished(let request, _), .failed(let request, _, _), .streamMessage(let request, _), .streamUnavailable(let request, _):
            request.sessionId
        case .webSocketCreated(let socket), .webSocketFrame(let socket, _), .webSocketClosed(let socket): socket.sessionId
        case .downloadBegin, .downloadProgress: nil
        }
    }
}

/// Work the tracker needs done against the browser; its result comes back through
/// `NetworkTracker.streamContentArrived`.
public enum NetworkTrackerCommand: Sendable, Hashable {
    /// `Network.streamResourceContent`: a `fetch()`-read stream's bytes then arrive in `dataReceived`.
    case streamResourceContent(sessionId: String?, requestId: String)
}
