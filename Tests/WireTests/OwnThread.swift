import Foundation

/// Runs blocking socket work on a thread of its own, started at once (never on the cooperative pool,
/// which has one thread per core and may be busy with other tests), and hands its result to async code.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) -> Task<T, any Error> {
    let (results, continuation) = AsyncThrowingStream.makeStream(of: T.self)
    Thread.detachNewThread {
        do {
            continuation.yield(try body())
            continuation.finish()
        } catch {
            continuation.finish(throwing: error)
        }
    }
    return Task {
        for try await result in results { return result }
        throw CancellationError()
    }
}
