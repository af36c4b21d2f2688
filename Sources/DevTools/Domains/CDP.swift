import Foundation
import JSONCore

/// Typed commands, results and events of the domains this tool uses. Anything else goes through
/// `send(_ method:_ params:)` with JSON. Optional fields left nil are not sent.
public enum CDP {}

/// An event payload that knows its method name.
public protocol CDPEventPayload: Decodable, Sendable {
    static var method: String { get }
}

extension CDPEvent {
    /// Decodes the params as `E`; throws when the method differs or the shape does not fit.
    public func decode<E: CDPEventPayload>(_ type: E.Type) throws -> E {
        guard method == E.method else {
            throw DevToolsError.invalidMessage("event \(method) is not \(E.method)")
        }
        do {
            return try JSONDecoder().decode(E.self, from: params.serializedData())
        } catch {
            throw DevToolsError.invalidMessage("event \(method) does not fit \(E.self): \(error)")
        }
    }
}

extension CDPSession {
    /// This session's events of one typed kind; events that do not decode are skipped.
    public func events<E: CDPEventPayload>(_ type: E.Type) -> AsyncStream<E> {
        let raw = events([E.method])
        return AsyncStream(E.self, bufferingPolicy: .unbounded) { continuation in
            let task = Task {
                for await event in raw {
                    if let decoded = try? event.decode(E.self) { continuation.yield(decoded) }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
