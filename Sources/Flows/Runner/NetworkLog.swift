import Recording
import DevTools
import Foundation
import JSONCore
import Synchronization

/// What the page's session saw on the network, in arrival order, so `waitFor`, `expect` and `save`
/// can look back to the last action and forward until their deadline.
final class NetworkLog: Sendable {
    struct Response: Sendable {
        let sequence: Int
        let requestId: String
        let method: String
        let url: String
        let status: Int
        var finished: Bool
        var failed: Bool
    }

    struct Message: Sendable {
        let sequence: Int
        let url: String
        let direction: MessageMatcher.Direction
        let event: String?
        let data: String
    }

    private struct State {
        var sequence = 0
        var requests: [String: (method: String, url: String)] = [:]
        var responses: [Response] = []
        var responseIndex: [String: Int] = [:]
        var sockets: [String: String] = [:]
        var messages: [Message] = []
        var bodies: [String: JSON] = [:]
        /// Partial server-sent-event text of fetch-read streams, by request.
        var streamText: [String: String] = [:]
        var streamURLs: [String: String] = [:]
        /// Requests that ended without any response (refused, reset, DNS), for failure messages.
        var failures: [(sequence: Int, method: String, url: String, error: String)] = []
        /// The last document any frame loaded, and its status.
        var lastDocument: (url: String, status: Int)?
    }

    private let state = Mutex(State())
    private let session: CDPSession
    /// Whether this log enables Network and asks for fetch-stream bytes, or only listens.
    private let owned: Bool
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    static let methods: Set<String> = [
        "Network.requestWillBeSent", "Network.responseReceived", "Network.loadingFinished", "Network.loadingFailed",
        "Network.webSocketCreated", "Network.webSocketFrameSent", "Network.webSocketFrameReceived",
        "Network.eventSourceMessageReceived", "Network.dataReceived",
    ]

    init(session: CDPSession, owned: Bool) {
        self.session = session
        self.owned = owned
    }

    /// Subscribes, then enables Network unless someone else owns it.
    func start() async throws {
        let stream = session.events(Self.methods)
        task.withLock { $0 = Task { [self] in for await event in stream { self.handle(event) } } }
        if owned { _ = try await session.send("Network.enable", [:]) }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    /// The position of the next event: conditions look at what arrives from a mark on.
    var mark: Int { state.withLock { $0.sequence } }

    func responses(since mark: Int) -> [Response] {
        state.withLock { state in state.responses.filter { $0.sequence > mark } }
    }

    /// What went wrong on the network since `mark`, for a failure message: requests that got no
    /// response (grouped, most frequent first), and a document that loaded with an error status.
    func problems(since mark: Int) -> [String] {
        state.withLock { state in
            var lines: [String] = []
            if let document = state.lastDocument, document.status >= 400 {
                lines.append("the page \(document.url) answered HTTP \(document.status) when it loaded")
            }
            var counts: [String: Int] = [:]
            var order: [String] = []
            for failure in state.failures where failure.sequence > mark {
                let key = "\(failure.method) \(failure.url) got no response: \(failure.error)"
                if counts[key] == nil { order.append(key) }
                counts[key, default: 0] += 1
            }
            for key in order.sorted(by: { counts[$0]! > counts[$1]! }).prefix(5) {
                lines.append(counts[key]! > 1 ? "\(key) (\(counts[key]!) times)" : key)
            }
            return lines
        }
    }

    func messages(since mark: Int) -> [Message] {
        state.withLock { state in state.messages.filter { $0.sequence > mark } }
    }

    /// The parsed JSON body of a finished response; nil when it is not JSON or was evicted.
    func body(of response: Response) async -> JSON? {
        if let cached = state.withLock({ $0.bodies[response.requestId] }) { return cached }
        guard response.finished,
            let reply = try? await session.send("Network.getResponseBody", ["requestId": .string(response.requestId)]),
            let text = reply["body"]?.stringValue
        else { return nil }
        let bytes: [UInt8]
        if reply["base64Encoded"]?.boolValue == true {
            guard let data = Data(base64Encoded: text) else { return nil }
            bytes = Array(data)
        } else {
            bytes = Array(text.utf8)
        }
        guard let json = try? JSON.parse(bytes: bytes) else { return nil }
        state.withLock { $0.bodies[response.requestId] = json }
        return json
    }

    private func handle(_ event: CDPEvent) {
        let params = event.params
        let requestId = params["requestId"]?.stringValue ?? ""
        switch event.method {
        case "Network.requestWillBeSent":
            let method = params["request"]?["method"]?.stringValue ?? "GET"
            let url = params["request"]?["url"]?.stringValue ?? ""
            state.withLock { $0.requests[requestId] = (method, url) }
        case "Network.responseReceived":
            let url = params["response"]?["url"]?.stringValue ?? ""
            let status = params["response"]?["status"]?.intValue ?? 0
            let mimeType = params["response"]?["mimeType"]?.stringValue ?? ""
            let type = params["type"]?.stringValue ?? ""
            state.withLock { state in
                let method = state.requests[requestId]?.method ?? "GET"
                state.sequence += 1
                state.responseIndex[requestId] = state.responses.count
                state.responses.append(
                    Response(sequence: state.sequence, requestId: requestId, method: method, url: url, status: status, finished: false, failed: false))
                if mimeType == "text/event-stream" && type != "EventSource" { state.streamURLs[requestId] = url }
                if type == "Document" { state.lastDocument = (url, status) }
            }
            if owned && mimeType == "text/event-stream" && type != "EventSource" { streamContent(of: requestId) }
        case "Network.loadingFinished", "Network.loadingFailed":
            state.withLock { state in
                guard let index = state.responseIndex[requestId] else {
                    if event.method == "Network.loadingFailed", let request = state.requests[requestId], state.failures.count < 10_000 {
                        state.sequence += 1
                        state.failures.append((state.sequence, request.method, request.url, params["errorText"]?.stringValue ?? "failed"))
                    }
                    return
                }
                let response = state.responses[index]
                let completeAnyway = event.method == "Network.loadingFailed" && ResponseEnd.isCompleteDespiteFailure(
                    status: response.status, method: response.method, errorText: params["errorText"]?.stringValue ?? "")
                // The page stopping to read a body (a reader cancelled on a 401, an aborted fetch) leaves
                // the response it got a response: a `waitFor` on its status must still see it.
                let canceledByPage = params["canceled"]?.boolValue == true
                state.responses[index].finished = event.method == "Network.loadingFinished" || completeAnyway
                state.responses[index].failed = event.method == "Network.loadingFailed" && !completeAnyway && !canceledByPage
                state.streamURLs[requestId] = nil
            }
        case "Network.webSocketCreated":
            state.withLock { $0.sockets[requestId] = params["url"]?.stringValue ?? "" }
        case "Network.webSocketFrameSent", "Network.webSocketFrameReceived":
            let data = params["response"]?["payloadData"]?.stringValue ?? ""
            let direction: MessageMatcher.Direction = event.method == "Network.webSocketFrameSent" ? .sent : .received
            state.withLock { state in
                state.sequence += 1
                state.messages.append(
                    Message(sequence: state.sequence, url: state.sockets[requestId] ?? "", direction: direction, event: nil, data: data))
            }
        case "Network.eventSourceMessageReceived":
            let name = params["eventName"]?.stringValue
            let data = params["data"]?.stringValue ?? ""
            state.withLock { state in
                state.sequence += 1
                let url = state.requests[requestId]?.url ?? ""
                state.messages.append(
                    Message(sequence: state.sequence, url: url, direction: .received, event: name?.isEmpty == false ? name : "message", data: data))
            }
        case "Network.dataReceived":
            guard let encoded = params["data"]?.stringValue, !encoded.isEmpty else { return }
            appendStreamData(encoded, to: requestId)
        default:
            break
        }
    }

    /// A `fetch()`-read event stream is no EventSource: ask Chromium to forward its bytes as they come.
    private func streamContent(of requestId: String) {
        Task { [self] in
            guard let reply = try? await session.send("Network.streamResourceContent", ["requestId": .string(requestId)]),
                let buffered = reply["bufferedData"]?.stringValue, !buffered.isEmpty
            else { return }
            appendStreamData(buffered, to: requestId)
        }
    }

    private func appendStreamData(_ base64: String, to requestId: String) {
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return }
        state.withLock { state in
            guard let url = state.streamURLs[requestId] else { return }
            var pending = (state.streamText[requestId] ?? "") + text.replacingOccurrences(of: "\r\n", with: "\n")
            while let end = pending.range(of: "\n\n") {
                let block = pending[..<end.lowerBound]
                pending = String(pending[end.upperBound...])
                var name = "message"
                var lines: [Substring] = []
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix("event:") { name = line.dropFirst(6).trimmingCharacters(in: .whitespaces) }
                    if line.hasPrefix("data:") { lines.append(line.dropFirst(line.hasPrefix("data: ") ? 6 : 5)) }
                }
                guard !lines.isEmpty else { continue }
                state.sequence += 1
                state.messages.append(Message(sequence: state.sequence, url: url, direction: .received, event: name, data: lines.joined(separator: "\n")))
            }
            state.streamText[requestId] = pending
        }
    }
}
