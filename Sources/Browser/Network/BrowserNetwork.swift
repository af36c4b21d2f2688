import DevTools
import Foundation
import JSONCore
import Synchronization

/// The browser's one view of its network: enables `Network` once per target (with buffers sized for
/// capture), runs a `NetworkTracker` over the events of every session, runs the commands it asks for,
/// and hands the typed events to every subscriber. Inactive until the first consumer activates it, so
/// a browser nobody watches the network of pays nothing.
public final class BrowserNetwork: Sendable {
    /// Browser buffers sized so a 50 MB body is still there when it is fetched (measured: with a 64 MB
    /// resource buffer Chromium evicts a 50 MB body at once; it keeps more than the raw bytes).
    public static let maxResourceBufferSize = 128 << 20
    public static let maxTotalBufferSize = 512 << 20

    private struct State {
        var tracker = NetworkTracker()
        var activation: Task<Void, Never>?
        var maxPostDataSize: Int?
        var enabled: Set<String> = []
        /// Targets set up before activation: they are enabled when it comes.
        var waiting: [AttachedTarget] = []
    }

    let connection: DevToolsConnection
    private let state = Mutex(State())
    private let subscribers = Subscribers<NetworkEvent>()
    let streamContents = Mutex(StreamContentRequests())

    init(connection: DevToolsConnection) {
        self.connection = connection
    }

    /// Typed network events from now on (registered when called), once `Network` is enabled on every
    /// target (`maxPostDataSize` as in `activate`). The events end when the subscription is cancelled or
    /// released, or the browser goes away.
    public func subscribe(maxPostDataSize: Int? = nil) async -> NetworkSubscription {
        let (stream, continuation) = subscribers.add()
        await activate(maxPostDataSize: maxPostDataSize)
        return NetworkSubscription(events: stream, continuation: continuation)
    }

    /// Enables `Network` on every target, now and from now on, once. `maxPostDataSize` (bytes of a
    /// request body sent inline with its event) counts only when it comes with the first activation.
    public func activate(maxPostDataSize: Int? = nil) async {
        let activation = state.withLock { state -> Task<Void, Never> in
            if let activation = state.activation { return activation }
            state.maxPostDataSize = maxPostDataSize
            // Subscribed before any target is enabled, so no first event is missed.
            let stream = connection.allEvents(methods: NetworkTracker.methods)
            Task(executorPreference: connection.executor) { [self] in
                for await event in stream { handle(event) }
                subscribers.finishAll()
            }
            let activation = Task { [self] in
                let waiting = self.state.withLock { state in
                    defer { state.waiting.removeAll() }
                    return state.waiting
                }
                await withTaskGroup(of: Void.self) { group in
                    for target in waiting { group.addTask { try? await self.enable(target) } }
                }
            }
            state.activation = activation
            return activation
        }
        await activation.value
    }

    /// Part of every target's setup, alongside the hooks, before it is resumed.
    func setUp(_ target: AttachedTarget) async throws {
        let active = state.withLock { state in
            if state.activation == nil { state.waiting.append(target) }
            return state.activation != nil
        }
        if active { try await enable(target) }
    }

    private func enable(_ target: AttachedTarget) async throws {
        guard let sessionId = target.session.id else { return }
        let (first, maxPostDataSize) = state.withLock { ($0.enabled.insert(sessionId).inserted, $0.maxPostDataSize) }
        guard first else { return }
        var params: [String: JSON] = [
            "maxTotalBufferSize": .integer(Self.maxTotalBufferSize), "maxResourceBufferSize": .integer(Self.maxResourceBufferSize),
        ]
        if let maxPostDataSize { params["maxPostDataSize"] = .integer(maxPostDataSize) }
        switch target.type {
        case "page", "iframe", "worker":
            _ = try await target.session.send("Network.enable", .object(params))
        default:
            // Service and shared workers speak Network too; other targets may not, and that is no error.
            _ = try? await target.session.send("Network.enable", .object(params))
        }
    }

    /// On the reader thread: each event is handled where it was read. With nobody subscribed the
    /// tracker is skipped. Events are handed out under
    /// the lock, so a command's result and the next event reach every subscriber in the tracker's order.
    private func handle(_ event: CDPEvent) {
        let commands = state.withLock { state -> [NetworkTrackerCommand] in
            guard !subscribers.isEmpty else { return [] }
            let (events, commands) = state.tracker.handle(method: event.method, sessionId: event.sessionId, params: event.params)
            subscribers.yield(events)
            return commands
        }
        for command in commands { run(command) }
    }

    private func run(_ command: NetworkTrackerCommand) {
        switch command {
        case .streamResourceContent(let sessionId, let requestId):
            Task { [self] in
                let content = await streamContent(sessionId: sessionId, requestId: requestId)
                state.withLock { state in
                    subscribers.yield(state.tracker.streamContentArrived(
                        sessionId: sessionId, requestId: requestId, bytes: content.bytes, error: content.error))
                }
            }
        }
    }
}

/// One consumer's share of the browser's network events. Releasing it ends them, so a consumer that
/// stops listening leaves nothing buffering behind it.
public final class NetworkSubscription: Sendable {
    public let events: AsyncStream<NetworkEvent>
    private let continuation: AsyncStream<NetworkEvent>.Continuation

    init(events: AsyncStream<NetworkEvent>, continuation: AsyncStream<NetworkEvent>.Continuation) {
        self.events = events
        self.continuation = continuation
    }

    deinit { continuation.finish() }

    public func cancel() { continuation.finish() }
}
