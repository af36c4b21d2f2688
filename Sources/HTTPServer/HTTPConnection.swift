import Foundation
import Glibc
import Synchronization
import Durations
import Wire

/// One accepted client: reads requests in a loop (keep-alive), runs the handler, writes responses.
final class HTTPConnection: Sendable {
    let socket: Socket
    private let server: HTTPServer
    /// The handler or stream producer in flight, cancelled when the server stops.
    private let work = Mutex<Task<Void, Never>?>(nil)
    /// Guards the socket's end: once closed, its descriptor number may belong to another socket at once,
    /// so `abort` must never touch it after that. The phase lives here too, so a connection is shed only
    /// while it waits, never once its handler has started.
    private let lifecycle = Mutex(Lifecycle())

    enum Phase {
        /// Idle between requests, or receiving a request's head or body: sheddable.
        case waiting
        /// Running the handler or writing its response.
        case serving
    }

    private struct Lifecycle {
        var aborted = false
        var closed = false
        var phase = Phase.waiting
        var phaseSince = ContinuousClock.now
    }

    init(socket: Socket, server: HTTPServer) {
        self.socket = socket
        self.server = server
    }

    var configuration: HTTPServer.Configuration { server.configuration }

    /// Wakes a blocked read and cancels the work in flight; `run` then returns.
    func abort() {
        lifecycle.withLock { state in
            state.aborted = true
            if !state.closed { socket.shutdown() }
        }
        work.withLock { $0?.cancel() }
    }

    var isAborted: Bool { lifecycle.withLock { $0.aborted } }

    /// Since when the connection has been waiting for (or receiving) a request; nil while it serves one.
    var waitingSince: ContinuousClock.Instant? {
        lifecycle.withLock { state in
            state.phase == .waiting && !state.aborted && !state.closed ? state.phaseSince : nil
        }
    }

    /// Ends the connection to make room for another, if it is still waiting as it was at `since`.
    func shed(ifWaitingSince since: ContinuousClock.Instant) -> Bool {
        lifecycle.withLock { state in
            guard state.phase == .waiting, state.phaseSince == since, !state.aborted, !state.closed else { return false }
            state.aborted = true
            socket.shutdown()
            return true
        }
    }

    /// False when the connection was shed or aborted meanwhile: then it must not go on.
    private func enter(_ phase: Phase) -> Bool {
        lifecycle.withLock { state in
            guard !state.aborted else { return false }
            state.phase = phase
            state.phaseSince = .now
            return true
        }
    }

    private func closeSocket() {
        lifecycle.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            socket.shutdown()
            socket.close()
        }
    }

    func refuse(status: Int) {
        writeError(status: status, reason: "server busy")
        closeSocket()
    }

    func run() {
        defer { closeSocket() }
        try? socket.setReceiveTimeout(configuration.idleTimeout)
        setSendTimeout(configuration.sendTimeout)
        let reader = ConnectionReader(socket: socket)
        while enter(.waiting) {
            guard let request = readRequest(reader), enter(.serving) else { return }
            let keepAlive = Self.wantsKeepAlive(request)
            let response = runBlocking { [server] in await server.handler(request) }
            guard send(response, to: request, keepAlive: keepAlive, reader: reader), keepAlive else { return }
        }
    }

    private func setSendTimeout(_ timeout: Duration) {
        let (seconds, microseconds) = timeout.inSecondsAndMicroseconds
        var value = timeval(tv_sec: seconds, tv_usec: microseconds)
        _ = setsockopt(socket.descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func wantsKeepAlive(_ request: HTTPRequest) -> Bool {
        if request.headers.hasToken("close", in: "Connection") { return false }
        if request.version == "HTTP/1.0" { return request.headers.hasToken("keep-alive", in: "Connection") }
        return true
    }

    // MARK: Writing

    /// Writes the response; false when the connection cannot carry another request.
    private func send(_ response: HTTPResponse, to request: HTTPRequest, keepAlive: Bool, reader: ConnectionReader) -> Bool {
        switch response.body {
        case .bytes(let bytes):
            var headers = response.headers
            let bodyAllowed = !(100..<200).contains(response.status) && response.status != 204 && response.status != 304
            if bodyAllowed, !headers.contains("Content-Length") { headers.set("Content-Length", String(bytes.count)) }
            let head = Self.head(status: response.status, headers: headers, keepAlive: keepAlive)
            let payload = head + (request.isHead || !bodyAllowed ? [] : bytes)
            return (try? socket.write(payload)) != nil
        case .stream(let produce):
            let chunked = request.version == "HTTP/1.1"
            var headers = response.headers
            headers.remove("Content-Length")
            if chunked { headers.set("Transfer-Encoding", "chunked") }
            // An HTTP/1.0 stream ends by closing the connection.
            let reusable = keepAlive && chunked
            guard (try? socket.write(Self.head(status: response.status, headers: headers, keepAlive: reusable))) != nil else {
                return false
            }
            if request.isHead { return reusable }
            let writer = HTTPStreamWriter(socket: socket, chunked: chunked)
            runBlocking { try? await produce(writer) }
            // After this no write reaches the socket, even from a task the producer left behind.
            return writer.finish() && reusable
        case .webSocket(let handler):
            upgrade(request, headers: response.headers, handler: handler, reader: reader)
            return false
        }
    }

    /// Answers 101, then runs the handler on this thread beside a frame reader until both are done.
    private func upgrade(
        _ request: HTTPRequest, headers extra: HTTPHeaders, handler: @escaping @Sendable (ServerWebSocket) async -> Void,
        reader: ConnectionReader
    ) {
        if let refusal = ServerWebSocket.refusal(of: request) {
            var headers = HTTPHeaders()
            if refusal.status == 426 { headers.add("Sec-WebSocket-Version", "13") }
            headers.add("Content-Type", "text/plain; charset=utf-8")
            let body = Array(refusal.reason.utf8)
            headers.add("Content-Length", String(body.count))
            try? socket.write(Self.head(status: refusal.status, headers: headers, keepAlive: false) + body)
            return
        }
        var headers = extra
        headers.set("Upgrade", "websocket")
        headers.set("Connection", "Upgrade")
        headers.set("Sec-WebSocket-Accept", WebSocketHandshake.acceptValue(forKey: request.headers["Sec-WebSocket-Key"]!))
        guard (try? socket.write(Self.head(status: 101, headers: headers, keepAlive: false))) != nil else { return }
        let webSocket = ServerWebSocket(request: request, socket: socket)
        // Frames are read on a thread of their own, so this thread is free to run the handler.
        let readerEnded = Mutex(false)
        let readerDone = DispatchSemaphore(value: 0)
        let leftover = reader.buffered
        let maximumMessageSize = configuration.maximumWebSocketMessageLength ?? configuration.maximumBodyLength
        Thread.detachNewThread { [self] in
            webSocket.readLoop(leftover: leftover, maximumMessageSize: maximumMessageSize)
            readerEnded.withLock { $0 = true }
            work.withLock { $0?.cancel() }
            readerDone.signal()
        }
        OwnThreadExecutor.run({ [socket] in
            await handler(webSocket)
            // The handler is done with the connection: start the closing handshake if nobody has, give
            // the client a moment to answer, then wake the reader. All before the reader is joined, so
            // the socket is never touched after this thread closes it.
            webSocket.close()
            let deadline = Deadline(after: .seconds(2))
            while !webSocket.isFinished, !deadline.hasPassed {
                if (try? await Task.sleep(for: .milliseconds(10))) == nil { break }
            }
            if !webSocket.isFinished { socket.shutdown() }
        }, started: { task in
            work.withLock { $0 = task }
            if isAborted || readerEnded.withLock({ $0 }) { task.cancel() }
        })
        work.withLock { $0 = nil }
        readerDone.wait()
        webSocket.detach()
    }

    static func head(status: Int, headers: HTTPHeaders, keepAlive: Bool) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(HTTPStatus.reason(status))\r\n"
        for field in headers { text += "\(field.name): \(field.value)\r\n" }
        if !headers.contains("Date") { text += "Date: \(HTTPDate.now())\r\n" }
        if status != 101, !headers.contains("Connection") { text += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// A plain-text error; the connection closes after it.
    func writeError(status: Int, reason: String) {
        writeFinal(.text("\(HTTPStatus.reason(status)): \(reason)\n", status: status))
    }

    /// A whole answer after which the connection closes, whatever of the request is still unread.
    func writeFinal(_ response: HTTPResponse) {
        guard case .bytes(let body) = response.body else {
            writeError(status: 500, reason: "a final answer must have a whole body")
            return
        }
        var headers = response.headers
        headers.set("Content-Length", String(body.count))
        guard (try? socket.write(Self.head(status: response.status, headers: headers, keepAlive: false) + body)) != nil else { return }
        lingerAfterError()
    }

    /// Closing with unread input makes the kernel send a reset, which can destroy the error answer
    /// before the client reads it. Half-close, then discard what the client is still sending, bounded in
    /// bytes and in time (a client trickling a byte now and then would otherwise hold the thread forever).
    private func lingerAfterError() {
        socket.shutdownWrite()
        try? socket.setReceiveTimeout(.milliseconds(200))
        let deadline = Deadline(after: .seconds(2))
        var discarded = 0
        while discarded < 32 << 20, !deadline.hasPassed, let chunk = try? socket.read(maxBytes: 65_536), !chunk.isEmpty {
            discarded += chunk.count
        }
    }

    /// Runs async work to completion on this connection's own thread (see `OwnThreadExecutor`),
    /// cancelled when the connection is aborted.
    func runBlocking<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T {
        defer { work.withLock { $0 = nil } }
        return OwnThreadExecutor.run(operation) { task in
            work.withLock { $0 = task }
            if isAborted { task.cancel() }
        }
    }
}
