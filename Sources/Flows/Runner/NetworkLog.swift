import Browser
import DevTools
import Foundation
import JSONCore
import Recording
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
        var responses: [Response] = []
        /// By `NetworkRequest.id` (one hop of a request).
        var responseIndex: [String: Int] = [:]
        var messages: [Message] = []
        var bodies: [String: JSON] = [:]
        /// Requests that ended without any response (refused, reset, DNS), for failure messages.
        var failures: [(sequence: Int, method: String, url: String, error: String)] = []
        /// The last document any frame loaded, and its status.
        var lastDocument: (url: String, status: Int)?
    }

    private let state = Mutex(State())
    private let session: CDPSession
    private let network: BrowserNetwork
    private let subscription: Mutex<NetworkSubscription?> = Mutex(nil)

    /// Reads the page's share of the browser's one network model (`page.browser.network`).
    init(page: Page) {
        session = page.session
        network = page.browser.network
    }

    /// Subscribes; returns once `Network` is on for every target.
    func start() async {
        let subscription = await network.subscribe()
        let sessionId = session.id
        Task { [self, events = subscription.events] in
            for await event in events where event.sessionId == sessionId { handle(event) }
        }
        self.subscription.withLock { $0 = subscription }
    }

    func stop() {
        subscription.withLock { $0?.cancel() }
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

    private func handle(_ event: NetworkEvent) {
        state.withLock { state in
            switch event {
            case .response(let request, let response):
                state.sequence += 1
                state.responseIndex[request.id] = state.responses.count
                state.responses.append(Response(
                    sequence: state.sequence, requestId: request.requestId, method: request.method, url: response.url, status: response.status,
                    finished: false, failed: false))
                if response.resourceType == "Document" { state.lastDocument = (response.url, response.status) }
            case .finished(let request, _):
                if let index = state.responseIndex[request.id] { state.responses[index].finished = true }
            case .failed(let request, _, let failure):
                guard let index = state.responseIndex[request.id] else {
                    if state.failures.count < 10_000 {
                        state.sequence += 1
                        state.failures.append((state.sequence, request.method, request.url, failure.errorText))
                    }
                    return
                }
                let response = state.responses[index]
                let completeAnyway = ResponseEnd.isCompleteDespiteFailure(status: response.status, method: response.method, errorText: failure.errorText)
                // The page stopping to read a body (a reader cancelled on a 401, an aborted fetch) leaves
                // the response it got a response: a `waitFor` on its status must still see it.
                state.responses[index].finished = completeAnyway
                state.responses[index].failed = !completeAnyway && !failure.canceled
            case .streamMessage(let request, let message):
                state.sequence += 1
                state.messages.append(Message(sequence: state.sequence, url: request.url, direction: .received, event: message.event, data: message.data))
            case .webSocketFrame(let socket, let frame):
                state.sequence += 1
                state.messages.append(Message(
                    sequence: state.sequence, url: socket.url, direction: frame.direction == .sent ? .sent : .received, event: nil, data: frame.payload))
            default:
                break
            }
        }
    }
}
