import Dispatch
import Synchronization
import Durations

/// An RFC 6455 client over TCP (`ws://`) or TLS (`wss://`): a `ByteStream` either way.
///
/// Two ways to use it:
/// - async: `receive()`, `send(text:)`, `send(binary:)`, `close(code:reason:)`;
/// - blocking, for a transport that owns a reader thread: `readMessage()` on that thread and
///   `sendText(_:)` from anywhere. This path makes no async hops and allocates only the payloads.
/// Use one or the other for reading, never both at once. Pings are answered with pongs while reading.
public final class WebSocketClient: Sendable {
    /// The URL connected to, query included: it may carry a gateway's token, so error messages leave it out.
    public let url: String
    public let maximumMessageSize: Int

    private let stream: any ByteStream
    private let reading: Mutex<ReadState>
    private let writing = Mutex(WriteState())
    /// Set once the connection is over: the error every later call throws.
    private let ending = Mutex<WebSocketError?>(nil)
    /// Signalled when the peer's close frame has been read (the closing handshake is complete).
    private let peerClosed = DispatchSemaphore(value: 0)
    private let receiveQueue: DispatchQueue

    private struct ReadState {
        var parser: WebSocketFrameParser
        var assembler: WebSocketMessageAssembler
        var chunk = [UInt8](repeating: 0, count: 128 << 10)
    }

    private struct WriteState {
        var buffer: [UInt8] = []
        var closeSent = false
    }

    /// Above this, the send buffer is released after a frame instead of kept for the next one.
    private static let retainedSendCapacity = 1 << 20

    private init(url: String, stream: any ByteStream, maximumMessageSize: Int, pending: [UInt8]) {
        self.url = url
        self.stream = stream
        self.maximumMessageSize = maximumMessageSize
        var parser = WebSocketFrameParser(maximumPayloadSize: maximumMessageSize, masking: .forbidden)
        parser.append(pending)
        reading = Mutex(ReadState(parser: parser, assembler: WebSocketMessageAssembler(maximumMessageSize: maximumMessageSize)))
        receiveQueue = DispatchQueue(label: "WebSocketClient.receive \(EndpointURL.hidingQuery(url))")
    }

    // MARK: Connecting

    /// Opens a connection and completes the handshake within `timeout`. `headers` go on the upgrade
    /// request (a gateway's credentials); `tls` says how a `wss://` server is checked.
    public static func connect(
        url: String, headers: HTTP1.Headers = [:], tls: TLSOptions = TLSOptions(), maximumMessageSize: Int = 256 << 20,
        timeout: Duration = .seconds(10)
    ) async throws -> WebSocketClient {
        try await BlockingWork.run(name: "WebSocketClient.connect") {
            try connectBlocking(url: url, headers: headers, tls: tls, maximumMessageSize: maximumMessageSize, timeout: timeout)
        }
    }

    /// The same as `connect`, blocking the calling thread.
    public static func connectBlocking(
        url: String, headers: HTTP1.Headers = [:], tls: TLSOptions = TLSOptions(), maximumMessageSize: Int = 256 << 20,
        timeout: Duration = .seconds(10)
    ) throws -> WebSocketClient {
        let endpoint: EndpointURL
        do { endpoint = try EndpointURL.parse(url) } catch { throw WebSocketError.unsupportedURL(error.reason) }
        let shown = EndpointURL.hidingQuery(url)
        guard endpoint.scheme == "ws" || endpoint.scheme == "wss" else {
            throw WebSocketError.unsupportedURL("\(shown): only ws:// and wss:// URLs are supported")
        }
        let deadline = Deadline(after: timeout)
        let stream = try endpoint.connect(tls: tls, timeout: timeout)
        do {
            let key = WebSocketHandshake.randomKey()
            var request = WebSocketHandshake.clientRequest(host: endpoint.hostHeader, target: endpoint.target, key: key)
            for field in headers { request.headers.add(field.name, field.value) }
            try stream.write(request.serialized)
            var reader = DeadlineReader(stream: stream, deadline: deadline, what: "WebSocket handshake response from \(shown)", timeout: timeout)
            var received: [UInt8] = []
            var headEnd: Int?
            while headEnd == nil {
                let searchFrom = max(0, received.count - 3)
                guard try reader.read(into: &received) else {
                    throw WebSocketError.handshakeFailed(
                        "\(shown) closed the connection after \(received.count) bytes, before a complete response head")
                }
                headEnd = HTTP1.HeadLines.endOfHead(in: received, from: searchFrom)
                if headEnd == nil && received.count > 64 << 10 { throw WebSocketError.handshakeFailed("\(shown) sent a response head over 64 KiB") }
            }
            let head = try HTTP1.ResponseHead.parse(received[..<headEnd!])
            var rest = Array(received[headEnd!...])
            if head.status != 101 {
                // Quote the refusal (Chromium explains a rejected Origin in the body).
                let length = min((try? head.headers.contentLength()) ?? 4096, 4096)
                while rest.count < length, (try? reader.read(into: &rest)) == true {}
            }
            try WebSocketHandshake.validate(response: head, key: key, body: rest)
            try stream.setReceiveTimeout(nil)
            return WebSocketClient(url: url, stream: stream, maximumMessageSize: maximumMessageSize, pending: rest)
        } catch {
            stream.close()
            if case HTTPError.timeout(let detail) = error { throw WebSocketError.handshakeFailed(detail) }
            throw error
        }
    }

    // MARK: Reading

    /// Blocks until the next whole message. Answers pings on the way. Throws `WebSocketError.closed` once the
    /// peer has closed (after replying to its close frame), and the error that ended the connection after that.
    public func readMessage() throws -> WebSocketMessage {
        try reading.withLock { try nextMessage(&$0) }
    }

    private func nextMessage(_ state: inout ReadState) throws -> WebSocketMessage {
        while true {
            if let ended = ending.withLock({ $0 }) { throw ended }
            do {
                while let frame = try state.parser.nextFrame() {
                    guard let event = try state.assembler.push(frame) else { continue }
                    switch event {
                    case .message(let message): return message
                    // A failed pong means the connection is gone; the next turn reports why.
                    case .ping(let payload): try? writeFrame(.pong, payload)
                    case .pong: break
                    case .close(let close): throw peerDidClose(close)
                    }
                }
            } catch let error as WebSocketError {
                throw fail(error)
            }
            let count: Int
            do {
                count = try state.chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
            } catch let error as SocketError where error.isTimeout {
                throw error  // only the closing handshake sets a receive timeout
            } catch {
                throw end(.connectionLost("\(error)"))
            }
            guard count > 0 else {
                throw end(.connectionLost("\(EndpointURL.hidingQuery(url)) closed the TCP connection without a close frame"))
            }
            state.chunk.withUnsafeBytes { state.parser.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
    }

    /// The next whole message (text or binary), read on this client's own serial queue. Cancelling the
    /// awaiting task does not stop the read: `close` does.
    public func receive() async throws -> WebSocketMessage {
        try await withCheckedThrowingContinuation { continuation in
            receiveQueue.async { continuation.resume(with: Result { try self.readMessage() }) }
        }
    }

    // MARK: Writing

    /// Sends one text frame. `bytes` must be UTF-8 (the peer closes the connection otherwise).
    public func sendText(_ bytes: some Collection<UInt8>) throws {
        try send(.text, bytes)
    }

    public func sendText(_ text: String) throws {
        var text = text
        try text.withUTF8 { try writeFrame(.text, UnsafeRawBufferPointer($0)) }
    }

    public func sendBinary(_ bytes: some Collection<UInt8>) throws {
        try send(.binary, bytes)
    }

    public func send(text: String) async throws { try sendText(text) }
    public func send(binary: [UInt8]) async throws { try sendBinary(binary) }

    /// Sends one frame as given (masked with a fresh key): for fragmented messages and protocol tests.
    public func send(frame: WebSocketFrame) throws {
        try frame.payload.withUnsafeBytes { try writeFrame(frame.opcode, $0, fin: frame.fin) }
    }

    private func send(_ opcode: WebSocketOpcode, _ bytes: some Collection<UInt8>) throws {
        let sent: Void? = try bytes.withContiguousStorageIfAvailable { try writeFrame(opcode, UnsafeRawBufferPointer($0)) }
        if sent == nil { try Array(bytes).withUnsafeBytes { try writeFrame(opcode, $0) } }
    }

    private func writeFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8]) throws {
        try payload.withUnsafeBytes { try writeFrame(opcode, $0) }
    }

    private func writeFrame(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer, fin: Bool = true) throws {
        try writing.withLock { state in
            if state.closeSent {
                throw ending.withLock { $0 } ?? WebSocketError.closed(code: nil, reason: "a close frame was already sent")
            }
            if let ended = ending.withLock({ $0 }) { throw ended }
            state.buffer.removeAll(keepingCapacity: true)
            WebSocketFrame.encode(fin: fin, opcode: opcode, payload: payload, maskingKey: WebSocketFrame.randomMaskingKey(), into: &state.buffer)
            if opcode == .close { state.closeSent = true }
            defer { if state.buffer.capacity > Self.retainedSendCapacity { state.buffer = [] } }
            do {
                try stream.write(state.buffer)
            } catch {
                throw end(.connectionLost("\(error)"))
            }
        }
    }

    // MARK: Closing

    /// Why the connection ended, once it has.
    public var endReason: WebSocketError? { ending.withLock { $0 } }

    /// The closing handshake: sends a close frame, waits (at most `timeout`) for the peer's, then ends the
    /// connection. Messages still arriving meanwhile are dropped. Safe to call more than once.
    public func close(code: UInt16 = 1000, reason: String = "", timeout: Duration = .seconds(2)) async {
        precondition(WebSocketClose.isValidOnWire(code), "close code \(code) may not be sent")
        await (try? BlockingWork.run(name: "WebSocketClient.close") { self.closeBlocking(code: code, reason: reason, timeout: timeout) }) ?? ()
    }

    /// The same as `close`, blocking the calling thread.
    public func closeBlocking(code: UInt16 = 1000, reason: String = "", timeout: Duration = .seconds(2)) {
        try? writeFrame(.close, WebSocketClose(code: code, reason: reason).payload)
        let deadline = Deadline(after: timeout)
        let readerWasIdle: Void? = reading.withLockIfAvailable { state in
            // No reader is running: read here until the peer's close frame arrives or time runs out.
            while ending.withLock({ $0 }) == nil {
                let remaining = deadline.remaining
                guard remaining > .zero, (try? stream.setReceiveTimeout(remaining)) != nil else { break }
                do { _ = try nextMessage(&state) } catch let error as SocketError where error.isTimeout { break } catch {}
            }
        }
        if readerWasIdle == nil {
            // Another thread is reading; it signals when the peer's close frame arrives.
            _ = peerClosed.wait(timeout: deadline.dispatchTime)
        }
        _ = end(.closed(code: code, reason: reason.isEmpty ? "closed by this client" : reason))
    }

    /// The peer sent a close frame: answer it (echoing its code) unless we closed first, then end.
    private func peerDidClose(_ close: WebSocketClose) -> WebSocketError {
        let alreadySent = writing.withLock { $0.closeSent }
        if !alreadySent {
            try? writeFrame(.close, WebSocketClose(code: close.code, reason: "").payload)
        }
        peerClosed.signal()
        return end(.closed(code: close.code, reason: close.reason))
    }

    /// A protocol error on our side of the reading: tell the peer with the matching close code, then end.
    private func fail(_ error: WebSocketError) -> WebSocketError {
        if ending.withLock({ $0 }) == nil {
            try? writeFrame(.close, WebSocketClose(code: error.closeCode, reason: String(error.description.prefix(120))).payload)
        }
        return end(error)
    }

    /// Records why the connection ended (the first reason wins) and wakes any blocked reader.
    @discardableResult
    private func end(_ error: WebSocketError) -> WebSocketError {
        let first = ending.withLock { ending in
            if ending == nil { ending = error }
            return ending!
        }
        stream.shutdown()
        return first
    }
}
