import Foundation
import JSONCore
import Wire

/// A raw HTTP/1.1 client for tests: one connection, exact control of the bytes sent, and a reader for
/// whole, chunked and streamed responses. Built on Wire's `Socket`. Each call blocks a thread of its own,
/// never the cooperative pool (a server under test needs that pool to answer). One task uses a connection at a time.
public final class LoopbackHTTPConnection: @unchecked Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
        public var json: JSON? { try? JSON.parse(bytes: body) }
    }

    public enum ClientError: Error, CustomStringConvertible {
        case closed(awaiting: String, received: Int)
        case malformed(String)
        public var description: String {
            switch self {
            case .closed(let awaiting, let received): "connection closed while awaiting \(awaiting) (\(received) bytes buffered)"
            case .malformed(let text): "malformed response: \(text)"
            }
        }
    }

    public let socket: Socket
    private var buffer: [UInt8] = []

    private init(socket: Socket) {
        self.socket = socket
    }

    /// Connects; `sending` goes out at once on the same thread, so a server with a short idle timeout
    /// never sees a silent connection however busy the machine is.
    public static func open(port: UInt16, timeout: Duration = .seconds(10), sending first: [UInt8] = []) async throws -> LoopbackHTTPConnection {
        try await onOwnThread {
            let socket = try Socket.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
            try socket.setReceiveTimeout(timeout)
            if !first.isEmpty { try socket.write(first) }
            return LoopbackHTTPConnection(socket: socket)
        }
    }

    deinit { socket.close() }

    public func send(_ bytes: [UInt8]) async throws { try await onOwnThread { try self.socket.write(bytes) } }
    public func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    /// Sends a request with Content-Length and reads the whole response.
    public func request(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) async throws -> Response {
        let bytes = Self.requestBytes(method, target, headers: headers, body: body)
        return try await onOwnThread {
            try self.socket.write(bytes)
            return try self.readResponseNow(isHead: method == "HEAD")
        }
    }

    public static func requestBytes(_ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []) -> [UInt8] {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + body
    }

    /// Status line and headers only; the body is left for `readBody` or `readChunk`.
    public func readHead() async throws -> (status: Int, headers: HTTPHeaders) {
        try await onOwnThread { try self.readHeadNow() }
    }

    private func readHeadNow() throws -> (status: Int, headers: HTTPHeaders) {
        while true {
            if let end = find([0x0D, 0x0A, 0x0D, 0x0A]) {
                let lines = String(decoding: buffer[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                buffer.removeFirst(end + 4)
                let statusParts = lines[0].split(separator: " ", maxSplits: 2)
                guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw ClientError.malformed(lines[0]) }
                var headers = HTTPHeaders()
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { throw ClientError.malformed(line) }
                    headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                }
                if status == 100 { continue }
                return (status, headers)
            }
            try fill(awaiting: "a response head")
        }
    }

    public func readResponse(isHead: Bool = false) async throws -> Response {
        try await onOwnThread { try self.readResponseNow(isHead: isHead) }
    }

    private func readResponseNow(isHead: Bool) throws -> Response {
        let (status, headers) = try readHeadNow()
        if isHead || status == 204 || status == 304 || status == 101 { return Response(status: status, headers: headers, body: []) }
        if headers["Transfer-Encoding"]?.lowercased() == "chunked" {
            var body: [UInt8] = []
            while let chunk = try readChunkNow() { body += chunk }
            return Response(status: status, headers: headers, body: body)
        }
        if let length = headers["Content-Length"].flatMap(Int.init) {
            return Response(status: status, headers: headers, body: try readExactlyNow(length))
        }
        var body = buffer
        buffer.removeAll()
        while let chunk = try? socket.read(maxBytes: 65_536), !chunk.isEmpty { body += chunk }
        return Response(status: status, headers: headers, body: body)
    }

    /// The next chunk of a chunked body; nil after the last (zero) chunk.
    public func readChunk() async throws -> [UInt8]? {
        try await onOwnThread { try self.readChunkNow() }
    }

    private func readChunkNow() throws -> [UInt8]? {
        let line = try readLine()
        guard let size = Int(line.split(separator: ";")[0], radix: 16) else { throw ClientError.malformed("chunk size \(line)") }
        if size == 0 {
            while try !readLine().isEmpty {}
            return nil
        }
        let data = try readExactlyNow(size)
        _ = try readLine()
        return data
    }

    public func readExactly(_ count: Int) async throws -> [UInt8] {
        try await onOwnThread { try self.readExactlyNow(count) }
    }

    private func readExactlyNow(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill(awaiting: "\(count) body bytes") }
        let bytes = Array(buffer[..<count])
        buffer.removeFirst(count)
        return bytes
    }

    /// Whatever bytes are buffered, else the next bytes read; empty at end of stream.
    public func readSome() async throws -> [UInt8] {
        try await onOwnThread {
            if self.buffer.isEmpty { return try self.socket.read(maxBytes: 65_536) }
            defer { self.buffer.removeAll() }
            return self.buffer
        }
    }

    /// True when the server closed the connection (end of stream) within the receive timeout.
    public func isClosedByPeer() async -> Bool {
        (try? await onOwnThread { self.isClosedByPeerNow() }) ?? true
    }

    private func isClosedByPeerNow() -> Bool {
        do {
            let chunk = try socket.read(maxBytes: 65_536)
            buffer += chunk
            return chunk.isEmpty
        } catch {
            return error is SocketError ? !(error as! SocketError).isTimeout : true
        }
    }

    private func readLine() throws -> String {
        while true {
            if let end = find([0x0D, 0x0A]) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                return line
            }
            try fill(awaiting: "a line")
        }
    }

    private func fill(awaiting: String) throws {
        let chunk = try socket.read(maxBytes: 65_536)
        guard !chunk.isEmpty else { throw ClientError.closed(awaiting: awaiting, received: buffer.count) }
        buffer += chunk
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        for index in 0...(buffer.count - needle.count) where buffer[index] == needle[0] {
            if Array(buffer[index..<(index + needle.count)]) == needle { return index }
        }
        return nil
    }
}

/// One request on a fresh connection.
public func loopbackRequest(
    port: UInt16, _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []
) async throws -> LoopbackHTTPConnection.Response {
    // Connect and send in one step: a server with a short idle timeout must never see a silent connection.
    let bytes = LoopbackHTTPConnection.requestBytes(method, target, headers: headers, body: body)
    return try await LoopbackHTTPConnection.open(port: port, sending: bytes).readResponse(isHead: method == "HEAD")
}

/// Runs blocking socket work on a thread of its own (never on the cooperative pool, which it would
/// block) and hands its result back.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
