import Foundation
import JSONCore

/// Turns DevTools Network events into typed `NetworkEvent`s: follows redirects as hops, pairs
/// `...ExtraInfo` events with their hop in either order, splits `fetch()`-read SSE and NDJSON streams
/// while they are open, follows WebSockets and downloads. Free of any connection: it returns the
/// commands it needs as values (`BrowserNetwork` runs them), so replayed event sequences drive it.
public struct NetworkTracker: Sendable {
    struct Key: Hashable {
        let session: String
        let requestId: String
        init(_ sessionId: String?, _ requestId: String) {
            session = sessionId ?? ""
            self.requestId = requestId
        }
    }

    enum PendingEnd {
        case finished(timestamp: Double?)
        case failed(JSON)
    }

    struct Hop {
        var request: NetworkRequest
        var response: NetworkResponse?
        var framing: StreamFraming?
        var sse = ServerSentEventParser()
        var ndjson = NDJSONSplitter()
        var awaitingBufferedData = false
        var servedFromCache = false
        /// The hop ended while its stream's buffered bytes were still being asked for: its end is reported
        /// after them (`streamContentArrived`).
        var pendingEnd: PendingEnd?
        var queuedChunks: [(bytes: [UInt8], timestamp: Double?)] = []
    }

    /// The `...ExtraInfo` of one requestId, by hop index: they may come before or after their main event.
    struct ExtraInfo {
        var requests: [[String: String]] = []
        var responses: [(headers: [String: String], status: Int?)] = []
        /// Hops reported so far, by index, with whether their response was and whether they ended.
        var hops: [(request: NetworkRequest, responded: Bool, ended: Bool)] = []
    }

    /// The methods the tracker reads: subscribe to these only.
    public static let methods: Set<String> = [
        "Network.requestWillBeSent", "Network.requestWillBeSentExtraInfo", "Network.responseReceived",
        "Network.responseReceivedExtraInfo", "Network.loadingFinished", "Network.loadingFailed", "Network.dataReceived",
        "Network.eventSourceMessageReceived", "Network.webSocketCreated", "Network.webSocketFrameSent",
        "Network.webSocketFrameReceived", "Network.webSocketClosed", "Browser.downloadWillBegin", "Browser.downloadProgress",
        "Network.requestServedFromCache", "Network.webSocketWillSendHandshakeRequest", "Network.webSocketHandshakeResponseReceived",
        "Network.webSocketFrameError", "Page.frameNavigated", "Inspector.targetCrashed", "Target.detachedFromTarget",
    ]

    var live: [Key: Hop] = [:]
    var extras: [Key: ExtraInfo] = [:]
    /// Ended requestIds, oldest first: their late `...ExtraInfo` still pairs until they are forgotten.
    var ended: [Key] = []
    var sockets: [Key: NetworkWebSocket] = [:]
    var nextID = 0

    public init() {}

    public mutating func handle(method: String, sessionId: String?, params: JSON) -> (events: [NetworkEvent], commands: [NetworkTrackerCommand]) {
        var events: [NetworkEvent] = []
        var commands: [NetworkTrackerCommand] = []
        let requestId = params["requestId"]?.stringValue ?? ""
        let key = Key(sessionId, requestId)
        switch method {
        case "Network.requestWillBeSent": requestWillBeSent(key, sessionId, params, &events)
        case "Network.requestWillBeSentExtraInfo": requestExtraInfo(key, Self.headers(params["headers"]), &events)
        case "Network.responseReceived": responseReceived(key, params, &events, &commands)
        case "Network.responseReceivedExtraInfo":
            responseExtraInfo(key, Self.headers(params["headers"]), status: params["statusCode"]?.intValue, &events)
        case "Network.loadingFinished": loadingFinished(key, timestamp: params["timestamp"]?.doubleValue, &events)
        case "Network.loadingFailed": loadingFailed(key, params, &events)
        case "Network.dataReceived": dataReceived(key, params, &events)
        case "Network.eventSourceMessageReceived": eventSourceMessage(key, params, &events)
        case "Network.requestServedFromCache": live[key]?.servedFromCache = true
        case "Network.webSocketCreated":
            let socket = NetworkWebSocket(
                id: makeID(), sessionId: sessionId, requestId: requestId, url: params["url"]?.stringValue ?? "",
                initiator: Self.initiator(params["initiator"]))
            sockets[key] = socket
            events.append(.webSocketCreated(socket))
        case "Network.webSocketWillSendHandshakeRequest":
            guard let socket = sockets[key] else { break }
            events.append(.webSocketHandshake(socket, NetworkWebSocketHandshake(
                requestHeaders: Self.headers(params["request"]?["headers"]), timestamp: params["timestamp"]?.doubleValue,
                wallTime: params["wallTime"]?.doubleValue)))
        case "Network.webSocketHandshakeResponseReceived":
            guard let socket = sockets[key], let json = params["response"] else { break }
            var response = Self.response(from: json, type: "WebSocket")
            if response.url.isEmpty { response.url = socket.url }
            response.headersFromWire = true
            let requestHeaders = json["requestHeaders"]?.objectValue?.isEmpty == false ? Self.headers(json["requestHeaders"]) : nil
            events.append(.webSocketHandshake(socket, NetworkWebSocketHandshake(
                requestHeaders: requestHeaders, response: response, timestamp: params["timestamp"]?.doubleValue)))
        case "Network.webSocketFrameError":
            guard let socket = sockets[key] else { break }
            events.append(.webSocketFrameError(
                socket, message: params["errorMessage"]?.stringValue ?? "WebSocket frame error", timestamp: params["timestamp"]?.doubleValue))
        case "Network.webSocketFrameSent", "Network.webSocketFrameReceived":
            guard let socket = sockets[key], let frame = params["response"] else { break }
            events.append(.webSocketFrame(socket, NetworkWebSocketFrame(
                direction: method == "Network.webSocketFrameSent" ? .sent : .received, opcode: frame["opcode"]?.intValue ?? 1,
                payload: frame["payloadData"]?.stringValue ?? "", timestamp: params["timestamp"]?.doubleValue)))
        case "Network.webSocketClosed":
            if let socket = sockets.removeValue(forKey: key) { events.append(.webSocketClosed(socket, timestamp: params["timestamp"]?.doubleValue)) }
        case "Browser.downloadWillBegin":
            guard let guid = params["guid"]?.stringValue else { break }
            events.append(.downloadBegin(NetworkDownload(
                guid: guid, url: params["url"]?.stringValue ?? "", suggestedFilename: params["suggestedFilename"]?.stringValue ?? "download",
                frameId: params["frameId"]?.stringValue)))
        case "Browser.downloadProgress":
            guard let guid = params["guid"]?.stringValue else { break }
            events.append(.downloadProgress(
                guid: guid, state: params["state"]?.stringValue ?? "inProgress", receivedBytes: params["receivedBytes"]?.intValue,
                totalBytes: params["totalBytes"]?.intValue))
        case "Page.frameNavigated":
            guard let frame = params["frame"], let frameId = frame["id"]?.stringValue, let loaderId = frame["loaderId"]?.stringValue else { break }
            events.append(.documentCommitted(sessionId: sessionId, frameId: frameId, loaderId: loaderId, isMainFrame: frame["parentId"] == nil))
        case "Inspector.targetCrashed":
            guard let sessionId else { break }
            forget(session: sessionId)
            events.append(.targetGone(sessionId: sessionId, crashed: true))
        case "Target.detachedFromTarget":
            guard let detached = params["sessionId"]?.stringValue else { break }
            forget(session: detached)
            events.append(.targetGone(sessionId: detached, crashed: false))
        default: break
        }
        return (events, commands)
    }

    mutating func makeID() -> String {
        nextID += 1
        return "r\(nextID)"
    }

    /// A target that is gone sends nothing more: its open requests, sockets and pairings are dropped.
    mutating func forget(session: String) {
        for key in live.keys where key.session == session { live[key] = nil }
        for key in extras.keys where key.session == session { extras[key] = nil }
        for key in sockets.keys where key.session == session { sockets[key] = nil }
        ended.removeAll { $0.session == session }
    }

    static func initiator(_ json: JSON?) -> NetworkInitiator? {
        guard let json, let type = json["type"]?.stringValue else { return nil }
        var url = json["url"]?.stringValue
        var line = json["lineNumber"]?.intValue
        if url == nil, let frame = json["stack"]?["callFrames"]?[0] {
            url = frame["url"]?.stringValue
            line = frame["lineNumber"]?.intValue
        }
        return NetworkInitiator(type: type, url: url?.isEmpty == true ? nil : url, lineNumber: line)
    }

    /// The body sent inline with `requestWillBeSent`: the bytes of `postDataEntries` when all of them
    /// came, else `postData`.
    static func postData(_ request: JSON) -> [UInt8]? {
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
            if complete || request["postData"] == nil { return bytes }
        }
        return request["postData"]?.stringValue.map { Array($0.utf8) }
    }

    static func timing(_ json: JSON?) -> NetworkTiming? {
        guard let json, let requestTime = json["requestTime"]?.doubleValue else { return nil }
        func value(_ name: String) -> Double { json[name]?.doubleValue ?? -1 }
        return NetworkTiming(
            requestTime: requestTime, dnsStart: value("dnsStart"), dnsEnd: value("dnsEnd"), connectStart: value("connectStart"),
            connectEnd: value("connectEnd"), sslStart: value("sslStart"), sslEnd: value("sslEnd"), sendStart: value("sendStart"),
            sendEnd: value("sendEnd"), receiveHeadersEnd: value("receiveHeadersEnd"))
    }

    static func response(from json: JSON, type: String?) -> NetworkResponse {
        NetworkResponse(
            url: json["url"]?.stringValue ?? "", status: json["status"]?.intValue ?? 0, statusText: json["statusText"]?.stringValue ?? "",
            mimeType: json["mimeType"]?.stringValue, headers: headers(json["headers"]), headersFromWire: false, resourceType: type,
            httpVersion: json["protocol"]?.stringValue,
            remoteAddress: json["remoteIPAddress"]?.stringValue.map { address in json["remotePort"]?.intValue.map { "\(address):\($0)" } ?? address },
            fromDiskCache: json["fromDiskCache"]?.boolValue ?? false, fromServiceWorker: json["fromServiceWorker"]?.boolValue ?? false,
            fromPrefetchCache: json["fromPrefetchCache"]?.boolValue ?? false, timing: timing(json["timing"]))
    }

    static func headers(_ json: JSON?) -> [String: String] {
        guard let members = json?.objectValue else { return [:] }
        var result: [String: String] = [:]
        for (name, value) in members {
            switch value {
            case .string(let text): result[name] = text
            case .integer(let number): result[name] = String(number)
            case .number(let number): result[name] = JSON.number(number).serialized()
            case .bool(let flag): result[name] = flag ? "true" : "false"
            default: continue
            }
        }
        return result
    }

    // MARK: requests and redirects

    mutating func requestWillBeSent(_ key: Key, _ sessionId: String?, _ params: JSON, _ events: inout [NetworkEvent]) {
        guard let json = params["request"] else { return }
        var redirectedFrom: String?
        if let redirect = params["redirectResponse"], var previous = live.removeValue(forKey: key) {
            var response = response(from: redirect, key: key, hop: previous.request.hop, type: previous.request.resourceType)
            response.hasExtraInfo = params["redirectHasExtraInfo"]?.boolValue ?? false
            response.fromDiskCache = response.fromDiskCache || previous.servedFromCache
            previous.response = response
            previous.request.endTimestamp = params["timestamp"]?.doubleValue
            markResponded(key, hop: previous.request.hop)
            markEnded(key, hop: previous.request.hop)
            redirectedFrom = previous.request.id
            events.append(.redirect(previous.request, response))
        }
        let hop = extras[key]?.hops.count ?? 0
        var request = NetworkRequest(
            id: makeID(), sessionId: sessionId, requestId: key.requestId, hop: hop, method: json["method"]?.stringValue ?? "GET",
            url: (json["url"]?.stringValue ?? "") + (json["urlFragment"]?.stringValue ?? ""), resourceType: params["type"]?.stringValue,
            headers: Self.headers(json["headers"]), headersFromWire: false, frameId: params["frameId"]?.stringValue,
            loaderId: params["loaderId"]?.stringValue, redirectedFrom: redirectedFrom, timestamp: params["timestamp"]?.doubleValue,
            wallTime: params["wallTime"]?.doubleValue, initiator: Self.initiator(params["initiator"]), postData: Self.postData(json),
            hasPostData: json["hasPostData"]?.boolValue ?? false)
        if let wire = extras[key]?.requests, hop < wire.count {
            request.headers = wire[hop]
            request.headersFromWire = true
        }
        extras[key, default: ExtraInfo()].hops.append((request, false, false))
        live[key] = Hop(request: request)
        events.append(.request(request))
    }

    func response(from json: JSON, key: Key, hop: Int, type: String?) -> NetworkResponse {
        var response = Self.response(from: json, type: type)
        if let wire = extras[key]?.responses, hop < wire.count {
            response.headers = wire[hop].headers
            response.headersFromWire = true
        }
        return response
    }

    mutating func markResponded(_ key: Key, hop: Int) {
        guard let count = extras[key]?.hops.count, hop < count else { return }
        extras[key]?.hops[hop].responded = true
    }

    mutating func markEnded(_ key: Key, hop: Int) {
        guard let count = extras[key]?.hops.count, hop < count else { return }
        extras[key]?.hops[hop].ended = true
    }

    mutating func requestExtraInfo(_ key: Key, _ headers: [String: String], _ events: inout [NetworkEvent]) {
        extras[key, default: ExtraInfo()].requests.append(headers)
        let index = extras[key]!.requests.count - 1
        guard let hops = extras[key]?.hops, index < hops.count else { return }
        if live[key]?.request.hop == index {
            live[key]?.request.headers = headers
            live[key]?.request.headersFromWire = true
        }
        events.append(.wireHeaders(hops[index].request, request: headers, response: nil, status: nil))
    }

    mutating func responseExtraInfo(_ key: Key, _ headers: [String: String], status: Int?, _ events: inout [NetworkEvent]) {
        extras[key, default: ExtraInfo()].responses.append((headers, status))
        let index = extras[key]!.responses.count - 1
        // A hop that ended without a response (a CORS block, a cancel after the headers) still gets what the wire said.
        guard let hops = extras[key]?.hops, index < hops.count, hops[index].responded || hops[index].ended else { return }
        if live[key]?.request.hop == index {
            live[key]?.response?.headers = headers
            live[key]?.response?.headersFromWire = true
        }
        events.append(.wireHeaders(hops[index].request, request: nil, response: headers, status: status))
    }

    mutating func responseReceived(_ key: Key, _ params: JSON, _ events: inout [NetworkEvent], _ commands: inout [NetworkTrackerCommand]) {
        guard var hop = live[key], let json = params["response"] else { return }
        let type = params["type"]?.stringValue ?? hop.request.resourceType
        hop.request.resourceType = type
        var response = response(from: json, key: key, hop: hop.request.hop, type: type)
        response.hasExtraInfo = params["hasExtraInfo"]?.boolValue ?? false
        response.fromDiskCache = response.fromDiskCache || hop.servedFromCache
        hop.response = response
        markResponded(key, hop: hop.request.hop)
        events.append(.response(hop.request, response))
        // An EventSource's messages come as events of their own; a `fetch()`-read stream's bytes only once asked for.
        if type != "EventSource", let framing = StreamFraming(mimeType: response.mimeType ?? response.headers.first { $0.key.lowercased() == "content-type" }?.value) {
            hop.framing = framing
            hop.awaitingBufferedData = true
            commands.append(.streamResourceContent(sessionId: hop.request.sessionId, requestId: key.requestId))
        }
        live[key] = hop
    }

    mutating func loadingFinished(_ key: Key, timestamp: Double?, _ events: inout [NetworkEvent]) {
        if live[key]?.awaitingBufferedData == true {
            live[key]?.pendingEnd = .finished(timestamp: timestamp)
            return
        }
        guard var hop = live.removeValue(forKey: key) else { return }
        hop.request.endTimestamp = timestamp
        markEnded(key, hop: hop.request.hop)
        flush(&hop, finishedAt: timestamp, finished: true, &events)
        events.append(.finished(hop.request, hop.response))
        end(key)
    }

    mutating func loadingFailed(_ key: Key, _ params: JSON, _ events: inout [NetworkEvent]) {
        if live[key]?.awaitingBufferedData == true {
            live[key]?.pendingEnd = .failed(params)
            return
        }
        guard var hop = live.removeValue(forKey: key) else { return }
        let timestamp = params["timestamp"]?.doubleValue
        hop.request.endTimestamp = timestamp
        markEnded(key, hop: hop.request.hop)
        flush(&hop, finishedAt: nil, finished: false, &events)
        // The server answered but the page never saw it (a CORS block, a cancel after the headers): the wire says what came back.
        var response = hop.response
        if response == nil, let wire = extras[key]?.responses, hop.request.hop < wire.count, let status = wire[hop.request.hop].status {
            response = NetworkResponse(
                url: hop.request.url, status: status, statusText: "", mimeType: nil, headers: wire[hop.request.hop].headers,
                headersFromWire: true, resourceType: hop.request.resourceType)
        }
        events.append(.failed(hop.request, response, NetworkFailure(
            errorText: params["errorText"]?.stringValue ?? "failed", canceled: params["canceled"]?.boolValue ?? false,
            blockedReason: params["blockedReason"]?.stringValue ?? params["corsErrorStatus"]?["corsError"]?.stringValue,
            timestamp: timestamp)))
        end(key)
    }

    /// Keeps the ended request's ExtraInfo pairing for a while (its wire headers may come after the end).
    mutating func end(_ key: Key) {
        ended.append(key)
        if ended.count > 512 {
            for old in ended.prefix(256) where live[old] == nil { extras[old] = nil }
            ended.removeFirst(256)
        }
    }
}
