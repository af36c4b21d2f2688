@testable import Browser
import Testing

@Suite struct ServerSentEventParserTests {
    @Test func splitsEventsPerTheSpecificationAcrossChunkBoundaries() {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        // BOM, a comment, CRLF, a CR at the end of one chunk and its LF at the start of the next,
        // multi-line data, an id, a field without a colon, and an event without data (dropped).
        let chunks = [
            "\u{FEFF}: keep-alive\r\nevent: sample\r\ndata: {\"a\":",
            "1}\r\nid: 7\r\n\r",
            "\ndata: line one\ndata:line two\n\nevent: empty\n\ndata\n\nevent: init\rdata: x\r\r",
            "data: unterminated",
        ]
        for chunk in chunks { events += parser.feed(Array(chunk.utf8)) }
        #expect(events == [
            ServerSentEvent(event: "sample", data: "{\"a\":1}", id: "7"),
            ServerSentEvent(event: "message", data: "line one\nline two", id: "7"),
            ServerSentEvent(event: "message", data: "", id: "7"),
            ServerSentEvent(event: "init", data: "x", id: "7"),
        ])
    }

    @Test func framingFollowsTheMimeType() {
        #expect(StreamFraming(mimeType: "text/event-stream; charset=utf-8") == .serverSentEvents)
        #expect(StreamFraming(mimeType: "application/x-ndjson") == .ndjson)
        #expect(StreamFraming(mimeType: "application/jsonl") == .ndjson)
        #expect(StreamFraming(mimeType: "application/json") == nil)
    }
}

@Suite struct NDJSONSplitterTests {
    @Test func splitsLinesAcrossChunksAndKeepsAnUnterminatedLastLine() {
        var splitter = NDJSONSplitter()
        var lines = splitter.feed(Array("{\"a\":1}\r\n\n{\"b\"".utf8))
        lines += splitter.feed(Array(":2}\n{\"c\":3}".utf8))
        lines += splitter.finish()
        #expect(lines == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
    }
}
