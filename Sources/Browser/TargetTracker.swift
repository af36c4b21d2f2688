import DevTools
import Foundation
import JSONCore
import Synchronization
import Durations

/// Follows auto-attached targets: runs setup hooks on each before it is resumed, and lets
/// `newPage` wait for its target to be ready whether the attach came before or after the reply.
final class TargetTracker: Sendable {
    private struct State {
        var hooks: [TargetSetup] = []
        var ready: [String: Result<AttachedTarget, any Error>] = [:]
        var waiters: [String: [Waiter]] = [:]
        var nextWaiter = 0
        var dialogAnswerers: [String: Task<Void, Never>] = [:]
        var frameContexts: [String: FrameContexts] = [:]
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<AttachedTarget, any Error>
    }

    private let state = Mutex(State())
    private let watchers = Subscribers<AttachedTarget>()
    let connection: DevToolsConnection
    let dialogs: DialogPolicy
    let viewport: Viewport?
    let network: BrowserNetwork

    init(connection: DevToolsConnection, dialogs: DialogPolicy, viewport: Viewport?, network: BrowserNetwork) {
        self.viewport = viewport
        self.network = network
        self.connection = connection
        self.dialogs = dialogs
    }

    static let autoAttachParams: JSON = ["autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true]

    func addHook(_ hook: @escaping TargetSetup) {
        state.withLock { $0.hooks.append(hook) }
    }

    /// Subscribes before auto-attach is switched on, so no attach is missed.
    func start() -> Task<Void, Never> {
        let stream = connection.allEvents(methods: ["Target.attachedToTarget", "Target.detachedFromTarget"])
        return Task { [self] in
            for await event in stream {
                if event.method == "Target.attachedToTarget" {
                    Task { await self.prepare(event) }
                } else if let targetId = event.params["targetId"]?.stringValue {
                    forget(targetId)
                }
            }
            failWaiters(DevToolsError.disconnected(reason: connection.closeReason ?? "closed"))
            watchers.finishAll()
        }
    }

    private func prepare(_ event: CDPEvent) async {
        let info = event.params["targetInfo"] ?? .null
        guard let sessionId = event.params["sessionId"]?.stringValue, let targetId = info["targetId"]?.stringValue else { return }
        let target = AttachedTarget(
            session: CDPSession(connection: connection, id: sessionId),
            targetId: targetId,
            type: info["type"]?.stringValue ?? "other",
            url: info["url"]?.stringValue ?? "",
            browserContextId: info["browserContextId"]?.stringValue,
            parentSessionId: event.sessionId)
        let setup = Task { try await setUp(target) }
        if event.params["waitingForDebugger"]?.boolValue == true {
            if Self.answersOnlyOnceResumed(info) {
                // Every hook's first command is on the wire by now, and the target handles its commands
                // in order before its first script: resuming before the replies is safe, waiting for
                // them is a deadlock.
                await Self.finishes(setup, within: Self.setupStallLimit)
            } else {
                _ = try? await setup.value
            }
            _ = try? await target.session.send("Runtime.runIfWaitingForDebugger")
        }
        let result: Result<AttachedTarget, any Error>
        do {
            try await setup.value
            result = .success(target)
        } catch {
            result = .failure(error)
        }
        markReady(targetId, result)
    }

    /// A tab opened without access to its opener (a `target=_blank` link, `noopener`) has no renderer
    /// until its first navigation starts, and that waits for the resume: until then only the browser
    /// answers, so `Page.enable` or `Network.enable` get no reply. (When the navigation becomes a
    /// download, Chromium closes the tab and the replies never come: the commands fail as detached.)
    static func answersOnlyOnceResumed(_ info: JSON) -> Bool {
        info["type"]?.stringValue == "page" && info["openerId"]?.stringValue != nil && info["canAccessOpener"]?.boolValue == false
    }

    /// How long such a tab's setup may run before it is resumed anyway.
    static let setupStallLimit: Duration = .milliseconds(500)

    /// Returns when `task` ends or `limit` passes, whichever is first (the task goes on).
    private static func finishes(_ task: Task<Void, any Error>, within limit: Duration) async {
        let (first, signal) = AsyncStream.makeStream(of: Void.self)
        Task {
            _ = try? await task.value
            signal.yield()
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            signal.yield()
        }
        for await _ in first { break }
        timer.cancel()
    }

    /// The tracker's own commands and the hooks start together, so every hook's first command is
    /// sent before the target resumes even when a page command waits on the resume. Hooks run in
    /// registration order among themselves.
    private func setUp(_ target: AttachedTarget) async throws {
        let hooks = state.withLock { $0.hooks }
        async let own: Void = setUpPage(target)
        async let networkReady: Void = network.setUp(target)
        for hook in hooks {
            try await hook(target)
        }
        try await own
        try await networkReady
    }

    private func setUpPage(_ target: AttachedTarget) async throws {
        switch target.type {
        case "page", "iframe":
            // Children of this target (OOPIFs, dedicated workers) get their own paused sessions too.
            async let autoAttach = target.session.send("Target.setAutoAttach", Self.autoAttachParams)
            if target.type == "page" {
                answerDialogs(of: target)
                // All sent at once, none waiting for another's reply: a tab that answers only once
                // resumed (`answersOnlyOnceResumed`) is resumed after a short wait, and a command still
                // queued behind an unanswered one then reaches it after its first document, where
                // `Page.enable` missing let that document's scripts run before the hooks' scripts.
                // The viewport too, before the first layout: a page never renders at the window's size first.
                async let sized: Void = viewport?.apply(to: target.session) ?? ()
                async let enabled = target.session.send("Page.enable")
                async let lifecycle = target.session.send("Page.setLifecycleEventsEnabled", ["enabled": true])
                _ = try await (sized, enabled, lifecycle)
            }
            _ = try await autoAttach
        case "worker":
            _ = try? await target.session.send("Target.setAutoAttach", Self.autoAttachParams)
        default:
            break
        }
    }

    private func markReady(_ targetId: String, _ result: Result<AttachedTarget, any Error>) {
        let waiters = state.withLock { state in
            state.ready[targetId] = result
            return state.waiters.removeValue(forKey: targetId) ?? []
        }
        for waiter in waiters { waiter.continuation.resume(with: result) }
        if case .success(let target) = result {
            watchers.yield([target])
        }
    }

    /// Every target from now on, once set up and resumed.
    func readyTargets() -> AsyncStream<AttachedTarget> {
        watchers.add().stream
    }

    /// Targets set up so far and still attached.
    var attachedTargets: [AttachedTarget] {
        state.withLock { state in
            state.ready.values.compactMap { try? $0.get() }
        }
    }

    private func forget(_ targetId: String) {
        let (answerer, contexts) = state.withLock { state in
            state.ready.removeValue(forKey: targetId)
            return (state.dialogAnswerers.removeValue(forKey: targetId), state.frameContexts.removeValue(forKey: targetId))
        }
        answerer?.cancel()
        contexts?.end("the target detached")
    }

    /// The target's frames and contexts, one follower per target session, made on first use.
    func frameContexts(of target: AttachedTarget) -> FrameContexts {
        state.withLock { state in
            if let known = state.frameContexts[target.targetId], known.session.id == target.session.id { return known }
            let made = FrameContexts(session: target.session, mainFrameId: target.targetId)
            state.frameContexts[target.targetId] = made
            return made
        }
    }

    /// An open dialog blocks every evaluate on its page; answer it at once unless told not to.
    private func answerDialogs(of target: AttachedTarget) {
        guard let accept = dialogs.accepts else { return }
        let opened = target.session.events(["Page.javascriptDialogOpening"])
        let session = target.session
        let answerer = Task {
            for await dialog in opened {
                var params: [String: JSON] = ["accept": .bool(accept)]
                if accept, let text = dialog.params["defaultPrompt"]?.stringValue { params["promptText"] = .string(text) }
                _ = try? await session.send("Page.handleJavaScriptDialog", .object(params))
            }
        }
        state.withLock { $0.dialogAnswerers[target.targetId] = answerer }
    }

    private func failWaiters(_ error: any Error) {
        let waiters = state.withLock { state in
            defer { state.waiters.removeAll() }
            return state.waiters.values.flatMap { $0 }
        }
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
    }

    /// The target once its setup hooks ran and it was resumed.
    func waitUntilReady(_ targetId: String, timeout: Duration) async throws -> AttachedTarget {
        try await withCheckedThrowingContinuation { continuation in
            let outcome: Result<AttachedTarget, any Error>? = state.withLock { state in
                if let result = state.ready[targetId] { return result }
                state.nextWaiter += 1
                state.waiters[targetId, default: []].append(Waiter(id: state.nextWaiter, continuation: continuation))
                let waiter = state.nextWaiter
                DispatchQueue.global().asyncAfter(deadline: Deadline(after: timeout).dispatchTime) { [self] in
                    expire(targetId, waiter: waiter, after: timeout)
                }
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    private func expire(_ targetId: String, waiter: Int, after timeout: Duration) {
        let expired = state.withLock { state -> Waiter? in
            guard let index = state.waiters[targetId]?.firstIndex(where: { $0.id == waiter }) else { return nil }
            return state.waiters[targetId]?.remove(at: index)
        }
        expired?.continuation.resume(throwing: BrowserLaunchError(
            message: "target \(targetId) was not attached and set up within \(timeout)"))
    }
}

