import DevTools
import Foundation
import Synchronization

/// The runner's one bound on a step: whatever the step awaits (a reply from a page stuck in
/// `while(true){}`, a server that never answers, a renderer that crashed and will never reply), the
/// step ends by its timeout plus `grace`. The work left behind is cancelled, not awaited.
enum StepDeadline {
    /// Room for the step's own timeout message to arrive first, so the usual failure says what was
    /// seen; the deadline only catches what the step's own waits cannot.
    static let grace: Duration = .milliseconds(2500)

    struct Expired: Error {
        let limit: Duration
    }

    /// `operation`'s result, or `Expired` at `limit`, or `RendererCrashed` as soon as `crash` fires.
    static func race<T: Sendable>(
        limit: Duration, crash: CrashWatch? = nil, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = Outcome<T>()
        let work = Task { outcome.resolve(await Result { try await operation() }) }
        let timer = Task {
            try? await Task.sleep(for: limit)
            outcome.resolve(.failure(Expired(limit: limit)))
        }
        let crashWatch = Task {
            guard let crash, let reason = await crash.wait() else { return }
            outcome.resolve(.failure(RendererCrashed(reason: reason)))
        }
        defer {
            work.cancel()
            timer.cancel()
            crashWatch.cancel()
        }
        return try await outcome.value()
    }
}

/// The renderer of the page died: nothing sent to it will ever be answered.
struct RendererCrashed: Error, CustomStringConvertible {
    let reason: String
    var description: String { "the page's renderer crashed (\(reason)); the page is gone" }
}

/// The first of several racers wins; later ones are dropped.
private final class Outcome<T: Sendable>: Sendable {
    private let state = Mutex<(result: Result<T, any Error>?, waiter: CheckedContinuation<T, any Error>?)>((nil, nil))

    func resolve(_ result: Result<T, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<T, any Error>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}

/// Watches one page session for `Inspector.targetCrashed`; once it fires, every `wait` returns at once.
final class CrashWatch: Sendable {
    private struct State {
        var reason: String?
        var waiters: [Int: CheckedContinuation<String?, Never>] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())
    private let listener: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(session: CDPSession) {
        let events = session.events(["Inspector.targetCrashed"])
        let task = Task { [weak self] in
            for await _ in events {
                self?.fire("Inspector.targetCrashed")
                return
            }
        }
        listener.withLock { $0 = task }
    }

    deinit { listener.withLock { $0?.cancel() } }

    var crashed: String? { state.withLock { $0.reason } }

    func fire(_ reason: String) {
        let waiters = state.withLock { state -> [CheckedContinuation<String?, Never>] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    /// The crash's reason once the page crashes; nil as soon as the waiting task is cancelled.
    func wait() async -> String? {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> String?? in
                    if let reason = state.reason { return .some(reason) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }
}
