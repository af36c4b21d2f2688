import Foundation
import JSONCore
import Testing
@testable import Recording

@Suite struct CaptureFileTests {
    func sampleExchange() -> Exchange {
        Exchange(
            id: "e1", method: "POST", url: "http://127.0.0.1:1/api/jobs", resourceType: "XHR",
            target: TargetInfo(type: "page", url: "http://127.0.0.1:1/jobs/new"), startedAt: 1_700_000_000.25, endedAt: 1_700_000_000.5,
            request: Request(
                headers: [Header(name: "Content-Type", value: "application/json")],
                body: Body(size: 13, mimeType: "application/json", text: #"{"name":"a"}"#), headersFromWire: true),
            response: Response(status: 409, statusText: "Conflict", headers: [Header(name: "content-type", value: "application/json")], mimeType: "application/json",
                               body: Body(size: 30, text: #"{"error":"Job name already exists"}"#)),
            timings: Timings(send: 0.1, wait: 3, receive: 0.2),
            initiator: Initiator(type: "script", url: "http://127.0.0.1:1/static/app.js", lineNumber: 10),
            provenance: Provenance(flow: "create-job", step: 7, description: #"click role=button "Create Job""#))
    }

    @Test func exchangeRoundTripsThroughItsJSON() throws {
        let exchange = sampleExchange()
        #expect(try Exchange(json: exchange.json) == exchange)
        #expect(exchange.request.headers.value(of: "content-type") == "application/json")
    }

    @Test func readerAssemblesStreamsAndMarksACutFileIncomplete() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recording-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("capture.jsonl")
        let writer = try CaptureWriter(url: url)
        try writer.append(.header(CaptureHeader(toolVersion: "test", startedAt: 1, baseURL: "http://x", flows: ["a"], redacted: true)))
        let stream = Exchange(id: "s1", kind: .stream, method: "GET", url: "http://x/api/monitor", startedAt: 2, streamOpen: true)
        try writer.append(.exchange(stream))
        try writer.append(.message(exchangeID: "s1", StreamMessage(direction: .received, time: 2.5, event: "init", data: "{}")))
        try writer.append(.exchange(sampleExchange()))
        try writer.append(.message(exchangeID: "s1", StreamMessage(direction: .received, time: 3, event: "sample", data: "{\"t\":1}")))
        try writer.close()
        // A crash mid-line: the reader keeps what came before and says the capture is incomplete.
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"record":"exch"#.utf8))
        try handle.close()

        let file = try CaptureFile.read(url)
        #expect(!file.isComplete)
        #expect(file.skippedLines.count == 1)
        #expect(file.header?.flows == ["a"])
        #expect(file.exchanges.map(\.id) == ["s1", "e1"])
        #expect(file.exchanges[0].messages.map(\.event) == ["init", "sample"])
        #expect(file.exchanges[0].streamOpen)
    }

    @Test func trailerAndStreamEndAreApplied() throws {
        let lines = [
            CaptureRecord.exchange(Exchange(id: "w", kind: .websocket, method: "GET", url: "ws://x/_next/webpack-hmr", startedAt: 1, streamOpen: true)),
            .message(exchangeID: "w", StreamMessage(direction: .sent, time: 1.1, opcode: 1, data: "hi")),
            .streamEnd(exchangeID: "w", time: 4, open: false),
            .trailer(CaptureTrailer(complete: true, reason: nil, endedAt: 5, counts: ["exchanges": 1])),
        ].map { $0.json.serialized() }.joined(separator: "\n")
        let file = CaptureFile.parse(Data(lines.utf8))
        #expect(file.isComplete)
        #expect(file.exchanges.first?.streamOpen == false)
        #expect(file.exchanges.first?.endedAt == 4)
        #expect(file.exchanges.first?.messages.first?.direction == .sent)
    }

    @Test func refusesARecordFromANewerFormat() {
        #expect(throws: RecordDecodingError.self) { try CaptureRecord(json: ["record": "exchange", "v": 99]) }
    }
}

@Suite struct CaptureRecordLineTests {
    @Test func aMessageLineIsByteIdenticalToTheGenericSerialization() {
        let messages = [
            StreamMessage(direction: .sent, time: 1_700_000_000.125, opcode: 1, data: "hi \"there\"\n"),
            StreamMessage(direction: .received, time: 3, opcode: 2, data: "AQID", base64: true),
            StreamMessage(direction: .received, time: 2.5, event: "sample", eventId: "7", data: "{}"),
        ]
        for message in messages {
            let record = CaptureRecord.message(exchangeID: "e\"1", message)
            #expect(record.serializedLine() == record.json.serialized())
        }
    }
}

@Suite struct CaptureReaderTests {
    func lines(_ records: [CaptureRecord]) -> Data { Data(records.map { $0.serializedLine() + "\n" }.joined().utf8) }

    @Test func aLaterRecordOfAnExchangeHandedOutComesAsAnUpdate() {
        var download = Exchange(id: "e7", method: "GET", url: "http://x/api/files/a.safetensors", startedAt: 1, response: Response(status: 200))
        let first = download
        download.download = Download(suggestedFilename: "a.safetensors", state: .completed)
        var seen: [(String, Bool, Bool)] = []
        let summary = CaptureReader.read(lines([.exchange(first), .exchange(Exchange(id: "e8", method: "GET", url: "http://x/", startedAt: 2)), .exchange(download)])) {
            seen.append(($0.id, $0.download != nil, $1))
        }
        #expect(seen.map(\.0) == ["e7", "e8", "e7"])
        #expect(seen.map(\.2) == [false, false, true])
        #expect(summary.skippedLineCount == 0)
        // CaptureFile keeps the newer record in the place of the first.
        let file = CaptureFile.parse(lines([.exchange(first), .exchange(download)]))
        #expect(file.exchanges.count == 1)
        #expect(file.exchanges.first?.download?.suggestedFilename == "a.safetensors")
    }

    @Test func everyIdCountsOnItsOwn() {
        // Ids were once tracked by hashValue: two ids with one hash would have dropped an exchange.
        let records = (0..<20_000).map { CaptureRecord.exchange(Exchange(id: "e\($0)", method: "GET", url: "http://x/\($0)", startedAt: Double($0))) }
        var count = 0
        _ = CaptureReader.read(lines(records)) { _, isUpdate in if !isUpdate { count += 1 } }
        #expect(count == 20_000)
    }

    @Test func countsEveryUnreadableLineAndKeepsTheFirstHundredWithTheirNumbers() {
        var text = String(decoding: lines([.exchange(Exchange(id: "e1", method: "GET", url: "http://x/", startedAt: 1))]), as: UTF8.self)
        for _ in 0..<150 { text += "{not json\n" }
        let summary = CaptureReader.read(Data(text.utf8)) { _, _ in }
        #expect(summary.skippedLineCount == 150)
        #expect(summary.skippedLines.count == CaptureReader.Summary.skippedLinesKept)
        #expect(summary.skippedLines.first?.line == 2)
    }

    @Test func aStreamIsHandedOutAtItsEndWithEveryMessage() {
        let stream = Exchange(id: "s", kind: .stream, method: "GET", url: "http://x/api/monitor", startedAt: 1, streamOpen: true)
        var seen: [Exchange] = []
        _ = CaptureReader.read(lines([
            .exchange(stream), .message(exchangeID: "s", StreamMessage(direction: .received, time: 2, data: "a")),
            .exchange(Exchange(id: "h", method: "GET", url: "http://x/", startedAt: 3)),
            .message(exchangeID: "s", StreamMessage(direction: .received, time: 4, data: "b")), .streamEnd(exchangeID: "s", time: 5, open: false),
        ])) { exchange, _ in seen.append(exchange) }
        #expect(seen.map(\.id) == ["h", "s"])
        #expect(seen.last?.messages.map(\.data) == ["a", "b"])
        #expect(seen.last?.streamOpen == false && seen.last?.endedAt == 5)
    }
}
