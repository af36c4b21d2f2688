import Foundation
import Glibc
import Synchronization

/// One accepted client: reads requests in a loop (keep-alive), runs the handler, writes responses.
final class HTTPConnection: Sendable {
    let socket: Socket
    private let server: HTTPServer
    /// The handler or stream producer in flight, cancelled when the server stops.
    private let work = Mutex<Task<Void, Never>?>(nil)
    /// Guards the socket's end: once closed, its descriptor number may belong to another socket at once,
    /// so `abort` must never touch it after that.
    private let lifecycle = Mutex((aborted: false, closed: false))

    init(socket: Socket, server: HTTPServer) {
        self.socket = socket
        self.server = server
    }

    private var configuration: HTTPServer.Configuration { server.configuration }

    /// Wakes a blocked read and cancels the work in flight; `run` then returns.
    func abort() {
        lifecycle.withLock { state in
            state.aborted = true
            if !state.closed { socket.shutdown() }
        }
        work.withLock { $0?.cancel() }
    }

    private var isAborted: Bool { lifecycle.withLock { $0.aborted } }

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
        while !isAborted {
            guard let request = readRequest(reader) else { return }
            let keepAlive = Self.wantsKeepAlive(request)
            let response = runBlocking { [server] in await server.handler(request) }
            guard send(response, to: request, keepAlive: keepAlive, reader: reader), keepAlive else { return }
        }
    }

    private func setSendTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        _ = setsockopt(socket.descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    // MARK: Reading

    /// The next request, or nil when the connection should end (after an error answer if one is due).
    private func readRequest(_ reader: ConnectionReader) -> HTTPRequest? {
        var head: HTTPRequestHead
        parsing: while true {
            switch HTTPRequestHead.parse(reader.buffered, maximumLength: configuration.maximumHeadLength) {
            case .complete(let parsed, let length):
                reader.consume(length)
                head = parsed
                break parsing
            case .invalid(let status, let reason):
                writeError(status: status, reason: reason)
                return nil
            case .incomplete:
                do {
                    if try !reader.fill() {
                        // A request cut short by the client; an idle keep-alive close is silent.
                        if !reader.buffered.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) {
                            writeError(status: 400, reason: "incomplete request head")
                        }
                        return nil
                    }
                } catch {
                    if !reader.buffered.isEmpty { writeError(status: 408, reason: "request head not finished in time") }
                    return nil
                }
            }
        }

        let contentLengths = Set(head.headers.values("Content-Length").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingASCIISpaces() })
        let transferEncoding = head.headers["Transfer-Encoding"]
        var body: [UInt8] = []
        do {
            if let transferEncoding {
                guard contentLengths.isEmpty else {
                    writeError(status: 400, reason: "both Content-Length and Transfer-Encoding")
                    return nil
                }
                guard transferEncoding.split(separator: ",").last.map({ $0.trimmingASCIISpaces().caseInsensitiveEquals("chunked") }) == true else {
                    writeError(status: 501, reason: "unsupported transfer coding \(transferEncoding)")
                    return nil
                }
                continueIfExpected(head)
                body = try reader.readChunkedBody(limit: configuration.maximumBodyLength)
            } else if !contentLengths.isEmpty {
                guard contentLengths.count == 1, let text = contentLengths.first, !text.isEmpty, text.count <= 18,
                      text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let length = Int(text)
                else {
                    writeError(status: 400, reason: "invalid Content-Length")
                    return nil
                }
                guard length <= configuration.maximumBodyLength else {
                    writeError(status: 413, reason: "body of \(length) bytes exceeds \(configuration.maximumBodyLength)")
                    return nil
                }
                if length > 0 {
                    continueIfExpected(head)
                    body = try reader.readExactly(length)
                }
            }
        } catch ConnectionReader.ReadError.endOfStream {
            return nil  // the client left mid-body: nobody to answer
        } catch ConnectionReader.ReadError.timedOut {
            writeError(status: 408, reason: "request body not received in time")
            return nil
        } catch ConnectionReader.ReadError.tooLarge {
            writeError(status: 413, reason: "body exceeds \(configuration.maximumBodyLength) bytes")
            return nil
        } catch {
            writeError(status: 400, reason: "malformed chunked body")
            return nil
        }
        return HTTPRequest(method: head.method, target: head.target, version: head.version, headers: head.headers, body: body)
    }

    private func continueIfExpected(_ head: HTTPRequestHead) {
        if head.version == "HTTP/1.1", head.headers["Expect"]?.caseInsensitiveEquals("100-continue") == true {
            try? socket.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
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
        let maximumMessageSize = configuration.maximumBodyLength
        Thread.detachNewThread { [self] in
            webSocket.readLoop(leftover: leftover, maximumMessageSize: maximumMessageSize)
            readerEnded.withLock { $0 = true }
            work.withLock { $0?.cancel() }
            readerDone.signal()
        }
        ConnectionThreadExecutor.run({ [socket] in
            await handler(webSocket)
            // The handler is done with the connection: start the closing handshake if nobody has, give
            // the client a moment to answer, then wake the reader. All before the reader is joined, so
            // the socket is never touched after this thread closes it.
            webSocket.close()
            let deadline = ContinuousClock.now + .seconds(2)
            while !webSocket.isFinished, ContinuousClock.now < deadline {
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
    private func writeError(status: Int, reason: String) {
        var headers = HTTPHeaders()
        let body = Array("\(HTTPStatus.reason(status)): \(reason)\n".utf8)
        headers.add("Content-Type", "text/plain; charset=utf-8")
        headers.add("Content-Length", String(body.count))
        guard (try? socket.write(Self.head(status: status, headers: headers, keepAlive: false) + body)) != nil else { return }
        lingerAfterError()
    }

    /// Closing with unread input makes the kernel send a reset, which can destroy the error answer
    /// before the client reads it. Half-close, then discard what the client is still sending (bounded).
    private func lingerAfterError() {
        socket.shutdownWrite()
        try? socket.setReceiveTimeout(.milliseconds(200))
        var discarded = 0
        while discarded < 32 << 20, let chunk = try? socket.read(maxBytes: 65_536), !chunk.isEmpty {
            discarded += chunk.count
        }
    }

    /// Runs async work to completion on this connection's own thread (see `ConnectionThreadExecutor`),
    /// cancelled when the connection is aborted.
    func runBlocking<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T {
        defer { work.withLock { $0 = nil } }
        return ConnectionThreadExecutor.run(operation) { task in
            work.withLock { $0 = task }
            if isAborted { task.cancel() }
        }
    }
}
