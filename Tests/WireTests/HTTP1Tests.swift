import Testing
@testable import Wire

@Suite struct HTTP1HeadTests {
    @Test func parsesAResponseHeadWithChromiumsSpacelessContentLength() throws {
        let head = try HTTP1.ResponseHead.parse(Array("HTTP/1.1 200 OK\r\nContent-Length:444\r\nContent-Type:application/json; charset=UTF-8\r\n\r\n".utf8))
        #expect(head.status == 200)
        #expect(head.reason == "OK")
        #expect(try head.headers.contentLength() == 444)
        #expect(head.headers["content-type"] == "application/json; charset=UTF-8")
    }

    @Test func parsesAReasonWithSpacesAndAnEmptyReason() throws {
        #expect(try HTTP1.ResponseHead.parse(Array("HTTP/1.1 101 Switching Protocols\r\n\r\n".utf8)).reason == "Switching Protocols")
        #expect(try HTTP1.ResponseHead.parse(Array("HTTP/1.0 204\r\n".utf8)).status == 204)
    }

    @Test func parsesARequestHeadWithRepeatedAndFoldedHeaders() throws {
        let head = try HTTP1.RequestHead.parse(Array("GET /json/version?x=1 HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nx-a: 2\r\nX-Long: one\r\n  two\r\n\r\n".utf8))
        #expect(head.method == "GET")
        #expect(head.path == "/json/version")
        #expect(head.query == "x=1")
        #expect(head.headers.values("X-A") == ["1", "2"])
        #expect(head.headers["x-long"] == "one two")
    }

    @Test func listsTokensOfCommaSeparatedHeadersInAnyCase() throws {
        let head = try HTTP1.RequestHead.parse(Array("GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\nTransfer-Encoding: gzip, CHUNKED\r\n\r\n".utf8))
        #expect(head.headers.hasToken("upgrade", in: "connection"))
        #expect(!head.headers.hasToken("close", in: "connection"))
        #expect(head.headers.isChunked)
    }

    @Test func rejectsMalformedHeadsNamingTheLine() {
        #expect(throws: HTTPError.malformedHead("status line \"HTTP/2 200\" is not \"HTTP/1.x NNN reason\"")) {
            try HTTP1.ResponseHead.parse(Array("HTTP/2 200\r\n\r\n".utf8))
        }
        #expect(throws: HTTPError.malformedHead("header line \"no colon here\" has no colon")) {
            try HTTP1.ResponseHead.parse(Array("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n".utf8))
        }
        #expect(throws: HTTPError.malformedHead("request line \"GET /\" is not \"METHOD target HTTP/1.x\"")) {
            try HTTP1.RequestHead.parse(Array("GET /\r\n\r\n".utf8))
        }
        #expect(throws: HTTPError.malformedHead("Content-Length \"-1\" is not a non-negative integer")) {
            try HTTP1.ResponseHead.parse(Array("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n".utf8)).headers.contentLength()
        }
    }

    @Test func findsTheEndOfAHeadWithCRLFOrBareLF() {
        #expect(HTTP1.HeadLines.endOfHead(in: Array("HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody".utf8)) == 25)
        #expect(HTTP1.HeadLines.endOfHead(in: Array("HTTP/1.1 200 OK\nA: b\n\nbody".utf8)) == 22)
        #expect(HTTP1.HeadLines.endOfHead(in: Array("HTTP/1.1 200 OK\r\nA: b\r\n".utf8)) == nil)
    }

    @Test func serializesHeadsThatParseBack() throws {
        let request = HTTP1.RequestHead(method: "GET", target: "/a?b", headers: ["Host": "127.0.0.1:1", "Accept": "*/*"])
        #expect(try HTTP1.RequestHead.parse(request.serialized) == request)
        let response = HTTP1.ResponseHead(status: 404, reason: "Not Found", headers: ["Content-Length": "0"])
        #expect(try HTTP1.ResponseHead.parse(response.serialized) == response)
    }
}

@Suite struct HTTP1ChunkedDecoderTests {
    @Test func decodesChunksWithExtensionsAndTrailersFedByteByByte() throws {
        let encoded = Array("4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\nNEXT".utf8)
        var decoder = HTTP1.ChunkedDecoder()
        var body: [UInt8] = []
        var used = 0
        for byte in encoded where !decoder.isComplete {
            used += try decoder.feed([byte], into: &body)
        }
        #expect(decoder.isComplete)
        #expect(String(decoding: body, as: UTF8.self) == "Wikipedia in\r\n\r\nchunks.")
        #expect(used == encoded.count - 4, "the bytes after the body belong to the next message")
    }

    @Test func rejectsABadSizeLineAndMissingCRLF() {
        var decoder = HTTP1.ChunkedDecoder()
        var body: [UInt8] = []
        #expect(throws: HTTPError.malformedChunkedBody("chunk size line \"zz\" is not hexadecimal")) {
            try decoder.feed(Array("zz\r\n".utf8), into: &body)
        }
        var second = HTTP1.ChunkedDecoder()
        #expect(throws: HTTPError.malformedChunkedBody("chunk data not followed by CRLF")) {
            try second.feed(Array("2\r\nabc\r\n".utf8), into: &body)
        }
    }

    @Test func enforcesTheBodyLimit() {
        var decoder = HTTP1.ChunkedDecoder(maximumBodySize: 10)
        var body: [UInt8] = []
        #expect(throws: HTTPError.tooLarge("chunked body exceeds 10 bytes")) {
            try decoder.feed(Array("8\r\n12345678\r\n8\r\n".utf8), into: &body)
        }
    }
}

@Suite struct EndpointURLTests {
    @Test func parsesHostPortAndTarget() throws {
        #expect(try EndpointURL.parse("ws://127.0.0.1:9222/devtools/browser/abc")
            == EndpointURL(scheme: "ws", host: "127.0.0.1", port: 9222, target: "/devtools/browser/abc"))
        #expect(try EndpointURL.parse("http://localhost:80?x=1#frag") == EndpointURL(scheme: "http", host: "localhost", port: 80, target: "/?x=1"))
        #expect(try EndpointURL.parse("http://[::1]:8080/a").host == "::1")
        #expect(try EndpointURL.parse("HTTP://example").port == 80)
    }

    @Test func rejectsURLsWithoutSchemeHostOrValidPort() {
        #expect(throws: EndpointURL.Invalid.self) { try EndpointURL.parse("127.0.0.1:9222") }
        #expect(throws: EndpointURL.Invalid.self) { try EndpointURL.parse("http://:80/") }
        #expect(throws: EndpointURL.Invalid.self) { try EndpointURL.parse("http://host:99999/") }
    }
}
