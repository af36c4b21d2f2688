@testable import DevTools
import Foundation
import JSONCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Envelope scanning")
struct EnvelopeTests {
    @Test func aReplyIsFoundByIdWithItsResultRange() throws {
        let message = Array(#"{"id":42,"result":{"result":{"type":"string","value":"}\"{"}},"sessionId":"S1"}"#.utf8)
        let envelope = try Envelope.scan(message)
        #expect(envelope.id == 42)
        #expect(envelope.sessionId == "S1")
        #expect(envelope.method == nil)
        let result = try #require(envelope.result)
        #expect(try JSON.parse(bytes: message[result]) == ["result": ["type": "string", "value": "}\"{"]])
    }

    @Test func anEventInAnyKeyOrderWithEscapes() throws {
        let message = Array(#" { "sessionId" : "a\"b", "params": {"x": [1, {"y": "\\"}]}, "method":"Runtime.consoleAPICalled" } "#.utf8)
        let envelope = try Envelope.scan(message)
        #expect(envelope.id == nil)
        #expect(envelope.method == "Runtime.consoleAPICalled")
        #expect(envelope.sessionId == "a\"b")
        let params = try #require(envelope.params)
        #expect(try JSON.parse(bytes: message[params]) == ["x": [1, ["y": "\\"]]])
    }

    @Test func anErrorReplyKeepsItsErrorRange() throws {
        let message = Array(#"{"id":7,"error":{"code":-32601,"message":"'Nope.x' wasn't found"}}"#.utf8)
        let envelope = try Envelope.scan(message)
        #expect(envelope.id == 7)
        #expect(envelope.error != nil)
        #expect(envelope.result == nil)
    }

    @Test func truncatedMessagesAreRejected() {
        for text in [#"{"id":1,"result":{"a":"b"#, #"{"id":1,"#, "", "[1]"] {
            #expect(throws: DevToolsError.self, "\(text)") { try Envelope.scan(Array(text.utf8)) }
        }
    }
}

@Suite("Pipe framing")
struct PipeFramingTests {
    /// A real pipe: what one side writes, the transport reads as NUL-separated messages.
    static func pipePair() throws -> (transport: PipeTransport, feed: Int32) {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        let devNull = open("/dev/null", O_WRONLY)
        return (PipeTransport(readDescriptor: descriptors[0], writeDescriptor: devNull), descriptors[1])
    }

    @Test func messagesSplitAcrossWritesAndJoinedInOneWriteComeOutWhole() throws {
        let (transport, feed) = try Self.pipePair()
        let chunks = [#"{"id":1}"# + "\0" + #"{"id":2,"#, #""x":"y"}"# + "\0", #"{"id":3}"# + "\0"]
        for chunk in chunks { _ = chunk.utf8CString.withUnsafeBufferPointer { write(feed, $0.baseAddress, $0.count - 1) } }
        close(feed)
        var messages: [String] = []
        while let message = try transport.receive() { messages.append(String(decoding: message, as: UTF8.self)) }
        #expect(messages == [#"{"id":1}"#, #"{"id":2,"x":"y"}"#, #"{"id":3}"#])
    }

    @Test func aLargeMessageArrivesWhole() async throws {
        let (transport, feed) = try Self.pipePair()
        let body = String(repeating: "z", count: 3_000_000)
        let writer = Thread {
            let text = #"{"v":""# + body + #""}"# + "\0"
            var bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeMutableBytes { write(feed, $0.baseAddress, $0.count) }
                if written <= 0 { break }
                offset += written
            }
            bytes.removeAll()
            close(feed)
        }
        writer.start()
        let message = try #require(try transport.receive())
        #expect(message.count == body.count + 8)
        #expect(try transport.receive() == nil)
    }
}
