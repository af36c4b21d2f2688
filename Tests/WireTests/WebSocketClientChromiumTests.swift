import JSONCore
import Testing
import TestSupport
@testable import Wire

/// `WebSocketClient` against a real Chromium's DevTools endpoint.
@Suite(.serialized) struct WebSocketClientChromiumTests {
    /// Reads messages until the reply with `id` (events in between are skipped).
    private func reply(_ id: Int, from client: WebSocketClient) async throws -> [UInt8] {
        while true {
            let message = try await client.receive()
            #expect(message.isText)
            let prefix = String(decoding: message.payload.prefix(32), as: UTF8.self)
            if prefix.hasPrefix("{\"id\":\(id),") { return message.payload }
        }
    }

    @Test func getsTheBrowserVersionAndClosesCleanly() async throws {
        try await withDebuggingPortChromium { chromium in
            let client = try await WebSocketClient.connect(url: chromium.browserWebSocketURL, timeout: .seconds(30))
            try await client.send(text: #"{"id":1,"method":"Browser.getVersion"}"#)
            let version = try JSON.parse(bytes: try await reply(1, from: client))
            #expect(version["result"]?["product"]?.stringValue?.contains("Chrome") == true)
            await client.close(code: 1000, reason: "done")
            #expect(client.endReason == .closed(code: 1000, reason: ""), "Chromium echoes the close code")
            await #expect(throws: WebSocketError.self) { try await client.send(text: "{}") }
        }
    }

    @Test func sendsAFragmentedMessageThatChromiumReassembles() async throws {
        try await withDebuggingPortChromium { chromium in
            let client = try await WebSocketClient.connect(url: chromium.browserWebSocketURL, timeout: .seconds(30))
            let text = Array(#"{"id":2,"method":"Browser.getVersion"}"#.utf8)
            try client.send(frame: WebSocketFrame(fin: false, opcode: .text, payload: Array(text[..<5])))
            try client.send(frame: WebSocketFrame(fin: false, opcode: .continuation, payload: Array(text[5..<20])))
            try client.send(frame: WebSocketFrame(fin: true, opcode: .continuation, payload: Array(text[20...])))
            let version = try JSON.parse(bytes: try await reply(2, from: client))
            #expect(version["result"]?["protocolVersion"]?.stringValue != nil)
            await client.close()
        }
    }

    @Test func receivesA50MegabyteEvaluateResultWhole() async throws {
        try await withDebuggingPortChromium { chromium in
            let client = try await WebSocketClient.connect(url: chromium.browserWebSocketURL, timeout: .seconds(30))
            try client.sendText(#"{"id":1,"method":"Target.createTarget","params":{"url":"about:blank"}}"#)
            let targetId = try #require(try JSON.parse(bytes: try await reply(1, from: client))["result"]?["targetId"]?.stringValue)
            try client.sendText(#"{"id":2,"method":"Target.attachToTarget","params":{"targetId":"\#(targetId)","flatten":true}}"#)
            let sessionId = try #require(try JSON.parse(bytes: try await reply(2, from: client))["result"]?["sessionId"]?.stringValue)
            try client.sendText(
                #"{"id":3,"sessionId":"\#(sessionId)","method":"Runtime.evaluate","params":{"expression":"'x'.repeat(50000000)","returnByValue":true}}"#)
            let payload = try await reply(3, from: client)
            #expect(payload.count > 50_000_000)
            let head = String(decoding: payload.prefix(80), as: UTF8.self)
            #expect(head.contains(#""value":"xxxx"#), "\(head)")
            let tail = String(decoding: payload.suffix(80), as: UTF8.self)
            #expect(tail.contains(sessionId), "\(tail)")
            await client.close()
        }
    }

    @Test func refusesSchemesOtherThanWSAndWSS() async {
        await #expect(throws: WebSocketError.unsupportedURL(
            "http://127.0.0.1:9222/devtools/browser/x: only ws:// and wss:// URLs are supported")
        ) {
            try await WebSocketClient.connect(url: "http://127.0.0.1:9222/devtools/browser/x", timeout: .seconds(1))
        }
    }
}
