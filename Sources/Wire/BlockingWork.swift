import Foundation

/// Runs blocking work (socket calls, file hashing, a child process's pipes) on a thread of its own: the
/// cooperative pool has only as many threads as cores (two here), and a blocked pool thread stalls every
/// task in the process.
public enum BlockingWork {
    public static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = name
            thread.start()
        }
    }
}
