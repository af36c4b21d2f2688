import Durations

/// A connected stream of bytes: a plain `Socket` or a `TLSStream` over one. The HTTP and WebSocket
/// clients are written against this, so `http`/`ws` and `https`/`wss` share every line above the bytes.
///
/// The same contract as `Socket`: one thread may read while another writes; `shutdown()` from any
/// thread wakes a blocked reader; `close()` only once no call is in flight.
public protocol ByteStream: AnyObject, Sendable {
    /// What the stream is connected to, for error messages.
    var endpoint: String { get }
    /// Reads what is available (at least one byte, blocking until then). Returns 0 at end of stream.
    /// An expired receive timeout throws a `SocketError` whose `isTimeout` is true.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Writes every byte of `buffer`.
    func write(_ buffer: UnsafeRawBufferPointer) throws
    /// Bounds each later `read`; `nil` waits forever.
    func setReceiveTimeout(_ timeout: Duration?) throws
    /// Ends both directions: the peer sees end of stream and a blocked local `read` returns.
    func shutdown()
    /// Releases the connection. Safe to call more than once.
    func close()
}

extension ByteStream {
    /// Reads up to `maxBytes`; an empty array means end of stream.
    public func read(maxBytes: Int) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: maxBytes) { buffer, initialized in
            initialized = try read(into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// Writes every byte, looping over partial writes. A vanished peer is an error, not a SIGPIPE.
    public func write(_ bytes: some Collection<UInt8>) throws {
        let done: Void? = try bytes.withContiguousStorageIfAvailable { try write(UnsafeRawBufferPointer($0)) }
        if done == nil { try Array(bytes).withUnsafeBytes { try write($0) } }
    }
}

extension Socket: ByteStream {}

extension EndpointURL {
    /// Whether the scheme asks for TLS.
    var isSecure: Bool { scheme == "https" || scheme == "wss" }

    /// A connection to this endpoint: TCP, then a verified TLS handshake for `https`/`wss`. The whole
    /// connect is bounded by `timeout`.
    func connect(tls: TLSOptions, timeout: Duration) throws -> any ByteStream {
        // A machine without OpenSSL hears that first, with the install line, not a connect error.
        if isSecure { _ = try OpenSSLLibrary.shared() }
        let deadline = Deadline(after: timeout)
        let socket = try Socket.connect(host: host, port: port, timeout: timeout)
        guard isSecure else { return socket }
        do {
            return try TLSStream(over: socket, serverName: host, options: tls, deadline: deadline)
        } catch {
            socket.close()
            throw error
        }
    }
}
