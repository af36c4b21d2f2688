@testable import Browser
import Foundation
import JSONCore
import Testing

/// The tracker fed replayed DevTools event sequences (the shapes Chromium sends), no browser.
@Suite struct NetworkTrackerTests {
    /// Feeds events and keeps everything the tracker returned.
    struct Replay {
        var tracker = NetworkTracker()
        var events: [NetworkEvent] = []
        var commands: [NetworkTrackerCommand] = []

        mutating func send(_ method: String, _ params: JSON, session: String? = "S") {
            let (events, commands) = tracker.handle(method: method, sessionId: session, params: params)
            self.events += events
            self.commands += commands
        }

        var requests: [NetworkRequest] { events.compactMap { if case .request(let request) = $0 { request } else { nil } } }
        var messages: [NetworkStreamMessage] { events.compactMap { if case .streamMessage(_, let message) = $0 { message } else { nil } } }
    }

    static func request(_ id: String, _ url: String, method: String = "GET", type: String = "Fetch", redirect: JSON? = nil) -> JSON {
        var params: [String: JSON] = [
            "requestId": .string(id), "type": .string(type), "timestamp": 100, "wallTime": 1_700_000_000,
            "request": ["url": .string(url), "method": .string(method), "headers": ["Accept": "*/*"]],
        ]
        if let redirect { params["redirectResponse"] = redirect }
        return .object(params)
    }

    static func response(_ url: String, status: Int, mime: String = "application/json", headers: JSON = ["Content-Type": "application/json"]) -> JSON {
        ["url": .string(url), "status": .integer(status), "statusText": "", "mimeType": .string(mime), "headers": headers]
    }

    static func responseReceived(_ id: String, _ url: String, status: Int = 200, mime: String = "application/json", type: String = "Fetch") -> JSON {
        ["requestId": .string(id), "type": .string(type), "response": response(url, status: status, mime: mime), "hasExtraInfo": true]
    }

    static func chunk(_ id: String, _ text: String) -> JSON {
        ["requestId": .string(id), "timestamp": 101, "dataLength": .integer(text.utf8.count), "data": .string(Data(text.utf8).base64EncodedString())]
    }

    @Test func extraInfoBeforeItsResponseGivesTheResponseItsWireHeaders() {
        var replay = Replay()
        replay.send("Network.requestWillBeSent", Self.request("1", "http://a.test/api"))
        replay.send("Network.responseReceivedExtraInfo", ["requestId": "1", "statusCode": 200, "headers": ["set-cookie": "sid=1"]])
        replay.send("Network.responseReceived", Self.responseReceived("1", "http://a.test/api"))
        replay.send("Network.loadingFinished", ["requestId": "1", "timestamp": 102])
        guard case .response(_, let response) = replay.events[1] else {
            Issue.record("the second event is the response, found \(replay.events)")
            return
        }
        #expect(response.headersFromWire)
        #expect(response.headers == ["set-cookie": "sid=1"])
        #expect(replay.events.count == 3)
        guard case .finished(let request, let finished) = replay.events[2] else {
            Issue.record("the request finished, found \(replay.events[2])")
            return
        }
        #expect(request.url == "http://a.test/api")
        #expect(finished?.headers == ["set-cookie": "sid=1"])
    }

    @Test func extraInfoAfterItsEventsComesAsWireHeadersOfThatHop() throws {
        var replay = Replay()
        replay.send("Network.requestWillBeSent", Self.request("1", "http://a.test/api", method: "POST"))
        replay.send("Network.responseReceived", Self.responseReceived("1", "http://a.test/api", status: 201))
        replay.send("Network.requestWillBeSentExtraInfo", ["requestId": "1", "headers": ["Cookie": "sid=1", "Accept": "*/*"]])
        replay.send("Network.responseReceivedExtraInfo", ["requestId": "1", "statusCode": 201, "headers": ["Set-Cookie": "b=2"]])
        replay.send("Network.loadingFinished", ["requestId": "1"])
        let request = try #require(replay.requests.first)
        #expect(replay.events == [
            .request(request),
            .response(request, NetworkResponse(
                url: "http://a.test/api", status: 201, statusText: "", mimeType: "application/json", headers: ["Content-Type": "application/json"],
                headersFromWire: false, resourceType: "Fetch", hasExtraInfo: true)),
            .wireHeaders(request, request: ["Cookie": "sid=1", "Accept": "*/*"], response: nil, status: nil),
            .wireHeaders(request, request: nil, response: ["Set-Cookie": "b=2"], status: 201),
            .finished(
                NetworkRequest(
                    id: request.id, sessionId: "S", requestId: "1", hop: 0, method: "POST", url: "http://a.test/api", resourceType: "Fetch",
                    headers: ["Cookie": "sid=1", "Accept": "*/*"], headersFromWire: true, redirectedFrom: nil, timestamp: 100, wallTime: 1_700_000_000),
                NetworkResponse(
                    url: "http://a.test/api", status: 201, statusText: "", mimeType: "application/json", headers: ["Set-Cookie": "b=2"],
                    headersFromWire: true, resourceType: "Fetch", hasExtraInfo: true)),
        ])
    }

    @Test func aRedirectChainIsOneHopPerURLEachPairedWithItsOwnExtraInfo() {
        var replay = Replay()
        replay.send("Network.requestWillBeSent", Self.request("7", "http://a.test/r1", type: "Document"))
        replay.send("Network.responseReceivedExtraInfo", ["requestId": "7", "statusCode": 302, "headers": ["Location": "/r2", "hop": "0"]])
        replay.send("Network.requestWillBeSent", Self.request("7", "http://a.test/r2", type: "Document", redirect: Self.response("http://a.test/r1", status: 302)))
        replay.send("Network.requestWillBeSent", Self.request("7", "http://a.test/end", type: "Document", redirect: Self.response("http://a.test/r2", status: 301)))
        replay.send("Network.responseReceivedExtraInfo", ["requestId": "7", "statusCode": 301, "headers": ["Location": "/end", "hop": "1"]])
        replay.send("Network.responseReceived", Self.responseReceived("7", "http://a.test/end", type: "Document"))
        replay.send("Network.responseReceivedExtraInfo", ["requestId": "7", "statusCode": 200, "headers": ["hop": "2"]])
        replay.send("Network.loadingFinished", ["requestId": "7"])

        let hops = replay.requests
        #expect(hops.map(\.url) == ["http://a.test/r1", "http://a.test/r2", "http://a.test/end"])
        #expect(hops.map(\.hop) == [0, 1, 2])
        #expect(hops.map(\.redirectedFrom) == [nil, hops[0].id, hops[1].id])
        #expect(Set(hops.map(\.id)).count == 3)
        var redirects: [(String, Int, [String: String])] = []
        var wire: [(String, String?)] = []
        for event in replay.events {
            if case .redirect(let request, let response) = event { redirects.append((request.url, response.status, response.headers)) }
            if case .wireHeaders(let request, _, let response, _) = event { wire.append((request.url, response?["hop"])) }
        }
        // The first hop's ExtraInfo came before its redirect: the redirect carries the wire headers.
        #expect(redirects.map(\.0) == ["http://a.test/r1", "http://a.test/r2"])
        #expect(redirects.map(\.1) == [302, 301])
        #expect(redirects[0].2["hop"] == "0")
        // The later hops' came after theirs: each pairs with its own hop, not the live one.
        #expect(wire.map(\.0) == ["http://a.test/r2", "http://a.test/end"])
        #expect(wire.map(\.1) == ["1", "2"])
        guard case .finished(let last, let response) = replay.events.last else {
            Issue.record("the chain ends finished, found \(String(describing: replay.events.last))")
            return
        }
        #expect(last.id == hops[2].id)
        #expect(response?.status == 200)
    }

    @Test func aFetchReadEventStreamIsSplitAcrossChunksAfterItsBufferedBytes() {
        var replay = Replay()
        replay.send("Network.requestWillBeSent", Self.request("9", "http://a.test/sse"))
        replay.send("Network.responseReceived", Self.responseReceived("9", "http://a.test/sse", mime: "text/event-stream"))
        #expect(replay.commands == [.streamResourceContent(sessionId: "S", requestId: "9")])
        // A chunk that comes before the reply waits behind the bytes buffered until then.
        replay.send("Network.dataReceived", Self.chunk("9", "ta: {\"step\":2}\n\nevent: sample\r\nda"))
        replay.events += replay.tracker.streamContentArrived(
            sessionId: "S", requestId: "9", bytes: Array("event: init\ndata: 0\n\n: ping\n\nevent: sample\nda".utf8), error: nil)
        replay.send("Network.dataReceived", Self.chunk("9", "ta: 3\r\nid: 3\r\n\r"))
        replay.send("Network.dataReceived", Self.chunk("9", "\ndata: unterminated"))
        replay.send("Network.loadingFinished", ["requestId": "9"])
        #expect(replay.messages.map(\.event) == ["init", "sample", "sample"])
        #expect(replay.messages.map(\.data) == ["0", "{\"step\":2}", "3"])
        #expect(replay.messages.map(\.eventId) == [nil, nil, "3"])
        guard case .finished = replay.events.last else {
            Issue.record("the stream ends finished, found \(String(describing: replay.events.last))")
            return
        }
    }

    @Test func anNDJSONStreamKeepsItsLastUnterminatedLineAndAnEventSourceItsMessages() {
        var replay = Replay()
        replay.send("Network.requestWillBeSent", Self.request("n", "http://a.test/logs"))
        replay.send("Network.responseReceived", Self.responseReceived("n", "http://a.test/logs", mime: "application/x-ndjson"))
        replay.events += replay.tracker.streamContentArrived(sessionId: "S", requestId: "n", bytes: [], error: nil)
        replay.send("Network.dataReceived", Self.chunk("n", "{\"a\":1}\n{\"b\":"))
        replay.send("Network.dataReceived", Self.chunk("n", "2}"))
        replay.send("Network.loadingFinished", ["requestId": "n", "timestamp": 104])
        replay.send("Network.requestWillBeSent", Self.request("e", "http://a.test/events", type: "EventSource"))
        replay.send("Network.responseReceived", Self.responseReceived("e", "http://a.test/events", mime: "text/event-stream", type: "EventSource"))
        replay.send("Network.eventSourceMessageReceived", ["requestId": "e", "eventName": "", "eventId": "4", "data": "plain", "timestamp": 103])
        // An EventSource needs no stream content: its messages come as events of their own.
        #expect(replay.commands == [.streamResourceContent(sessionId: "S", requestId: "n")])
        #expect(replay.messages == [
            NetworkStreamMessage(event: nil, eventId: nil, data: "{\"a\":1}", timestamp: 101),
            NetworkStreamMessage(event: nil, eventId: nil, data: "{\"b\":2}", timestamp: 104),
            NetworkStreamMessage(event: "message", eventId: "4", data: "plain", timestamp: 103),
        ])
    }

    @Test func aFailedRequestEndsWithItsErrorAndNoResponse() {
        var replay = Replay()
        replay.send("Network.requestWillBeSent", Self.request("f", "http://127.0.0.1:9/api"))
        replay.send("Network.loadingFailed", ["requestId": "f", "errorText": "net::ERR_CONNECTION_REFUSED", "canceled": false])
        replay.send("Network.loadingFinished", ["requestId": "f"])
        #expect(replay.events.count == 2)
        guard case .failed(let request, let response, let failure) = replay.events.last else {
            Issue.record("the request failed, found \(replay.events)")
            return
        }
        #expect(request.url == "http://127.0.0.1:9/api")
        #expect(response == nil)
        #expect(failure == NetworkFailure(errorText: "net::ERR_CONNECTION_REFUSED", canceled: false, blockedReason: nil))
    }

    @Test func aWebSocketIsCreatedExchangesFramesBothWaysAndCloses() {
        var replay = Replay()
        replay.send("Network.webSocketCreated", ["requestId": "w", "url": "ws://a.test/ws"])
        replay.send("Network.webSocketFrameSent", ["requestId": "w", "timestamp": 101, "response": ["opcode": 1, "mask": true, "payloadData": "hello"]])
        replay.send("Network.webSocketFrameReceived", ["requestId": "w", "timestamp": 102, "response": ["opcode": 2, "mask": false, "payloadData": "AAE="]])
        replay.send("Network.webSocketClosed", ["requestId": "w", "timestamp": 103])
        replay.send("Network.webSocketFrameReceived", ["requestId": "w", "response": ["opcode": 1, "payloadData": "late"]])
        let socket = NetworkWebSocket(id: "r1", sessionId: "S", requestId: "w", url: "ws://a.test/ws")
        #expect(replay.events == [
            .webSocketCreated(socket),
            .webSocketFrame(socket, NetworkWebSocketFrame(direction: .sent, opcode: 1, payload: "hello", timestamp: 101)),
            .webSocketFrame(socket, NetworkWebSocketFrame(direction: .received, opcode: 2, payload: "AAE=", timestamp: 102)),
            .webSocketClosed(socket, timestamp: 103),
        ])
    }

    @Test func downloadsAreReportedWithTheFrameThatStartedThem() {
        var replay = Replay()
        replay.send("Browser.downloadWillBegin", ["guid": "g", "url": "http://a.test/file.bin", "suggestedFilename": "lora.safetensors", "frameId": "F"], session: nil)
        replay.send("Browser.downloadProgress", ["guid": "g", "state": "completed", "receivedBytes": 10, "totalBytes": 10], session: nil)
        #expect(replay.events == [
            .downloadBegin(NetworkDownload(guid: "g", url: "http://a.test/file.bin", suggestedFilename: "lora.safetensors", frameId: "F")),
            .downloadProgress(guid: "g", state: "completed", receivedBytes: 10, totalBytes: 10),
        ])
        #expect(replay.events.allSatisfy { $0.sessionId == nil })
    }

    @Test func aRequestCarriesItsInitiatorBodyTimingAndWhereItsResponseCameFrom() throws {
        var replay = Replay()
        var params = Self.request("p", "http://a.test/api/upload", method: "POST").objectValue!
        params["initiator"] = ["type": "script", "stack": ["callFrames": [["url": "http://a.test/app.js", "lineNumber": 3]]]]
        params["request"] = [
            "url": "http://a.test/api/upload", "method": "POST", "headers": ["Content-Type": "text/plain"], "hasPostData": true,
            "postData": "ignored when the entries are whole",
            "postDataEntries": [["bytes": .string(Data("ab".utf8).base64EncodedString())], ["bytes": .string(Data("c".utf8).base64EncodedString())]],
        ]
        replay.send("Network.requestWillBeSent", .object(params))
        replay.send("Network.requestServedFromCache", ["requestId": "p"])
        var received = Self.responseReceived("p", "http://a.test/api/upload").objectValue!
        var response = received["response"]!.objectValue!
        response["protocol"] = "h2"
        response["remoteIPAddress"] = "10.0.0.1"
        response["remotePort"] = 443
        response["fromServiceWorker"] = true
        response["timing"] = ["requestTime": 100.001, "dnsStart": -1, "connectStart": 0.1, "connectEnd": 0.3, "sendStart": 0.4, "sendEnd": 0.5,
                              "receiveHeadersEnd": 20.5]
        received["response"] = .object(response)
        replay.send("Network.responseReceived", .object(received))
        replay.send("Network.loadingFinished", ["requestId": "p", "timestamp": 102.5])
        guard case .finished(let request, let finished) = replay.events.last, let finished else {
            Issue.record("the request finished with its response, found \(replay.events)")
            return
        }
        #expect(request.initiator == NetworkInitiator(type: "script", url: "http://a.test/app.js", lineNumber: 3))
        #expect(request.postData == Array("abc".utf8))
        #expect(request.hasPostData)
        #expect(request.endTimestamp == 102.5)
        #expect(finished.httpVersion == "h2")
        #expect(finished.remoteAddress == "10.0.0.1:443")
        #expect(finished.fromDiskCache)
        #expect(finished.fromServiceWorker)
        #expect(!finished.fromPrefetchCache)
        #expect(finished.hasExtraInfo)
        #expect(finished.timing == NetworkTiming(
            requestTime: 100.001, dnsStart: -1, dnsEnd: -1, connectStart: 0.1, connectEnd: 0.3, sslStart: -1, sslEnd: -1, sendStart: 0.4,
            sendEnd: 0.5, receiveHeadersEnd: 20.5))
        // A body too big to come inline is only announced.
        replay.send("Network.requestWillBeSent", .object([
            "requestId": "q", "request": ["url": "http://a.test/big", "method": "POST", "headers": [:], "hasPostData": true]]))
        #expect(replay.requests.last?.postData == nil)
        #expect(replay.requests.last?.hasPostData == true)
    }

    @Test func aRequestBlockedAfterTheServerAnsweredFailsWithWhatTheWireSaid() {
        var replay = Replay()
        replay.send("Network.requestWillBeSent", Self.request("c", "http://b.test/api"))
        replay.send("Network.responseReceivedExtraInfo", ["requestId": "c", "statusCode": 200, "headers": ["X-Wire": "1"]])
        replay.send("Network.loadingFailed", ["requestId": "c", "errorText": "net::ERR_FAILED", "timestamp": 101,
                                              "corsErrorStatus": ["corsError": "MissingAllowOriginHeader"]])
        guard case .failed(let request, let response, let failure) = replay.events.last else {
            Issue.record("the request failed, found \(replay.events)")
            return
        }
        #expect(response?.status == 200)
        #expect(response?.headers == ["X-Wire": "1"])
        #expect(response?.headersFromWire == true)
        #expect(failure == NetworkFailure(errorText: "net::ERR_FAILED", canceled: false, blockedReason: "MissingAllowOriginHeader", timestamp: 101))
        #expect(request.endTimestamp == 101)
        // Its wire headers coming after the failure still reach the consumers.
        replay.send("Network.requestWillBeSent", Self.request("d", "http://b.test/api"))
        replay.send("Network.loadingFailed", ["requestId": "d", "errorText": "net::ERR_FAILED"])
        replay.send("Network.responseReceivedExtraInfo", ["requestId": "d", "statusCode": 403, "headers": ["X-Wire": "2"]])
        guard case .wireHeaders(let late, nil, let headers, let status) = replay.events.last else {
            Issue.record("late wire headers of a failed hop, found \(replay.events)")
            return
        }
        #expect(late.requestId == "d")
        #expect(headers == ["X-Wire": "2"])
        #expect(status == 403)
    }

    @Test func aWebSocketReportsItsHandshakeBothWaysItsFrameErrorsAndWhenItClosed() {
        var replay = Replay()
        replay.send("Network.webSocketCreated", ["requestId": "w", "url": "ws://a.test/ws", "initiator": ["type": "script", "url": "http://a.test/app.js"]])
        replay.send("Network.webSocketWillSendHandshakeRequest", [
            "requestId": "w", "timestamp": 100, "wallTime": 1_700_000_000, "request": ["headers": ["Cookie": "sid=1"]]])
        replay.send("Network.webSocketHandshakeResponseReceived", [
            "requestId": "w", "timestamp": 100.1,
            "response": ["status": 101, "statusText": "Switching Protocols", "headers": ["Upgrade": "websocket"],
                         "requestHeaders": ["Cookie": "sid=1", "Sec-WebSocket-Key": "k"]]])
        replay.send("Network.webSocketFrameError", ["requestId": "w", "timestamp": 101, "errorMessage": "invalid frame"])
        replay.send("Network.webSocketClosed", ["requestId": "w", "timestamp": 102])
        let socket = NetworkWebSocket(
            id: "r1", sessionId: "S", requestId: "w", url: "ws://a.test/ws", initiator: NetworkInitiator(type: "script", url: "http://a.test/app.js"))
        #expect(replay.events == [
            .webSocketCreated(socket),
            .webSocketHandshake(socket, NetworkWebSocketHandshake(requestHeaders: ["Cookie": "sid=1"], timestamp: 100, wallTime: 1_700_000_000)),
            .webSocketHandshake(socket, NetworkWebSocketHandshake(
                requestHeaders: ["Cookie": "sid=1", "Sec-WebSocket-Key": "k"],
                response: NetworkResponse(
                    url: "ws://a.test/ws", status: 101, statusText: "Switching Protocols", mimeType: nil, headers: ["Upgrade": "websocket"],
                    headersFromWire: true, resourceType: "WebSocket"),
                timestamp: 100.1)),
            .webSocketFrameError(socket, message: "invalid frame", timestamp: 101),
            .webSocketClosed(socket, timestamp: 102),
        ])
    }

    @Test func aCommittedDocumentIsReportedAndAGoneTargetsRequestsAreForgotten() {
        var replay = Replay()
        replay.send("Network.requestWillBeSent", Self.request("1", "http://a.test/stream"))
        replay.send("Network.requestWillBeSent", Self.request("2", "http://a.test/other"), session: "T")
        replay.send("Page.frameNavigated", ["frame": ["id": "F", "loaderId": "L2", "url": "http://a.test/"]])
        replay.send("Page.frameNavigated", ["frame": ["id": "C", "parentId": "F", "loaderId": "L3", "url": "http://a.test/child"]])
        replay.send("Inspector.targetCrashed", [:])
        replay.send("Target.detachedFromTarget", ["sessionId": "T", "targetId": "X"], session: nil)
        replay.send("Network.loadingFinished", ["requestId": "1"])
        replay.send("Network.loadingFinished", ["requestId": "2"], session: "T")
        #expect(Array(replay.events.dropFirst(2)) == [
            .documentCommitted(sessionId: "S", frameId: "F", loaderId: "L2", isMainFrame: true),
            .documentCommitted(sessionId: "S", frameId: "C", loaderId: "L3", isMainFrame: false),
            .targetGone(sessionId: "S", crashed: true),
            .targetGone(sessionId: "T", crashed: false),
        ])
    }

    @Test func aStreamThatEndsBeforeItsBufferedBytesCameEndsAfterThem() {
        var replay = Replay()
        replay.send("Network.requestWillBeSent", Self.request("s", "http://a.test/logs"))
        replay.send("Network.responseReceived", Self.responseReceived("s", "http://a.test/logs", mime: "application/x-ndjson"))
        replay.send("Network.dataReceived", Self.chunk("s", "{\"c\":3}\n"))
        replay.send("Network.loadingFinished", ["requestId": "s", "timestamp": 105])
        // Nothing ends before the bytes buffered until streaming was on.
        #expect(replay.events.count == 2)
        replay.events += replay.tracker.streamContentArrived(sessionId: "S", requestId: "s", bytes: Array("{\"a\":1}\n{\"b\":2}\n".utf8), error: nil)
        #expect(replay.messages.map(\.data) == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
        guard case .finished(let request, _) = replay.events.last else {
            Issue.record("the stream finishes after its messages, found \(replay.events)")
            return
        }
        #expect(request.endTimestamp == 105)
        // A failed one too, with its failure.
        replay.send("Network.requestWillBeSent", Self.request("t", "http://a.test/sse"))
        replay.send("Network.responseReceived", Self.responseReceived("t", "http://a.test/sse", mime: "text/event-stream"))
        replay.send("Network.loadingFailed", ["requestId": "t", "errorText": "net::ERR_ABORTED", "canceled": true])
        replay.events += replay.tracker.streamContentArrived(sessionId: "S", requestId: "t", bytes: Array("data: last\n\n".utf8), error: nil)
        #expect(replay.messages.last?.data == "last")
        guard case .failed(_, _, let failure) = replay.events.last else {
            Issue.record("the stream fails after its messages, found \(replay.events)")
            return
        }
        #expect(failure.canceled)
    }
}

