import Dispatch
import Foundation
import JSONCore
import Synchronization
import Durations

/// Not exported by the Glibc module (it is a GNU extension).
@_silgen_name("pthread_setname_np")
private func setThreadName(_ thread: pthread_t, _ name: UnsafePointer<CChar>) -> Int32

/// One DevTools channel. A single reader thread matches replies to commands by `id` and hands
/// events to subscribers by `sessionId`; it never waits on a subscriber, so a subscriber that sends
/// a command while handling an event cannot deadlock it.
public final class DevToolsConnection: Sendable {
    public let defaultTimeout: Duration
    /// Runs tasks that prefer it on the reader thread after their reply: see `ReaderExecutor`.
    public let executor = ReaderExecutor()
    /// The channel itself. Only the reader thread may call its `receive()`.
    public let transport: any DevToolsTransport
    private let state = Mutex(ConnectionState())
    /// Continues a command's task on the reader thread once its reply is read.
    private let replies = ReplyResumption()
    /// The largest reply (in bytes) whose awaiting task continues on the reader thread; larger ones
    /// resume it on the pool, even a task that prefers `executor`: parsing megabytes on the reader would
    /// hold up every other reply and event.
    public static let inlineReplyLimit = 64 << 10
    private let closedSignal = ClosedSignal()
    /// Expires overdue commands; one timer for all, so a command costs no timer of its own.
    private let watchdog: Watchdog

    public init(transport: any DevToolsTransport, defaultTimeout: Duration = .seconds(60)) {
        self.transport = transport
        self.defaultTimeout = defaultTimeout
        watchdog = Watchdog()
        watchdog.start { [weak self] in self?.failExpiredCommands() }
        let reader = Thread { [self] in readLoop() }
        reader.stackSize = 8 << 20
        reader.start()
    }

    /// The system name of every connection's reader thread.
    public static let readerThreadName = "devtools-reader"

    /// Why the channel closed, or nil while it is open.
    public var closeReason: String? { state.withLock { $0.closeReason } }

    /// Returns once the channel has closed (the browser exited, or `close()` ran), with the reason.
    public func waitUntilClosed() async -> String {
        await closedSignal.wait()
    }

    // MARK: Commands

    public func send(_ method: String, _ params: JSON = [:], sessionId: String? = nil, timeout: Duration? = nil) async throws -> JSON {
        let reply = try await sendRaw(method: method, paramsText: params.serialized(), sessionId: sessionId, timeout: timeout)
        return try reply.json(method: method)
    }

    /// The shared path: `paramsText` is already a JSON object, so no dictionary is built per call.
    /// Cancelling the awaiting task fails the command with `CancellationError` at once.
    func sendRaw(method: String, paramsText: String, sessionId: String?, timeout: Duration?) async throws -> ReplyPayload {
        let limit = timeout ?? defaultTimeout
        let deadline = Deadline(after: limit)
        let id = state.withLock { state -> Int in
            state.nextId += 1
            return state.nextId
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let refusal: (any Error)? = state.withLock { state in
                    if let reason = state.closeReason { return DevToolsError.disconnected(reason: reason) }
                    if Task.isCancelled { return CancellationError() }
                    state.pending[id] = PendingCommand(
                        method: method, sessionId: sessionId, deadline: deadline, timeout: limit, continuation: continuation)
                    return nil
                }
                if let refusal {
                    continuation.resume(throwing: refusal)
                    return
                }
                var message = "{\"id\":\(id),\"method\":"
                JSON.writeString(method, into: &message)
                message += ",\"params\":"
                message += paramsText
                if let sessionId {
                    message += ",\"sessionId\":"
                    JSON.writeString(sessionId, into: &message)
                }
                message += "}"
                do {
                    try transport.send(message)
                } catch {
                    fail(id, with: error as? DevToolsError ?? .disconnected(reason: "\(error)"))
                }
            }
        } onCancel: {
            fail(id, with: CancellationError())
        }
    }

    private func fail(_ id: Int, with error: any Error) {
        let pending = state.withLock { $0.pending.removeValue(forKey: id) }
        pending?.continuation.resume(throwing: error)
    }

    // MARK: Events

    /// Events of one session (nil: the browser session). Registered when called, so call it before
    /// the action that causes the events; buffered without limit, nothing is dropped.
    public func events(sessionId: String?, methods: Set<String>? = nil) -> AsyncStream<CDPEvent> {
        subscribe(scope: .session(sessionId), methods: methods)
    }

    /// Events of every session.
    public func allEvents(methods: Set<String>? = nil) -> AsyncStream<CDPEvent> {
        subscribe(scope: .everySession, methods: methods)
    }

    private func subscribe(scope: Subscriber.Scope, methods: Set<String>?) -> AsyncStream<CDPEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: CDPEvent.self, bufferingPolicy: .unbounded)
        let added: Int? = state.withLock { state in
            guard state.closeReason == nil else { return nil }
            state.nextSubscriberId += 1
            state.subscribers[state.nextSubscriberId] = Subscriber(scope: scope, methods: methods, continuation: continuation)
            return state.nextSubscriberId
        }
        guard let added else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: added) }
        }
        return stream
    }

    // MARK: Closing

    /// Closes the channel; pending commands fail with `DevToolsError.disconnected`.
    public func close() async {
        transport.close()
        shutDown(reason: "the connection was closed by the client")
    }

    private func shutDown(reason: String) {
        let (pending, subscribers) = state.withLock { state -> ([PendingCommand], [Subscriber]) in
            if state.closeReason == nil { state.closeReason = reason }
            defer {
                state.pending.removeAll()
                state.subscribers.removeAll()
            }
            return (Array(state.pending.values), Array(state.subscribers.values))
        }
        let finalReason = closeReason ?? reason
        for command in pending {
            command.continuation.resume(throwing: DevToolsError.disconnected(reason: finalReason))
        }
        for subscriber in subscribers { subscriber.continuation.finish() }
        watchdog.stop()
        closedSignal.fire(finalReason)
    }

    // MARK: Reading

    private func readLoop() {
        var reason = "the browser closed the connection"
        // Named at the system level (visible in ps and debuggers); Linux threads otherwise inherit
        // the name of the thread that created them.
        _ = setThreadName(pthread_self(), Self.readerThreadName)
        executor.attachReaderThread()
        replies.attachToCurrentThread()
        do {
            while let message = try transport.receive() {
                executor.dispatching { dispatch(message) }
                replies.runKept()
            }
        } catch {
            reason = "\(error)"
        }
        transport.close()
        executor.dispatching { shutDown(reason: reason) }
    }

    private func dispatch(_ message: [UInt8]) {
        let envelope: Envelope
        do {
            envelope = try Envelope.scan(message)
        } catch {
            return  // Not a CDP message: nothing can be routed, and the stream stays usable.
        }
        if let id = envelope.id {
            guard let command = state.withLock({ $0.pending.removeValue(forKey: id) }) else { return }
            let resume = {
                if let errorRange = envelope.error {
                    command.continuation.resume(throwing: Self.cdpError(message, errorRange, method: command.method))
                } else {
                    command.continuation.resume(returning: ReplyPayload(message: message, result: envelope.result))
                }
            }
            if message.count <= Self.inlineReplyLimit {
                replies.keeping(resume)
            } else {
                executor.notKeeping(resume)
            }
            return
        }
        guard let method = envelope.method else { return }
        if method == "Target.detachedFromTarget" { failCommands(ofDetachedSession: message, envelope) }
        let receivers = state.withLock { state in
            state.subscribers.values.compactMap { subscriber in
                subscriber.wants(method: method, sessionId: envelope.sessionId) ? subscriber.continuation : nil
            }
        }
        guard !receivers.isEmpty else { return }
        var params = JSON.object([:])
        if let range = envelope.params {
            params = (try? message.withUnsafeBufferPointer { try JSON.parse(bytes: UnsafeBufferPointer(rebasing: $0[range])) }) ?? .null
        }
        let event = CDPEvent(method: method, sessionId: envelope.sessionId, params: params)
        for receiver in receivers { receiver.yield(event) }
    }

    /// A session that detached answers nothing more: its commands still waiting fail now instead of at
    /// their timeout (a tab that closed itself, as one opened for a download does, would otherwise hold
    /// its setup for a minute).
    private func failCommands(ofDetachedSession message: [UInt8], _ envelope: Envelope) {
        guard let range = envelope.params,
              let params = try? message.withUnsafeBufferPointer({ try JSON.parse(bytes: UnsafeBufferPointer(rebasing: $0[range])) }),
              let sessionId = params["sessionId"]?.stringValue
        else { return }
        let orphans = state.withLock { state -> [PendingCommand] in
            let ids = state.pending.compactMap { $0.value.sessionId == sessionId ? $0.key : nil }
            return ids.compactMap { state.pending.removeValue(forKey: $0) }
        }
        for command in orphans {
            command.continuation.resume(throwing: DevToolsError.targetClosed(method: command.method, reason: "the target detached (closed or crashed)"))
        }
    }

    private static func cdpError(_ message: [UInt8], _ range: Range<Int>, method: String) -> CDPError {
        let body = (try? JSON.parse(bytes: message[range])) ?? .null
        return CDPError(
            method: method,
            code: body["code"]?.intValue ?? 0,
            message: body["message"]?.stringValue ?? String(decoding: message[range], as: UTF8.self),
            data: body["data"]?.stringValue)
    }

    private func failExpiredCommands() {
        // One reading of the clock for the whole sweep.
        let now = Deadline(.now)
        let expired = state.withLock { state -> [PendingCommand] in
            let ids = state.pending.compactMap { $0.value.deadline <= now ? $0.key : nil }
            return ids.compactMap { state.pending.removeValue(forKey: $0) }
        }
        for command in expired {
            command.continuation.resume(throwing: DevToolsError.timeout(method: command.method, seconds: command.timeout.inSeconds))
        }
    }
}

private struct ConnectionState {
    var nextId = 0
    var pending: [Int: PendingCommand] = [:]
    var nextSubscriberId = 0
    var subscribers: [Int: Subscriber] = [:]
    var closeReason: String?
}

private struct PendingCommand {
    let method: String
    let sessionId: String?
    let deadline: Deadline
    let timeout: Duration
    let continuation: CheckedContinuation<ReplyPayload, any Error>
}

private struct Subscriber {
    enum Scope {
        case session(String?)
        case everySession
    }

    let scope: Scope
    let methods: Set<String>?
    let continuation: AsyncStream<CDPEvent>.Continuation

    func wants(method: String, sessionId: String?) -> Bool {
        if let methods, !methods.contains(method) { return false }
        switch scope {
        case .everySession: return true
        case .session(let wanted): return wanted == sessionId
        }
    }
}

/// The raw reply; its `result` is parsed by the task that awaited it, off the reader thread.
struct ReplyPayload: Sendable {
    let message: [UInt8]
    let result: Range<Int>?

    func json(method: String) throws -> JSON {
        guard let result else { return [:] }
        do {
            return try message.withUnsafeBufferPointer { try JSON.parse(bytes: UnsafeBufferPointer(rebasing: $0[result])) }
        } catch {
            throw DevToolsError.invalidMessage("reply to \(method): \(error)")
        }
    }
}

/// A repeating Dispatch timer. Dispatch sources are thread-safe, which the compiler cannot see.
private final class Watchdog: @unchecked Sendable {
    private let timer = DispatchSource.makeTimerSource(queue: .global())

    func start(_ tick: @escaping @Sendable () -> Void) {
        timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100), leeway: .milliseconds(20))
        timer.setEventHandler(handler: tick)
        timer.resume()
    }

    func stop() { timer.cancel() }
}

/// A one-shot latch that async callers can await.
private final class ClosedSignal: Sendable {
    private let state = Mutex<(reason: String?, waiters: [CheckedContinuation<String, Never>])>((nil, []))

    func fire(_ reason: String) {
        let waiters = state.withLock { state -> [CheckedContinuation<String, Never>] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    func wait() async -> String {
        await withCheckedContinuation { continuation in
            let reason = state.withLock { state -> String? in
                if let reason = state.reason { return reason }
                state.waiters.append(continuation)
                return nil
            }
            if let reason { continuation.resume(returning: reason) }
        }
    }
}
