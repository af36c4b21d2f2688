import Foundation
import Synchronization
import Wire

/// The server end of an upgraded WebSocket connection, handed to a `.webSocket` handler.
/// The server reads frames on a thread of its own, answers pings, completes the closing handshake,
/// and queues data messages for `receive()`.
public final class ServerWebSocket: Sendable {
    /// The upgrade request (path, query, headers).
    public let request: HTTPRequest
    private let socket: Socket
    private let state = Mutex(State())

    private struct State {
        var queued: [WebSocketMessage] = []
        var waiter: CheckedContinuation<WebSocketMessage?, Never>?
        var finished = false
        var closeSent = false
        var closeReceived: WebSocketClose?
    }

    init(request: HTTPRequest, socket: Socket) {
        self.request = request
        self.socket = socket
    }

    /// The next data message, or nil once the connection is closed (by either side).
    public func receive() async -> WebSocketMessage? {
        await withCheckedContinuation { continuation in
            let immediate: WebSocketMessage?? = state.withLock { state in
                if !state.queued.isEmpty { return .some(state.queued.removeFirst()) }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    /// Received messages until the connection closes. One consumer at a time.
    public var messages: AsyncStream<WebSocketMessage> {
        AsyncStream { await self.receive() }
    }

    /// The close frame the client sent, once it has.
    public var closeReceived: WebSocketClose? { state.withLock { $0.closeReceived } }
    public var isClosed: Bool { state.withLock { $0.finished || $0.closeSent } }
    /// True once the server stopped reading this connection.
    var isFinished: Bool { state.withLock { $0.finished } }

    public func send(_ message: WebSocketMessage) throws {
        try sendFrame(WebSocketFrame(opcode: message.opcode, payload: message.payload))
    }

    public func send(text: String) throws { try send(.text(text)) }
    public func send(binary: [UInt8]) throws { try send(.binary(binary)) }

    /// Starts the closing handshake; the client's close frame then ends the connection.
    public func close(code: UInt16 = 1000, reason: String = "") {
        try? sendFrame(WebSocketFrame(opcode: .close, payload: WebSocketClose(code: code, reason: reason).payload))
    }

    private func sendFrame(_ frame: WebSocketFrame) throws {
        try state.withLock { state in
            guard !state.closeSent else { throw WebSocketError.closed(code: state.closeReceived?.code, reason: "close already sent") }
            if frame.opcode == .close { state.closeSent = true }
            do {
                try socket.write(frame.encoded(maskingKey: nil))
            } catch {
                state.closeSent = true
                throw WebSocketError.connectionLost("\(error)")
            }
        }
    }

    // MARK: Driven by the server

    /// Reads frames until the connection ends. `leftover` is what arrived after the upgrade request.
    func readLoop(leftover: ArraySlice<UInt8>, maximumMessageSize: Int) {
        var parser = WebSocketFrameParser(maximumPayloadSize: maximumMessageSize, masking: .required)
        var assembler = WebSocketMessageAssembler(maximumMessageSize: maximumMessageSize)
        parser.append(leftover)
        try? socket.setReceiveTimeout(nil)
        defer { finish() }
        do {
            while true {
                while let frame = try parser.nextFrame() {
                    switch try assembler.push(frame) {
                    case .message(let message)?: deliver(message)
                    case .ping(let payload)?: try? sendFrame(WebSocketFrame(opcode: .pong, payload: payload))
                    case .pong?, nil: break
                    case .close(let close)?:
                        state.withLock { $0.closeReceived = close }
                        // Echo the status code, as RFC 6455 5.5.1 suggests; then the TCP side ends.
                        let code = close.code.flatMap { WebSocketClose.isValidOnWire($0) ? $0 : nil } ?? 1000
                        try? sendFrame(WebSocketFrame(opcode: .close, payload: WebSocketClose(code: code).payload))
                        return
                    }
                }
                let chunk = try socket.read(maxBytes: 65_536)
                if chunk.isEmpty { return }
                parser.append(chunk)
            }
        } catch let error as WebSocketError {
            try? sendFrame(WebSocketFrame(opcode: .close, payload: WebSocketClose(code: error.closeCode).payload))
        } catch {
            return
        }
    }

    private func deliver(_ message: WebSocketMessage) {
        let waiter = state.withLock { state -> CheckedContinuation<WebSocketMessage?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.queued.append(message)
            return nil
        }
        waiter?.resume(returning: message)
    }

    /// The connection is about to close its socket: refuse every later send (a task the handler left
    /// behind must not write to a descriptor number that may already be reused).
    func detach() {
        state.withLock { $0.closeSent = true }
        finish()
    }

    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<WebSocketMessage?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    // MARK: Handshake

    /// nil when `request` is a valid version-13 upgrade; else the status and reason to refuse it with.
    static func refusal(of request: HTTPRequest) -> (status: Int, reason: String)? {
        guard request.method == "GET" else { return (400, "a WebSocket upgrade must be a GET") }
        guard request.headers.hasToken("websocket", in: "Upgrade"), request.headers.hasToken("upgrade", in: "Connection") else {
            return (426, "this endpoint only speaks WebSocket (Upgrade: websocket required)")
        }
        guard request.headers["Sec-WebSocket-Version"] == "13" else { return (426, "Sec-WebSocket-Version must be 13") }
        guard let key = request.headers["Sec-WebSocket-Key"], Data(base64Encoded: key)?.count == 16 else {
            return (400, "Sec-WebSocket-Key must be 16 bytes in base64")
        }
        return nil
    }
}
