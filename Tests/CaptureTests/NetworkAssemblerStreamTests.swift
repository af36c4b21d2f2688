import Foundation
import JSONCore
import Testing
@testable import Capture
@testable import Recording

@Suite struct NetworkAssemblerStreamTests {
    typealias F = AssemblerFixture

    static func chunk(_ id: String, _ text: String, at timestamp: Double) -> JSON {
        ["requestId": .string(id), "timestamp": .number(timestamp), "dataLength": .integer(text.utf8.count),
         "data": .string(Data(text.utf8).base64EncodedString())]
    }

    @Test func bytesBufferedBeforeStreamingWasOnComeBeforeChunksThatRacedTheReply() throws {
        let f = try F()
        f.send("Network.requestWillBeSent", F.request("m", "http://127.0.0.1:9/api/monitor"))
        f.send("Network.responseReceived", F.response("m", mime: "text/event-stream", hasExtraInfo: false))
        #expect(f.trackerCommands == [.streamResourceContent(sessionId: "S1", requestId: "m")])
        // A chunk with data arrives before the command's reply is processed.
        f.send("Network.dataReceived", Self.chunk("m", "event: sample\ndata: 2\n\n", at: 101))
        f.streamContent("m", bytes: Array("event: init\ndata: 0\n\nevent: sample\ndata: 1\n\n".utf8))
        f.send("Network.dataReceived", Self.chunk("m", "event: sample\ndata: 3\n\n", at: 102))
        let file = try f.finish()
        let stream = try #require(file.exchanges.first)
        #expect(stream.kind == .stream)
        #expect(stream.streamOpen)
        #expect(stream.messages.map(\.data) == ["0", "1", "2", "3"])
        #expect(stream.messages.map(\.event) == ["init", "sample", "sample", "sample"])
    }

    @Test func aStreamThatEndsIsClosedWithItsLastUnterminatedLine() throws {
        let f = try F()
        f.send("Network.requestWillBeSent", F.request("n", "http://127.0.0.1:9/api/logs"))
        f.send("Network.responseReceived", F.response("n", mime: "application/x-ndjson", hasExtraInfo: false))
        #expect(f.trackerCommands == [.streamResourceContent(sessionId: "S1", requestId: "n")], "an NDJSON response asks for its stream content")
        f.streamContent("n", bytes: [])
        f.send("Network.dataReceived", Self.chunk("n", "{\"a\":1}\n{\"b\":", at: 101))
        f.send("Network.dataReceived", Self.chunk("n", "2}", at: 102))
        f.send("Network.loadingFinished", F.finished("n", timestamp: 103))
        let lines = try f.lines().compactMap { $0["record"]?.stringValue }
        #expect(lines == ["header", "exchange", "message", "message", "exchange", "stream-end"])
        let stream = try #require(try f.finish().exchanges.first)
        #expect(!stream.streamOpen)
        #expect(stream.messages.map(\.data) == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(stream.endedAt == 1_700_000_003)
    }

    @Test func aStreamThatEndedBeforeItsBufferedBytesCameKeepsThemAndIsClosed() throws {
        let f = try F()
        f.send("Network.requestWillBeSent", F.request("q", "http://127.0.0.1:9/api/quick"))
        f.send("Network.responseReceived", F.response("q", mime: "text/event-stream", hasExtraInfo: false))
        f.send("Network.loadingFinished", F.finished("q", timestamp: 101))
        f.streamContent("q", bytes: Array("event: init\ndata: 0\n\nevent: done\ndata: 1\n\n".utf8))
        let stream = try #require(try f.finish().exchanges.first)
        #expect(stream.kind == .stream)
        #expect(!stream.streamOpen)
        #expect(stream.messages.map(\.event) == ["init", "done"])
        #expect(stream.endedAt == 1_700_000_001)
    }

    @Test func eventSourceMessagesAreRecordedWithoutStreamingContent() throws {
        let f = try F()
        f.send("Network.requestWillBeSent", F.request("e", "http://127.0.0.1:9/events", type: "EventSource"))
        f.send("Network.responseReceived", F.response("e", mime: "text/event-stream", hasExtraInfo: false, type: "EventSource"))
        f.send("Network.eventSourceMessageReceived", ["requestId": "e", "timestamp": 101, "eventName": "progress", "eventId": "9", "data": "{\"p\":1}"])
        f.send("Network.eventSourceMessageReceived", ["requestId": "e", "timestamp": 102, "eventName": "", "eventId": "", "data": "x"])
        #expect(f.commands.isEmpty)
        #expect(f.trackerCommands.isEmpty)
        let stream = try #require(try f.finish().exchanges.first)
        #expect(stream.messages.map(\.event) == ["progress", "message"])
        #expect(stream.messages.map(\.eventId) == ["9", nil])
        #expect(stream.streamOpen)
    }

    @Test func webSocketIsWrittenWhenItOpensThenFramesThenItsEnd() throws {
        let f = try F(secrets: [SecretValue(name: "HF_TOKEN", value: "hf_secret_1")])
        f.send("Network.webSocketCreated", ["requestId": "w", "url": "ws://127.0.0.1:9/_next/webpack-hmr", "initiator": ["type": "script"]])
        f.send("Network.webSocketWillSendHandshakeRequest", ["requestId": "w", "timestamp": 200, "wallTime": 1_700_000_100, "request": ["headers": ["Upgrade": "websocket", "Cookie": "a=b"]]])
        f.send("Network.webSocketHandshakeResponseReceived", ["requestId": "w", "timestamp": 200.01, "response": ["status": 101, "statusText": "Switching Protocols", "headers": ["Upgrade": "websocket"]]])
        f.send("Network.webSocketFrameReceived", ["requestId": "w", "timestamp": 200.5, "response": ["opcode": 1, "mask": false, "payloadData": "{\"action\":\"building\"}"]])
        f.send("Network.webSocketFrameSent", ["requestId": "w", "timestamp": 200.6, "response": ["opcode": 1, "mask": true, "payloadData": "{\"token\":\"hf_secret_1\"}"]])
        f.send("Network.webSocketFrameSent", ["requestId": "w", "timestamp": 200.7, "response": ["opcode": 2, "mask": true, "payloadData": "AQID"]])
        f.send("Network.webSocketFrameError", ["requestId": "w", "timestamp": 200.8, "errorMessage": "Invalid frame header"])
        f.send("Network.webSocketClosed", ["requestId": "w", "timestamp": 201])
        let kinds = try f.lines().compactMap { $0["record"]?.stringValue }
        #expect(kinds == ["header", "exchange", "message", "message", "message", "exchange", "stream-end"])
        let socket = try #require(try f.finish().exchanges.first)
        #expect(socket.kind == .websocket && socket.response?.status == 101)
        #expect(socket.startedAt == 1_700_000_100)
        #expect(socket.request.headers.value(of: "cookie") == "a=<redacted:cookie>")
        #expect(socket.messages.map(\.direction) == [.received, .sent, .sent])
        #expect(socket.messages[1].data == #"{"token":"<redacted:HF_TOKEN>"}"#)
        #expect(socket.messages[2].base64 && socket.messages[2].opcode == 2)
        #expect(abs(socket.messages[0].time - 1_700_000_100.5) < 0.0001)
        #expect(!socket.streamOpen && socket.endedAt == 1_700_000_101)
        #expect(socket.failure?.errorText == "Invalid frame header")
    }

    @Test func aNavigationEndsWhatTheOldDocumentStillHadOpen() throws {
        let f = try F()
        var old = F.request("m", "http://127.0.0.1:9/api/monitor")
        old = .object((old.objectValue ?? [:]).merging(["loaderId": "L1"]) { $1 })
        f.send("Network.requestWillBeSent", old)
        f.send("Network.responseReceived", F.response("m", mime: "text/event-stream", hasExtraInfo: false))
        f.send("Network.requestWillBeSent", .object((F.request("p", "http://127.0.0.1:9/api/pending").objectValue ?? [:]).merging(["loaderId": "L1"]) { $1 }))
        f.send("Network.webSocketCreated", ["requestId": "w", "url": "ws://127.0.0.1:9/_next/webpack-hmr"])
        f.send("Network.webSocketHandshakeResponseReceived", ["requestId": "w", "timestamp": 200, "response": ["status": 101, "headers": [:]]])
        // The new document's own request is not the old document's.
        f.send("Network.requestWillBeSent", .object((F.request("doc", "http://127.0.0.1:9/datasets", type: "Document").objectValue ?? [:]).merging(["loaderId": "L2"]) { $1 }))
        f.send("Page.frameNavigated", ["frame": ["id": "MAIN", "loaderId": "L2", "url": "http://127.0.0.1:9/datasets"], "type": "Navigation"])
        f.send("Network.responseReceived", F.response("doc", mime: "text/html", hasExtraInfo: false, type: "Document"))
        f.send("Network.loadingFinished", F.finished("doc"))
        f.answerBodies(["doc": "<html>"])
        let exchanges = try f.finish().exchanges
        let byURL = Dictionary(uniqueKeysWithValues: exchanges.map { (BackgroundPolls.path(of: $0.url), $0) })
        #expect(byURL["/api/monitor"]?.streamOpen == false)
        #expect(byURL["/_next/webpack-hmr"]?.streamOpen == false)
        #expect(byURL["/api/pending"]?.failure?.canceled == true)
        #expect(byURL["/datasets"]?.failure == nil && byURL["/datasets"]?.response?.body?.text == "<html>")
    }

    @Test func aWebSocketThatNeverOpenedIsAFailure() throws {
        let f = try F()
        f.send("Network.webSocketCreated", ["requestId": "w", "url": "ws://127.0.0.1:1/ws"])
        f.send("Network.webSocketClosed", ["requestId": "w", "timestamp": 201])
        let socket = try #require(try f.finish().exchanges.first)
        #expect(socket.failure?.errorText == "WebSocket closed before the handshake completed")
    }

    @Test func aDownloadHoldsItsRequestUntilTheFileIsSaved() throws {
        let f = try F()
        f.send("Network.requestWillBeSent", F.request("d", "http://127.0.0.1:9/api/files/lora.safetensors", type: "Document"))
        f.send("Browser.downloadWillBegin", ["guid": "G1", "url": "http://127.0.0.1:9/api/files/lora.safetensors", "suggestedFilename": "lora.safetensors", "frameId": "MAIN"], session: nil)
        f.send("Network.loadingFailed", ["requestId": "d", "errorText": "net::ERR_ABORTED", "canceled": true])
        #expect(try f.lines().count == 1)
        f.send("Browser.downloadProgress", ["guid": "G1", "totalBytes": 10, "receivedBytes": 10, "state": "completed"], session: nil)
        #expect(f.commands.last == .saveDownload(guid: "G1", suggestedFilename: "lora.safetensors"))
        f.core.withAssembler { $0.downloadSaved(guid: "G1", path: "downloads/lora.safetensors", size: 10, sha256: "ab", error: nil) }
        let exchange = try #require(try f.finish().exchanges.first)
        #expect(exchange.download == Download(suggestedFilename: "lora.safetensors", path: "downloads/lora.safetensors", size: 10, sha256: "ab", state: .completed))
        #expect(exchange.failure == nil)
    }

    @Test func aSavedDownloadGetsAUniqueNameAndItsGUIDLinksToIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("downloads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("first".utf8).write(to: folder.appendingPathComponent("lora.safetensors"))
        try Data("abc".utf8).write(to: folder.appendingPathComponent("G2"))
        let saved = try DownloadFiles.save(guid: "G2", suggestedFilename: "lora.safetensors", in: folder, redactor: Redactor(secrets: []))
        #expect(saved.name == "lora (1).safetensors")
        #expect(saved.size == 3 && saved.sha256 == SHA256.hex(Array("abc".utf8)) && !saved.redacted)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.appendingPathComponent("G2").path) == "lora (1).safetensors")
        #expect(DownloadFiles.sanitized("../x/y") == ".._x_y")
    }

    @Test func keepSecretsWritesValuesAsTheyWereAndSaysSoInTheHeader() throws {
        let f = try F(secrets: [SecretValue(name: "P", value: "pw-12345")], keepSecrets: true)
        f.send("Network.requestWillBeSent", F.request("1", "http://127.0.0.1:9/api/login?p=pw-12345", headers: ["Authorization": "Bearer pw-12345"]))
        f.send("Network.loadingFailed", ["requestId": "1", "errorText": "x"])
        let file = try f.finish()
        #expect(file.header?.redacted == false)
        #expect(file.exchanges.first?.url.hasSuffix("p=pw-12345") == true)
        #expect(file.exchanges.first?.request.headers.value(of: "Authorization") == "Bearer pw-12345")
    }

    @Test func backgroundPollsAreMarkedInTheHAR() throws {
        let f = try F()
        for index in 0..<4 {
            let id = "p\(index)"
            f.send("Network.requestWillBeSent", F.request(id, "http://127.0.0.1:9/api/queue", timestamp: 100 + Double(index) * 2, wallTime: 1_700_000_000 + Double(index) * 2))
            f.send("Network.loadingFailed", ["requestId": .string(id), "errorText": "x"])
        }
        _ = try f.finish()
        let har = try JSON.parse(bytes: [UInt8](Data(contentsOf: f.core.options.harURL)))
        #expect(HARValidator.problems(har) == [])
        #expect(har["log"]?["entries"]?.arrayValue?.map { $0["_discover"]?["backgroundPoll"] } == [true, true, true, true])
    }
}
