import Durations
import JSONCore

/// A whole HTTP response.
public struct HTTPClientResponse: Sendable, Equatable {
    public var head: HTTP1.ResponseHead
    public var body: [UInt8]

    public init(head: HTTP1.ResponseHead, body: [UInt8]) {
        self.head = head
        self.body = body
    }

    public var status: Int { head.status }
    /// The body decoded as UTF-8 (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A minimal HTTP/1.1 client over TCP or TLS (`http://`, `https://`), for endpoints such as Chromium's
/// `/json/version` (whose `Content-Length:444` without a space defeats URLSession here).
public enum HTTPClient {
    /// GETs `url` on a connection of its own; the body ends by Content-Length, chunked coding, or close.
    /// The whole exchange, connect and TLS handshake included, is bounded by `timeout`. `headers` are
    /// sent after the client's own; `tls` says how a `https://` server is checked.
    public static func get(
        url: String, headers: HTTP1.Headers = [:], tls: TLSOptions = TLSOptions(), timeout: Duration = .seconds(10),
        maximumBodySize: Int = 64 << 20
    ) async throws -> HTTPClientResponse {
        try await BlockingWork.run(name: "HTTPClient.get") {
            try getBlocking(url: url, headers: headers, tls: tls, timeout: timeout, maximumBodySize: maximumBodySize)
        }
    }

    /// The same as `get`, blocking the calling thread (for code that already runs on its own thread).
    public static func getBlocking(
        url: String, headers: HTTP1.Headers = [:], tls: TLSOptions = TLSOptions(), timeout: Duration = .seconds(10),
        maximumBodySize: Int = 64 << 20
    ) throws -> HTTPClientResponse {
        try requestBlocking("GET", url: url, headers: headers, tls: tls, timeout: timeout, maximumBodySize: maximumBodySize)
    }

    /// Sends `method` (POST, DELETE...) with `json` as the body, if any, on a connection of its own and
    /// reads the whole response, as `get` does. The whole exchange is bounded by `timeout`.
    public static func request(
        _ method: String, url: String, json: JSON? = nil, headers: HTTP1.Headers = [:], tls: TLSOptions = TLSOptions(),
        timeout: Duration = .seconds(10), maximumBodySize: Int = 64 << 20
    ) async throws -> HTTPClientResponse {
        try await BlockingWork.run(name: "HTTPClient.\(method)") {
            try requestBlocking(method, url: url, json: json, headers: headers, tls: tls, timeout: timeout, maximumBodySize: maximumBodySize)
        }
    }

    /// The same as `request`, blocking the calling thread (an exit or signal path cannot await).
    public static func requestBlocking(
        _ method: String, url: String, json: JSON? = nil, headers: HTTP1.Headers = [:], tls: TLSOptions = TLSOptions(),
        timeout: Duration = .seconds(10), maximumBodySize: Int = 64 << 20
    ) throws -> HTTPClientResponse {
        let endpoint: EndpointURL
        do { endpoint = try EndpointURL.parse(url) } catch { throw HTTPError.unsupportedURL(error.reason) }
        let url = EndpointURL.hidingQuery(url)
        guard endpoint.scheme == "http" || endpoint.scheme == "https" else {
            throw HTTPError.unsupportedURL("\(url): only http:// and https:// are supported")
        }
        let deadline = Deadline(after: timeout)
        let stream = try endpoint.connect(tls: tls, timeout: timeout)
        defer { stream.close() }
        var request = HTTP1.RequestHead(
            method: method, target: endpoint.target,
            headers: ["Host": endpoint.hostHeader, "Accept": "*/*", "Connection": "close"])
        for field in headers { request.headers.add(field.name, field.value) }
        let payload = json.map { Array($0.serialized().utf8) } ?? []
        if json != nil {
            request.headers.add("Content-Type", "application/json; charset=utf-8")
            request.headers.add("Content-Length", String(payload.count))
        }
        try stream.write(request.serialized + payload)

        var reader = DeadlineReader(stream: stream, deadline: deadline, what: "response to \(method) \(url)", timeout: timeout)
        var received: [UInt8] = []
        var headEnd: Int?
        while headEnd == nil {
            let searchFrom = max(0, received.count - 3)
            guard try reader.read(into: &received) else {
                throw HTTPError.incomplete("\(method) \(url): the connection closed after \(received.count) bytes, before the end of the response head")
            }
            headEnd = HTTP1.HeadLines.endOfHead(in: received, from: searchFrom)
            if headEnd == nil && received.count > 64 << 10 { throw HTTPError.tooLarge("\(method) \(url): response head over 64 KiB") }
        }
        let head = try HTTP1.ResponseHead.parse(received[..<headEnd!])
        var rest = Array(received[headEnd!...])
        let body: [UInt8]
        if (100..<200).contains(head.status) || head.status == 204 || head.status == 304 {
            body = []
        } else if head.headers.isChunked {
            var decoder = HTTP1.ChunkedDecoder(maximumBodySize: maximumBodySize)
            var decoded: [UInt8] = []
            try decoder.feed(rest, into: &decoded)
            while !decoder.isComplete {
                rest.removeAll(keepingCapacity: true)
                guard try reader.read(into: &rest) else {
                    throw HTTPError.incomplete("\(method) \(url): the connection closed inside the chunked body after \(decoded.count) bytes")
                }
                try decoder.feed(rest, into: &decoded)
            }
            body = decoded
        } else if let length = try head.headers.contentLength() {
            guard length <= maximumBodySize else { throw HTTPError.tooLarge("\(method) \(url): Content-Length \(length) exceeds \(maximumBodySize) bytes") }
            while rest.count < length {
                guard try reader.read(into: &rest) else {
                    throw HTTPError.incomplete("\(method) \(url): the connection closed after \(rest.count) of \(length) body bytes")
                }
            }
            body = Array(rest.prefix(length))
        } else {
            while try reader.read(into: &rest) {
                if rest.count > maximumBodySize { throw HTTPError.tooLarge("\(method) \(url): body exceeds \(maximumBodySize) bytes") }
            }
            body = rest
        }
        return HTTPClientResponse(head: head, body: body)
    }
}

/// Stream reads bounded by one deadline for a whole exchange.
struct DeadlineReader {
    let stream: any ByteStream
    let deadline: Deadline
    let what: String
    let timeout: Duration
    private var chunk = [UInt8](repeating: 0, count: 64 << 10)

    init(stream: any ByteStream, deadline: Deadline, what: String, timeout: Duration) {
        self.stream = stream
        self.deadline = deadline
        self.what = what
        self.timeout = timeout
    }

    /// Appends what arrives to `bytes`; false at end of stream.
    mutating func read(into bytes: inout [UInt8]) throws -> Bool {
        let remaining = deadline.remaining
        guard remaining > .zero else { throw HTTPError.timeout("no complete \(what) within \(timeout)") }
        try stream.setReceiveTimeout(remaining)
        let count: Int
        let stream = stream
        do {
            count = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
        } catch let error as SocketError where error.isTimeout {
            throw HTTPError.timeout("no complete \(what) within \(timeout)")
        }
        bytes.append(contentsOf: chunk[..<count])
        return count > 0
    }
}
