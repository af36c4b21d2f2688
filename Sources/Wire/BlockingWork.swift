import Foundation

/// Runs blocking socket calls on a thread of their own: the cooperative pool has only as many threads as
/// cores (two here), and a blocked pool thread stalls every task in the process.
enum BlockingWork {
    static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = name
            thread.start()
        }
    }
}
