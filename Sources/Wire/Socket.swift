import Glibc
import Synchronization
import Durations

/// A connected or listening TCP socket over Glibc.
///
/// Thread safety: one thread may read while another writes (the kernel allows it); `shutdown()` from
/// any thread wakes a blocked reader. `close()` is idempotent; close only once no call is in flight,
/// because a closed descriptor number can be reused by the process at once.
public final class Socket: Sendable {
    /// The file descriptor; -1 after `close()`.
    public var descriptor: Int32 { fd.load(ordering: .acquiring) }
    /// What this socket is connected or bound to, for error messages.
    public let endpoint: String

    private let fd: Atomic<Int32>

    init(descriptor: Int32, endpoint: String) {
        _ = Socket.ignoreBrokenPipeSignal
        self.fd = Atomic(descriptor)
        self.endpoint = endpoint
    }

    deinit {
        let descriptor = fd.exchange(-1, ordering: .acquiringAndReleasing)
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// A peer that went away must surface as an error from `write`, never kill the process.
    private static let ignoreBrokenPipeSignal: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    // MARK: Connecting

    /// Connects to `host:port` (a numeric address or a name resolved with getaddrinfo), trying each
    /// address in turn, each bounded by `timeout`. The socket has TCP_NODELAY set.
    public static func connect(host: String, port: UInt16, timeout: Duration) throws -> Socket {
        let target = "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = status == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(status))
            throw SocketError(operation: "getaddrinfo", code: status, reason: reason, target: target)
        }
        defer { freeaddrinfo(list) }

        var lastError = SocketError(operation: "connect", code: 0, reason: "no address", target: target)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            do {
                return try connect(to: info.pointee, timeout: timeout, target: target)
            } catch let error as SocketError {
                lastError = error
            }
            entry = info.pointee.ai_next
        }
        throw lastError
    }

    private static func connect(to info: addrinfo, timeout: Duration, target: String) throws -> Socket {
        let descriptor = Glibc.socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.ai_protocol)
        guard descriptor >= 0 else { throw SocketError.system("socket", target: target) }
        let socket = Socket(descriptor: descriptor, endpoint: target)

        // Non-blocking connect, then poll, so the timeout bounds the whole attempt.
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        if Glibc.connect(descriptor, info.ai_addr, info.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { throw SocketError.system("connect", target: target) }
            var pollEntry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let deadline = Deadline(after: timeout)
            while true {
                let ready = poll(&pollEntry, 1, deadline.pollMilliseconds)
                if ready > 0 { break }
                if ready == 0 {
                    throw SocketError(operation: "connect", code: ETIMEDOUT,
                                      reason: "no connection within \(timeout)", target: target)
                }
                if errno != EINTR { throw SocketError.system("poll", target: target) }
            }
            var pending: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &pending, &length)
            if pending != 0 { throw SocketError.system("connect", target: target, errno: pending) }
        }
        _ = fcntl(descriptor, F_SETFL, flags)
        try socket.setNoDelay()
        return socket
    }

    // MARK: Listening

    /// A listening socket bound to `host` (an IPv4 address) and `port` (0: the kernel picks; see `localPort`).
    public static func listen(host: String = "127.0.0.1", port: UInt16 = 0, backlog: Int32 = 128) throws -> Socket {
        let target = "\(host):\(port)"
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw SocketError(operation: "inet_pton", code: EINVAL, reason: "not an IPv4 address", target: target)
        }
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError.system("socket", target: target) }
        let socket = Socket(descriptor: descriptor, endpoint: target)
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw SocketError.system("bind", target: target) }
        guard Glibc.listen(descriptor, backlog) == 0 else { throw SocketError.system("listen", target: target) }
        return socket
    }

    /// The local port (useful after `listen(port: 0)`); 0 if it cannot be read.
    public var localPort: UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return status == 0 ? UInt16(bigEndian: address.sin_port) : 0
    }

    /// Waits for the next connection. The accepted socket has TCP_NODELAY set.
    public func accept() throws -> Socket {
        while true {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.accept(descriptor, $0, &length)
                }
            }
            if client >= 0 {
                // accept4 is not visible through the Glibc module; a spawned browser must not inherit it.
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                let socket = Socket(descriptor: client, endpoint: "peer of \(endpoint)")
                try? socket.setNoDelay()
                return socket
            }
            if errno != EINTR { throw SocketError.system("accept", target: endpoint) }
        }
    }

    // MARK: Options

    /// Sends small writes at once (no Nagle delay): DevTools messages are small and latency-bound.
    public func setNoDelay() throws {
        var one: Int32 = 1
        guard setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SocketError.system("setsockopt(TCP_NODELAY)", target: endpoint)
        }
    }

    /// Bounds each blocking read; an expired read throws a `SocketError` whose `isTimeout` is true.
    /// `nil` waits forever.
    public func setReceiveTimeout(_ timeout: Duration?) throws {
        var value = timeval()
        if let timeout {
            let (seconds, microseconds) = timeout.inSecondsAndMicroseconds
            value.tv_sec = seconds
            value.tv_usec = microseconds
            if value.tv_sec == 0 && value.tv_usec == 0 { value.tv_usec = 1 }  // 0 would mean "forever"
        }
        guard setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw SocketError.system("setsockopt(SO_RCVTIMEO)", target: endpoint)
        }
    }

    // MARK: Reading and writing

    /// Reads what is available (at least one byte, blocking until then). Returns 0 at end of stream.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = recv(descriptor, base, buffer.count, 0)
            if count >= 0 { return count }
            if errno != EINTR { throw SocketError.system("recv", target: endpoint) }
        }
    }

    /// Writes every byte of `buffer`.
    public func write(_ buffer: UnsafeRawBufferPointer) throws {
        guard var next = buffer.baseAddress else { return }
        var remaining = buffer.count
        while remaining > 0 {
            let count = send(descriptor, next, remaining, Int32(MSG_NOSIGNAL))
            if count < 0 {
                if errno == EINTR { continue }
                throw SocketError.system("send", target: endpoint)
            }
            next += count
            remaining -= count
        }
    }

    // MARK: Ending

    /// Ends both directions: the peer sees end of stream and a blocked local `read` returns 0.
    public func shutdown() {
        let current = descriptor
        if current >= 0 { _ = Glibc.shutdown(current, Int32(SHUT_RDWR)) }
    }

    /// Ends sending only: the peer sees end of stream; reading still works.
    public func shutdownWrite() {
        let current = descriptor
        if current >= 0 { _ = Glibc.shutdown(current, Int32(SHUT_WR)) }
    }

    /// Releases the descriptor. Safe to call more than once.
    public func close() {
        let current = fd.exchange(-1, ordering: .acquiringAndReleasing)
        if current >= 0 { Glibc.close(current) }
    }
}

