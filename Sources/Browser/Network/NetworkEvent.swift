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
    /// What started the request (a script's first stack frame, the parser...).
    public var initiator: NetworkInitiator? = nil
    /// The request body when the browser sent it with the event (`postDataEntries`, else `postData`);
    /// nil with `hasPostData` set when it is only to be had with `Network.getRequestPostData`.
    public var postData: [UInt8]? = nil
    public var hasPostData: Bool = false
    /// When the hop ended (redirected, finished or failed), on the monotonic clock.
    public var endTimestamp: Double? = nil
}

public struct NetworkInitiator: Sendable, Hashable {
    /// DevTools' own: parser, script, preload, other...
    public var type: String
    public var url: String?
    public var lineNumber: Int?
}

/// `Response.timing`: `requestTime` on the monotonic clock in seconds, the rest milliseconds after it
/// (-1 when the phase did not happen).
public struct NetworkTiming: Sendable, Hashable {
    public var requestTime: Double
    public var dnsStart = -1.0, dnsEnd = -1.0, connectStart = -1.0, connectEnd = -1.0, sslStart = -1.0, sslEnd = -1.0
    public var sendStart = -1.0, sendEnd = -1.0, receiveHeadersEnd = -1.0
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
    /// `protocol`: http/1.1, h2, h3...
    public var httpVersion: String? = nil
    /// `remoteIPAddress:remotePort`.
    public var remoteAddress: String? = nil
    /// From the disk cache (`fromDiskCache`, or `Network.requestServedFromCache` came first).
    public var fromDiskCache: Bool = false
    public var fromServiceWorker: Bool = false
    public var fromPrefetchCache: Bool = false
    public var timing: NetworkTiming? = nil
    /// Wire headers (`responseReceivedExtraInfo`) are to come for this response (`hasExtraInfo`,
    /// `redirectHasExtraInfo`): a consumer that wants them waits for `.wireHeaders`.
    public var hasExtraInfo: Bool = false
}

public struct NetworkFailure: Sendable, Hashable {
    public var errorText: String
    /// The page itself stopped the request (an aborted fetch, a cancelled reader).
    public var canceled: Bool
    public var blockedReason: String?
    public var timestamp: Double? = nil
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
    public var initiator: NetworkInitiator? = nil
}

/// The opening handshake of a WebSocket as sent and received on the wire.
public struct NetworkWebSocketHandshake: Sendable, Hashable {
    /// The request's headers (`webSocketWillSendHandshakeRequest`, or the response's `requestHeaders`).
    public var requestHeaders: [String: String]?
    /// Nil until the response came (`webSocketHandshakeResponseReceived`).
    public var response: NetworkResponse?
    public var timestamp: Double?
    public var wallTime: Double?
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
    /// The handshake request was sent (`response` nil) or its response came.
    case webSocketHandshake(NetworkWebSocket, NetworkWebSocketHandshake)
    case webSocketFrame(NetworkWebSocket, NetworkWebSocketFrame)
    case webSocketFrameError(NetworkWebSocket, message: String, timestamp: Double?)
    case webSocketClosed(NetworkWebSocket, timestamp: Double?)
    case downloadBegin(NetworkDownload)
    /// `state` is DevTools' own: inProgress, completed or canceled.
    case downloadProgress(guid: String, state: String, receivedBytes: Int?, totalBytes: Int?)
    /// A frame committed a new document (`Page.frameNavigated`): Chromium ends nothing the old document
    /// still had open, so a consumer that tracks open requests ends those of other loaders here.
    case documentCommitted(sessionId: String?, frameId: String, loaderId: String, isMainFrame: Bool)
    /// The target's renderer crashed (`crashed`) or the target was detached (its page closed): none
    /// of its open requests will end. The tracker forgets them.
    case targetGone(sessionId: String, crashed: Bool)

    /// The DevTools session the event came from (nil for browser-level events and the root session).
    public var sessionId: String? {
        switch self {
        case .request(let request), .redirect(let request, _), .response(let request, _), .wireHeaders(let request, _, _, _),
            .finished(let request, _), .failed(let request, _, _), .streamMessage(let request, _), .streamUnavailable(let request, _):
            request.sessionId
        case .webSocketCreated(let socket), .webSocketHandshake(let socket, _), .webSocketFrame(let socket, _),
            .webSocketFrameError(let socket, _, _), .webSocketClosed(let socket, _):
            socket.sessionId
        case .downloadBegin, .downloadProgress: nil
        case .documentCommitted(let sessionId, _, _, _): sessionId
        case .targetGone(let sessionId, _): sessionId
        }
    }
}

/// Work the tracker needs done against the browser; its result comes back through
/// `NetworkTracker.streamContentArrived`.
public enum NetworkTrackerCommand: Sendable, Hashable {
    /// `Network.streamResourceContent`: a `fetch()`-read stream's bytes then arrive in `dataReceived`.
    case streamResourceContent(sessionId: String?, requestId: String)
}
