import DevTools
import Foundation
import Synchronization

/// Answers every command at once from memory: what is left of a round trip is this library's own
/// cost (encoding, routing, the hop back to the caller), with no browser in the way.
final class EchoTransport: DevToolsTransport {
    private let replies = Mutex<[[UInt8]]>([])
    private let available = DispatchSemaphore(value: 0)
    private let closed = Atomic<Bool>(false)

    func send(_ message: String) throws {
        // The id is the first member: {"id":N,...
        let digits = message.utf8.dropFirst(6).prefix { $0 >= 0x30 && $0 <= 0x39 }
        let reply = Array(#"{"id":"#.utf8) + digits + Array(#","result":{"result":{"type":"number","value":2,"description":"2"}}}"#.utf8)
        replies.withLock { $0.append(reply) }
        available.signal()
    }

    func receive() throws -> [UInt8]? {
        available.wait()
        if closed.load(ordering: .acquiring) { return nil }
        return replies.withLock { $0.removeFirst() }
    }

    func close() {
        closed.store(true, ordering: .releasing)
        available.signal()
    }
}
