import Synchronization
import Wire

/// The writing end of a streaming response (SSE, NDJSON). Each `write` goes out at once as one chunk.
/// A write after the client left throws, which is how a producer learns to stop.
public final class HTTPStreamWriter: Sendable {
    public struct ClosedError: Error, CustomStringConvertible {
        public var description: String { "the client closed the streaming response" }
    }

    private let socket: Socket
    private let chunked: Bool
    private let closed = Mutex(false)

    init(socket: Socket, chunked: Bool) {
        self.socket = socket
        self.chunked = chunked
    }

    public var isClosed: Bool { closed.withLock { $0 } }

    public func write(_ bytes: some Collection<UInt8>) throws {
        guard !bytes.isEmpty else { return }
        try closed.withLock { isClosed in
            guard !isClosed else { throw ClosedError() }
            do {
                if chunked {
                    var frame = Array(String(bytes.count, radix: 16).utf8) + [0x0D, 0x0A]
                    frame.append(contentsOf: bytes)
                    frame += [0x0D, 0x0A]
                    try socket.write(frame)
                } else {
                    try socket.write(bytes)
                }
            } catch {
                isClosed = true
                throw ClosedError()
            }
        }
    }

    public func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    /// Writes the last chunk; true when the response ended cleanly and the connection can be reused.
    func finish() -> Bool {
        closed.withLock { isClosed in
            guard !isClosed else { return false }
            isClosed = true
            guard chunked else { return false }
            return (try? socket.write(Array("0\r\n\r\n".utf8))) != nil
        }
    }
}
