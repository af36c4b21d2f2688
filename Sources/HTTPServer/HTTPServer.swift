import Durations
import Foundation
import Synchronization
import Wire

/// A small HTTP/1.1 server on 127.0.0.1: one thread per connection (keep-alive), whole, streamed and
/// WebSocket responses, bounded heads and bodies. Bad input gets 400/408/413/431 or a dropped connection;
/// it never stops the server from serving other clients. A head must arrive within a deadline, an
/// admission check can refuse a request before its body is read, and at the connection cap slow clients
/// are shed before good ones are turned away.
///
///     let server = try HTTPServer.start { request in .text("hello") }
///     print(server.port)
///     await server.stop()
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) async -> HTTPResponse

    public struct Configuration: Sendable {
        /// An IPv4 address; loopback by default, and nothing else is expected.
        public var host = "127.0.0.1"
        /// 0: any free port, read it from `port`.
        public var port: UInt16 = 0
        /// The request line plus headers; a longer head gets 431.
        public var maximumHeadLength = 65_536
        /// A longer body gets 413.
        public var maximumBodyLength = 256 << 20
        /// A longer WebSocket message closes the socket (1009); nil: `maximumBodyLength`.
        public var maximumWebSocketMessageLength: Int? = nil
        /// How long an idle keep-alive connection, or a client stalled mid-request, is kept.
        public var idleTimeout: Duration = .seconds(30)
        /// A write that cannot proceed this long (a client that stopped reading) fails, so a stalled
        /// client cannot hold a streaming producer forever.
        public var sendTimeout: Duration = .seconds(30)
        /// From the first byte of a request to the end of its head. A client that dribbles its head (slowloris)
        /// is answered 408 and dropped after this, however often it sends a byte.
        public var requestHeadTimeout: Duration = .seconds(10)
        /// Connections served at once. At the cap, a new client makes room by shedding the connection that
        /// has waited longest for its request or body (slow clients go before good ones); only when every
        /// connection is busy in a handler does the new one get 503.
        public var maximumConnections = 512
        /// Sees every request head before its body is read (see `RequestAdmission`); nil admits every
        /// body up to `maximumBodyLength`.
        public var admission: (@Sendable (HTTPRequest) -> RequestAdmission)? = nil
        /// How long a refusal of `admission` waits before it goes out: a server behind a slow network
        /// (the replica's `--latency`) answers its refusals late too. Handlers delay their own answers.
        public var refusalDelay: (@Sendable () -> Duration)? = nil

        public init() {}
    }

    public let configuration: Configuration
    /// The bound port (the chosen one when the configuration said 0).
    public let port: UInt16
    public var baseURL: String { "http://\(configuration.host):\(port)" }

    let handler: Handler
    private let listener: Socket
    private let state = Mutex(State())

    private struct State {
        var stopping = false
        var acceptLoopRunning = true
        var connections: [ObjectIdentifier: HTTPConnection] = [:]
        /// Shed to make room, their threads not yet finished: they no longer count against the cap.
        var shed: Set<ObjectIdentifier> = []
    }

    /// How many shed connections may still be winding down before new clients get 503 after all:
    /// bounds the threads a flood of new connections can have alive at once.
    private static let shedAllowance = 64

    private init(configuration: Configuration, listener: Socket, handler: @escaping Handler) {
        self.configuration = configuration
        self.listener = listener
        self.port = listener.localPort
        self.handler = handler
    }

    /// Binds and starts accepting. Throws the socket error when the port cannot be bound.
    public static func start(configuration: Configuration, handler: @escaping Handler) throws -> HTTPServer {
        let listener = try Socket.listen(host: configuration.host, port: configuration.port, backlog: 256)
        let server = HTTPServer(configuration: configuration, listener: listener, handler: handler)
        let thread = Thread { [server] in server.acceptLoop() }
        thread.name = "HTTPServer accept :\(server.port)"
        thread.start()
        return server
    }

    public static func start(port: UInt16 = 0, handler: @escaping Handler) throws -> HTTPServer {
        var configuration = Configuration()
        configuration.port = port
        return try start(configuration: configuration, handler: handler)
    }

    /// Connections being served right now.
    public var connectionCount: Int { state.withLock { $0.connections.count } }

    /// Stops accepting, ends every open connection (streams and WebSockets included) and waits up to
    /// `timeout` for their threads to finish.
    public func stop(timeout: Duration = .seconds(5)) async {
        let open = state.withLock { state -> [HTTPConnection] in
            state.stopping = true
            return Array(state.connections.values)
        }
        listener.shutdown()
        for connection in open { connection.abort() }
        let deadline = Deadline(after: timeout)
        while !deadline.hasPassed {
            let done = state.withLock { !$0.acceptLoopRunning && $0.connections.isEmpty }
            if done { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        listener.close()
    }

    private func acceptLoop() {
        defer { state.withLock { $0.acceptLoopRunning = false } }
        while true {
            let client: Socket
            do {
                client = try listener.accept()
            } catch {
                if state.withLock({ $0.stopping }) { return }
                // EMFILE and friends: back off instead of spinning, then keep serving.
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            let connection = HTTPConnection(socket: client, server: self)
            let admitted = state.withLock { state -> Bool in
                guard !state.stopping, makeRoom(&state) else { return false }
                state.connections[ObjectIdentifier(connection)] = connection
                return true
            }
            guard admitted else {
                Thread.detachNewThread { connection.refuse(status: 503) }
                continue
            }
            let thread = Thread { [connection] in
                connection.run()
                self.remove(connection)
            }
            thread.name = "HTTPServer connection"
            thread.start()
        }
    }

    /// True when one more connection fits, after shedding the longest-waiting one if the cap is reached.
    private func makeRoom(_ state: inout State) -> Bool {
        let maximum = configuration.maximumConnections
        guard state.connections.count - state.shed.count >= maximum else { return true }
        guard state.connections.count < maximum + Self.shedAllowance else { return false }
        let waiting = state.connections.filter { !state.shed.contains($0.key) }
            .compactMap { key, connection in connection.waitingSince.map { (key, connection, $0) } }
            .sorted { $0.2 < $1.2 }
        for (key, connection, since) in waiting where connection.shed(ifWaitingSince: since) {
            state.shed.insert(key)
            return true
        }
        return false
    }

    private func remove(_ connection: HTTPConnection) {
        state.withLock { state in
            let key = ObjectIdentifier(connection)
            state.connections.removeValue(forKey: key)
            state.shed.remove(key)
        }
    }
}
