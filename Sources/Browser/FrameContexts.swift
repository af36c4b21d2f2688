import DevTools
import Dispatch
import Durations
import JSONCore
import Synchronization

/// Why a frame's context could not be had.
public struct FrameContextError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// One target session's frames and live execution contexts, followed from its events (the state
/// is `FrameContextsCore`'s), so a caller knows whether a context id is still alive and can wait for a
/// new document's context instead of reading error messages. Owned by the Browser, one per target;
/// it starts following on first use, because `Runtime.enable` makes the renderer report every
/// context and console message: only sessions that evaluate in a world of ours pay for it.
public final class FrameContexts: Sendable {
    public let session: CDPSession
    /// The target's own frame (a page's or an OOPIF's frame id is its target id).
    public let mainFrameId: String

    private struct State {
        var core: FrameContextsCore
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
        var nextWaiter = 0
        var activation: Task<Void, any Error>?
        var newDocumentScripts: [String: Task<Void, any Error>] = [:]
        var follower: Task<Void, Never>?
        var ended: String?
    }

    private let state: Mutex<State>

    init(session: CDPSession, mainFrameId: String) {
        self.session = session
        self.mainFrameId = mainFrameId
        state = Mutex(State(core: FrameContextsCore(mainFrameId: mainFrameId)))
    }

    /// Subscribes, then enables the domains; every existing context is reported before
    /// `Runtime.enable` replies. Later calls wait for the first; after a failure the next call tries again.
    public func activate() async throws {
        let activation = state.withLock { state -> Task<Void, any Error> in
            if let activation = state.activation { return activation }
            let activation = Task { try await self.follow() }
            state.activation = activation
            return activation
        }
        do {
            try await activation.value
        } catch {
            let follower = state.withLock { state -> Task<Void, Never>? in
                guard state.ended == nil, state.activation == activation else { return nil }
                state.activation = nil
                defer { state.follower = nil }
                return state.follower
            }
            follower?.cancel()
            throw error
        }
    }

    private func follow() async throws {
        let events = session.events(FrameContextsCore.events)
        // On the reader thread, each event is applied before the next message is read: a reply that
        // fails because its context died is read after the event that says so, and finds it applied.
        let follower = Task(executorPreference: session.connection.executor) { [weak self] in
            for await event in events {
                guard let self else { return }
                self.change { $0.apply(event.method, event.params) }
            }
            self?.end("the connection closed")
        }
        state.withLock { $0.follower = follower }
        async let tree = session.send("Page.getFrameTree")
        _ = try await session.send("Runtime.enable")
        if let root = try? await tree["frameTree"] {
            change { $0.seed(frameTree: root) }
        }
    }

    /// The target detached: waits end with an error and nothing is followed any more.
    func end(_ reason: String) {
        let (waiters, follower) = state.withLock { state in
            if state.ended == nil { state.ended = reason }
            defer { state.waiters.removeAll() }
            return (Array(state.waiters.values), state.follower)
        }
        follower?.cancel()
        for waiter in waiters { waiter.resume() }
    }

    /// Runs `source` in the isolated world `world` of every new document of this session's frames
    /// (`Page.addScriptToEvaluateOnNewDocument` with `worldName`), so after a navigation the world is
    /// there, script and all, with no command sent. Registered once per world and source; documents
    /// that exist already get the world from `isolatedContext`.
    public func addScriptToNewDocuments(world: String, source: String) async throws {
        let key = world + "\u{0}" + source
        let registration = state.withLock { state -> Task<Void, any Error> in
            if let known = state.newDocumentScripts[key] { return known }
            let session = session
            let made = Task {
                _ = try await session.send("Page.addScriptToEvaluateOnNewDocument", ["source": .string(source), "worldName": .string(world)])
            }
            state.newDocumentScripts[key] = made
            return made
        }
        do {
            try await registration.value
        } catch {
            state.withLock { state in
                if state.newDocumentScripts[key] == registration { state.newDocumentScripts[key] = nil }
            }
            throw error
        }
    }

    /// Whether the context still exists, as far as the events read so far say.
    public func isAlive(_ contextId: Int) -> Bool {
        state.withLock { $0.core.isAlive(contextId) }
    }

    /// Whether the frame is one of this session's (not removed, not moved to a process of its own).
    public func knows(frame frameId: String) -> Bool {
        state.withLock { $0.core.knows(frame: frameId) }
    }

    /// The live context of a world (nil: the main world) in a frame (nil: the main frame), if any.
    public func context(frame: String? = nil, world: String? = nil) -> Int? {
        state.withLock { $0.core.context(frame: frame, world: world) }
    }

    /// A live context of the isolated world `world` in `frame` (nil: the main frame): the one the
    /// frame's document has, or one created with `Page.createIsolatedWorld`. While the frame is between
    /// documents it waits for the next one, up to `timeout`. Throws `FrameContextError` when the frame
    /// went away, the target detached, or the time ran out.
    public func isolatedContext(frame: String? = nil, world: String, timeout: Duration) async throws -> Int {
        try await activate()
        let deadline = Deadline(after: timeout)
        while true {
            let (resolution, version, ended) = state.withLock { state in
                (state.core.resolve(world: world, frame: frame), state.core.version, state.ended)
            }
            if let ended { throw FrameContextError(message: "no world \(world) in frame \(frame ?? mainFrameId): \(ended)") }
            var seen = version
            switch resolution {
            case .ready(let contextId):
                return contextId
            case .frameGone(let frameId):
                throw FrameContextError(message: "frame \(frameId) is gone (removed, or moved to a process of its own)")
            case .create(let frameId):
                let reply: JSON?
                do {
                    reply = try await session.send(
                        "Page.createIsolatedWorld",
                        ["frameId": .string(frameId), "worldName": .string(world), "grantUniveralAccess": true], timeout: max(deadline.remaining, .milliseconds(1)))
                } catch let error as DevToolsError {
                    change { $0.creationEnded(world: world, frame: frame) }
                    throw error
                } catch {
                    // The frame is between documents (or just went): what happens next is in its events.
                    reply = nil
                }
                seen = change { $0.creationEnded(world: world, frame: frame) }
                if let contextId = reply?["executionContextId"]?.intValue, isAlive(contextId) { return contextId }
            case .wait:
                break
            }
            try await waitForChange(after: seen, until: deadline) { Self.timedOut(world: world, frame: frame ?? self.mainFrameId) }
        }
    }

    /// Returns once the events say the context is gone (its document replaced, its frame removed).
    /// Throws `FrameContextError` when `timeout` passes first or the target detaches.
    public func waitUntilGone(_ contextId: Int, timeout: Duration) async throws {
        let deadline = Deadline(after: timeout)
        while true {
            let (alive, version, ended) = state.withLock { ($0.core.isAlive(contextId), $0.core.version, $0.ended) }
            if !alive { return }
            if let ended { throw FrameContextError(message: "context \(contextId) was not reported gone: \(ended)") }
            try await waitForChange(after: version, until: deadline) {
                FrameContextError(message: "context \(contextId) was still alive after \(timeout.inSeconds) s")
            }
        }
    }

    @discardableResult
    private func change(_ update: (inout FrameContextsCore) -> Void) -> Int {
        let (waiters, version) = state.withLock { state in
            update(&state.core)
            defer { state.waiters.removeAll() }
            return (Array(state.waiters.values), state.core.version)
        }
        for waiter in waiters { waiter.resume() }
        return version
    }

    private func waitForChange(after version: Int, until deadline: Deadline, timedOut: @escaping @Sendable () -> FrameContextError) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let waiter: Int? = state.withLock { state in
                guard state.core.version == version, state.ended == nil, !deadline.hasPassed else { return nil }
                state.nextWaiter += 1
                state.waiters[state.nextWaiter] = continuation
                return state.nextWaiter
            }
            guard let waiter else {
                if deadline.hasPassed {
                    continuation.resume(throwing: timedOut())
                } else {
                    continuation.resume()
                }
                return
            }
            DispatchQueue.global().asyncAfter(deadline: deadline.dispatchTime) { [self] in
                let expired = state.withLock { $0.waiters.removeValue(forKey: waiter) }
                expired?.resume(throwing: timedOut())
            }
        }
    }

    private static func timedOut(world: String, frame: String) -> FrameContextError {
        FrameContextError(message: "frame \(frame) had no document to create the world \(world) in before the deadline")
    }
}
