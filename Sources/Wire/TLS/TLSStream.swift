import Glibc
import Synchronization
import Durations

/// A TLS client connection over a connected `Socket`, with the system's OpenSSL (`OpenSSLLibrary`).
///
/// Threads: the DevTools transport reads on one thread while others send, and OpenSSL forbids two calls
/// on one SSL object at once. So the descriptor is non-blocking, every OpenSSL call runs under one lock and
/// returns at once, and the waiting (for bytes to arrive, or for room to send) happens in `poll` outside
/// the lock. A reader waiting for the peer never holds up a writer, and `shutdown()` of the descriptor
/// wakes a waiting `poll` as it wakes a blocked `recv`.
final class TLSStream: ByteStream {
    public var endpoint: String { socket.endpoint }

    private let socket: Socket
    private let library: OpenSSLLibrary
    private let connection: Mutex<Connection>
    /// One writer at a time: after SSL_write asks to wait, it must be called again with the same bytes.
    private let writers = Mutex(())
    private let receiveTimeout = Mutex<Duration?>(nil)

    /// The OpenSSL objects; touched only under `connection`'s lock.
    private struct Connection {
        var ssl: OpaquePointer?
        var context: OpaquePointer?
        /// After a fatal error OpenSSL allows no further call but SSL_free.
        var failed = false
        var closeNotifySent = false
    }

    /// What one OpenSSL call came to.
    private enum Outcome {
        case done(Int)
        case wait(events: Int16)
        case failed(SocketError)
    }

    /// Connects TLS over `socket` (already connected): SNI and, unless `options` turn verification off,
    /// the certificate chain against the system's store (and `options.caFile`) and its match with
    /// `serverName`. TLS 1.2 at least. The handshake ends by `deadline`.
    init(over socket: Socket, serverName: String, options: TLSOptions, deadline: Deadline) throws {
        let library = try OpenSSLLibrary.shared()
        self.socket = socket
        self.library = library
        let (ssl, context) = try Self.handshake(socket, serverName: serverName, options: options, deadline: deadline, library: library)
        connection = Mutex(Connection(ssl: ssl, context: context))
    }

    deinit { close() }

    // MARK: Handshake

    private static func handshake(
        _ socket: Socket, serverName: String, options: TLSOptions, deadline: Deadline, library: OpenSSLLibrary
    ) throws -> (ssl: OpaquePointer, context: OpaquePointer) {
        let server = socket.endpoint
        library.ERR_clear_error()
        guard let context = library.SSL_CTX_new(library.TLS_client_method()) else {
            throw TLSError.handshakeFailed(server: server, reason: "SSL_CTX_new: \(library.drainErrors())")
        }
        var ssl: OpaquePointer?
        var succeeded = false
        defer {
            if !succeeded {
                library.SSL_free(ssl)
                library.SSL_CTX_free(context)
            }
        }
        _ = library.SSL_CTX_ctrl(context, OpenSSLLibrary.SSL_CTRL_SET_MIN_PROTO_VERSION, OpenSSLLibrary.TLS1_2_VERSION, nil)
        _ = library.SSL_CTX_ctrl(context, OpenSSLLibrary.SSL_CTRL_MODE, OpenSSLLibrary.SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, nil)
        _ = library.SSL_CTX_set_options(context, OpenSSLLibrary.SSL_OP_IGNORE_UNEXPECTED_EOF)
        if options.verifiesPeer {
            guard library.SSL_CTX_set_default_verify_paths(context) == 1 else {
                throw TLSError.handshakeFailed(server: server, reason: "cannot use the system's CA store: \(library.drainErrors())")
            }
            if let caFile = options.caFile, library.SSL_CTX_load_verify_locations(context, caFile, nil) != 1 {
                throw TLSError.unreadableCAFile(path: caFile, reason: library.drainErrors())
            }
            library.SSL_CTX_set_verify(context, OpenSSLLibrary.SSL_VERIFY_PEER, nil)
        } else {
            library.SSL_CTX_set_verify(context, OpenSSLLibrary.SSL_VERIFY_NONE, nil)
        }
        ssl = library.SSL_new(context)
        guard let ssl, library.SSL_set_fd(ssl, socket.descriptor) == 1 else {
            throw TLSError.handshakeFailed(server: server, reason: "SSL_new: \(library.drainErrors())")
        }
        let isAddress = Self.isIPAddress(serverName)
        // SNI carries host names only (RFC 6066 section 3).
        if !isAddress {
            _ = serverName.withCString {
                library.SSL_ctrl(ssl, OpenSSLLibrary.SSL_CTRL_SET_TLSEXT_HOSTNAME, OpenSSLLibrary.TLSEXT_NAMETYPE_host_name, UnsafeMutableRawPointer(mutating: $0))
            }
        }
        if options.verifiesPeer {
            let named = isAddress
                ? library.X509_VERIFY_PARAM_set1_ip_asc(library.SSL_get0_param(ssl), serverName)
                : library.SSL_set1_host(ssl, serverName)
            guard named == 1 else {
                throw TLSError.handshakeFailed(server: server, reason: "cannot check the certificate against \(serverName): \(library.drainErrors())")
            }
        }
        let flags = fcntl(socket.descriptor, F_GETFL)
        guard flags >= 0, fcntl(socket.descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw SocketError.system("fcntl(O_NONBLOCK)", target: server)
        }

        while true {
            library.ERR_clear_error()
            errno = 0
            let result = library.SSL_connect(ssl)
            if result == 1 { break }
            let code = library.SSL_get_error(ssl, result)
            let events: Int16
            switch code {
            case OpenSSLLibrary.SSL_ERROR_WANT_READ: events = Int16(POLLIN)
            case OpenSSLLibrary.SSL_ERROR_WANT_WRITE: events = Int16(POLLOUT)
            case OpenSSLLibrary.SSL_ERROR_SYSCALL:
                let error = errno
                throw TLSError.handshakeFailed(
                    server: server,
                    reason: error == 0
                        ? "the server closed the connection during the handshake (is this a TLS port?)"
                        : String(cString: strerror(error)))
            default:
                throw handshakeFailure(ssl, server: server, serverName: serverName, options: options, library: library)
            }
            guard try waitForDescriptor(socket.descriptor, events: events, until: deadline) else {
                throw TLSError.handshakeFailed(server: server, reason: "no complete TLS handshake within the connect timeout")
            }
        }
        succeeded = true
        return (ssl, context)
    }

    /// Names a failed handshake: the certificate's chain, its name, or anything else OpenSSL reported.
    private static func handshakeFailure(
        _ ssl: OpaquePointer, server: String, serverName: String, options: TLSOptions, library: OpenSSLLibrary
    ) -> TLSError {
        let queued = library.drainErrors()
        let verifyResult = library.SSL_get_verify_result(ssl)
        if options.verifiesPeer && verifyResult != OpenSSLLibrary.X509_V_OK {
            if verifyResult == OpenSSLLibrary.X509_V_ERR_HOSTNAME_MISMATCH || verifyResult == OpenSSLLibrary.X509_V_ERR_IP_ADDRESS_MISMATCH {
                return .nameMismatch(server: server, name: serverName)
            }
            let reason = library.X509_verify_cert_error_string(verifyResult).map { String(cString: $0) } ?? "verify error \(verifyResult)"
            return .certificateNotVerified(server: server, reason: reason)
        }
        if queued.contains("wrong version number") || queued.contains("packet length too long") {
            return .handshakeFailed(server: server, reason: "the server did not answer in TLS (a plain http:// or ws:// port?): \(queued)")
        }
        return .handshakeFailed(server: server, reason: queued.isEmpty ? "OpenSSL gave no reason" : queued)
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
    }

    // MARK: Reading and writing

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let deadline = receiveTimeout.withLock { $0 }.map { Deadline(after: $0) }
        let length = Int32(clamping: buffer.count)
        let library = library
        while true {
            switch call("SSL_read", { library.SSL_read($0, base, length) }) {
            case .done(let count): return count
            case .failed(let error): throw error
            case .wait(let events):
                guard try Self.waitForDescriptor(try liveDescriptor(), events: events, until: deadline) else {
                    throw SocketError(operation: "SSL_read", code: EAGAIN, reason: "no data within the receive timeout", target: endpoint)
                }
            }
        }
    }

    public func write(_ buffer: UnsafeRawBufferPointer) throws {
        guard let base = buffer.baseAddress else { return }
        let library = library
        try writers.withLock { _ in
            var offset = 0
            while offset < buffer.count {
                // The same offset gives the same length: a retry repeats the call that asked to wait.
                let length = Int32(min(buffer.count - offset, 1 << 24))
                let next = base + offset
                switch call("SSL_write", { library.SSL_write($0, next, length) }) {
                case .done(0):
                    throw SocketError(operation: "SSL_write", code: EPIPE, reason: "the peer closed the TLS connection", target: endpoint)
                case .done(let count): offset += count
                case .failed(let error): throw error
                case .wait(let events): _ = try Self.waitForDescriptor(try liveDescriptor(), events: events, until: nil)
                }
            }
        }
    }

    public func setReceiveTimeout(_ timeout: Duration?) throws {
        receiveTimeout.withLock { $0 = timeout }
    }

    /// One OpenSSL call under the lock, and what it came to. It never blocks: the descriptor is non-blocking.
    private func call(_ name: String, _ body: (OpaquePointer) -> Int32) -> Outcome {
        let library = library
        let endpoint = endpoint
        return connection.withLock { connection -> Outcome in
            guard let ssl = connection.ssl else {
                return .failed(SocketError(operation: name, code: EBADF, reason: "the TLS connection is closed", target: endpoint))
            }
            guard !connection.failed else {
                return .failed(SocketError(operation: name, code: 0, reason: "the TLS connection failed earlier", target: endpoint))
            }
            library.ERR_clear_error()
            errno = 0
            let result = body(ssl)
            if result > 0 { return .done(Int(result)) }
            switch library.SSL_get_error(ssl, result) {
            case OpenSSLLibrary.SSL_ERROR_WANT_READ: return .wait(events: Int16(POLLIN))
            case OpenSSLLibrary.SSL_ERROR_WANT_WRITE: return .wait(events: Int16(POLLOUT))
            // The peer's close_notify, or (SSL_OP_IGNORE_UNEXPECTED_EOF) the TCP connection's end.
            case OpenSSLLibrary.SSL_ERROR_ZERO_RETURN: return .done(0)
            case OpenSSLLibrary.SSL_ERROR_SYSCALL:
                let error = errno
                connection.failed = true
                if error == 0 { return .done(0) }
                return .failed(SocketError.system(name, target: endpoint, errno: error))
            default:
                connection.failed = true
                let reason = library.drainErrors()
                return .failed(SocketError(operation: name, code: 0, reason: reason.isEmpty ? "TLS protocol error" : reason, target: endpoint))
            }
        }
    }

    private func liveDescriptor() throws -> Int32 {
        let descriptor = socket.descriptor
        guard descriptor >= 0 else { throw SocketError(operation: "poll", code: EBADF, reason: "the TLS connection is closed", target: endpoint) }
        return descriptor
    }

    /// Waits until `descriptor` is ready for `events` (or hung up, or failed); false once `deadline` passed.
    private static func waitForDescriptor(_ descriptor: Int32, events: Int16, until deadline: Deadline?) throws -> Bool {
        var entry = pollfd(fd: descriptor, events: events, revents: 0)
        while true {
            var milliseconds: Int32 = -1
            if let deadline {
                let remaining = deadline.remaining
                guard remaining > .zero else { return false }
                milliseconds = Int32(clamping: remaining.inMillisecondsRoundedUp)
            }
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return true }
            if ready == 0 { continue }  // the deadline's turn: the check above ends the wait
            if errno != EINTR { throw SocketError.system("poll", target: "descriptor \(descriptor)") }
        }
    }

    // MARK: Ending

    /// Sends close_notify (at most once, never waiting), then ends both directions of the descriptor,
    /// which wakes a reader waiting in `poll`.
    public func shutdown() {
        sendCloseNotify()
        socket.shutdown()
    }

    public func close() {
        sendCloseNotify()
        let (ssl, context) = connection.withLock { connection in
            defer { (connection.ssl, connection.context) = (nil, nil) }
            return (connection.ssl, connection.context)
        }
        if ssl != nil { library.SSL_free(ssl) }
        if context != nil { library.SSL_CTX_free(context) }
        socket.close()
    }

    private func sendCloseNotify() {
        let library = library
        connection.withLock { connection in
            guard let ssl = connection.ssl, !connection.failed, !connection.closeNotifySent else { return }
            connection.closeNotifySent = true
            library.ERR_clear_error()
            _ = library.SSL_shutdown(ssl)
            library.ERR_clear_error()
        }
    }
}
