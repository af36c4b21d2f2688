import Foundation

/// Runs blocking socket work on a thread of its own (never on the cooperative pool, which it would
/// block) and hands its result back to async code.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) -> Task<T, any Error> {
    Task {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}
