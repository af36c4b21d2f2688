import Synchronization

/// Listeners of one kind of value, each with a stream of its own (unbounded: nothing is dropped),
/// registered when added and forgotten when their stream ends. Once the source is gone (`finishAll`),
/// a listener added later gets a stream that has already ended instead of one that waits forever.
final class Subscribers<Element: Sendable>: Sendable {
    private struct State {
        var next = 0
        var finished = false
        var continuations: [Int: AsyncStream<Element>.Continuation] = [:]
    }

    private let state = Mutex(State())

    func add() -> (stream: AsyncStream<Element>, continuation: AsyncStream<Element>.Continuation) {
        let (stream, continuation) = AsyncStream.makeStream(of: Element.self, bufferingPolicy: .unbounded)
        let id = state.withLock { state -> Int? in
            guard !state.finished else { return nil }
            state.next += 1
            state.continuations[state.next] = continuation
            return state.next
        }
        guard let id else {
            continuation.finish()
            return (stream, continuation)
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return (stream, continuation)
    }

    var isEmpty: Bool { state.withLock { $0.continuations.isEmpty } }

    /// Every element to every listener, in order.
    func yield(_ elements: [Element]) {
        guard !elements.isEmpty else { return }
        let continuations = state.withLock { Array($0.continuations.values) }
        for element in elements {
            for continuation in continuations { continuation.yield(element) }
        }
    }

    func finishAll() {
        let continuations = state.withLock { state in
            state.finished = true
            return Array(state.continuations.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
