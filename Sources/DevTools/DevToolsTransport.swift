/// A message channel to a browser. The connection calls `receive()` from one dedicated reader
/// thread only, and `send(_:)` from any thread.
public protocol DevToolsTransport: Sendable {
    /// Writes one whole message (a JSON text). Concurrent callers must not interleave.
    func send(_ message: String) throws
    /// Blocks until the next whole message arrives; nil once the peer closed the channel.
    func receive() throws -> [UInt8]?
    /// Stops sending; the peer then closes its side, which ends `receive()`.
    func close()
}
