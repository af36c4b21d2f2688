import Testing
@testable import Wire

/// Frame encoding and parsing, checked against the byte-exact examples of RFC 6455 section 5.7.
@Suite struct WebSocketFrameTests {
    private func parseAll(_ bytes: [UInt8], masking: WebSocketFrameParser.Masking = .allowed, limit: Int = 256 << 20) throws -> [WebSocketFrame] {
        var parser = WebSocketFrameParser(maximumPayloadSize: limit, masking: masking)
        parser.append(bytes)
        var frames: [WebSocketFrame] = []
        while let frame = try parser.nextFrame() { frames.append(frame) }
        #expect(parser.bufferedByteCount == 0)
        return frames
    }

    @Test func encodesTheRFCUnmaskedAndMaskedExamples() {
        let hello = Array("Hello".utf8)
        #expect(WebSocketFrame(opcode: .text, payload: hello).encoded(maskingKey: nil)
            == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        #expect(WebSocketFrame(opcode: .text, payload: hello).encoded(maskingKey: 0x37FA_213D)
            == [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
        #expect(WebSocketFrame(opcode: .ping, payload: hello).encoded(maskingKey: nil).prefix(2) == [0x89, 0x05])
    }

    @Test func parsesAndUnmasksTheRFCMaskedExample() throws {
        let frames = try parseAll([0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58], masking: .required)
        #expect(frames == [WebSocketFrame(opcode: .text, payload: Array("Hello".utf8), masked: true)])
    }

    @Test func masksLongPayloadsTheSameAsByteByByte() {
        let payload = (0..<1003).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let key: UInt32 = 0xA1B2_C3D4
        let keyBytes: [UInt8] = [0xA1, 0xB2, 0xC3, 0xD4]
        let expected = payload.enumerated().map { $0.element ^ keyBytes[$0.offset % 4] }
        var masked = payload
        masked.withUnsafeMutableBytes { WebSocketFrame.applyMask(key, to: $0) }
        #expect(masked == expected)
        masked.withUnsafeMutableBytes { WebSocketFrame.applyMask(key, to: $0) }
        #expect(masked == payload)
    }

    @Test(arguments: [(0, 2), (125, 2), (126, 4), (65535, 4), (65536, 10), (300_000, 10)])
    func usesTheShortestOfTheThreeLengthEncodings(length: Int, headerSize: Int) throws {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0) }
        let unmasked = WebSocketFrame(opcode: .binary, payload: payload).encoded(maskingKey: nil)
        #expect(unmasked.count == headerSize + length)
        switch headerSize {
        case 2: #expect(unmasked[1] == UInt8(length))
        case 4: #expect(unmasked[1] == 126 && Int(unmasked[2]) << 8 | Int(unmasked[3]) == length)
        default: #expect(unmasked[1] == 127 && unmasked[2...9].reduce(0) { $0 << 8 | Int($1) } == length)
        }
        let masked = WebSocketFrame(opcode: .binary, payload: payload).encoded(maskingKey: WebSocketFrame.randomMaskingKey())
        #expect(masked.count == headerSize + 4 + length)
        #expect(try parseAll(unmasked, masking: .forbidden).first?.payload == payload)
        #expect(try parseAll(masked, masking: .required).first?.payload == payload)
    }

    @Test func parsesIncrementallyOneByteAtATime() throws {
        let stream = WebSocketFrame(opcode: .text, payload: Array("first".utf8)).encoded(maskingKey: 1)
            + WebSocketFrame(opcode: .binary, payload: [UInt8](repeating: 9, count: 70_000)).encoded(maskingKey: 2)
        var parser = WebSocketFrameParser()
        var frames: [WebSocketFrame] = []
        for byte in stream {
            parser.append([byte])
            while let frame = try parser.nextFrame() { frames.append(frame) }
        }
        #expect(frames.map(\.opcode) == [.text, .binary])
        #expect(frames[1].payload.count == 70_000 && frames[1].payload.allSatisfy { $0 == 9 })
    }

    @Test func parsesLargeFramesArrivingInPiecesWithOrWithoutBytesAfterThem() throws {
        let large = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let alone = WebSocketFrame(opcode: .binary, payload: large).encoded(maskingKey: 0xDEAD_BEEF)
        let followed = alone + WebSocketFrame(opcode: .text, payload: Array("next".utf8)).encoded(maskingKey: 3)
        for stream in [alone, followed] {
            var parser = WebSocketFrameParser()
            var frames: [WebSocketFrame] = []
            var offset = 0
            while offset < stream.count {
                let end = min(offset + 997, stream.count)
                parser.append(stream[offset..<end])
                offset = end
                while let frame = try parser.nextFrame() { frames.append(frame) }
            }
            #expect(frames.first?.payload == large)
            #expect(frames.count == (stream.count == alone.count ? 1 : 2))
            #expect(parser.bufferedByteCount == 0)
        }
    }

    @Test func rejectsReservedBitsAndUnknownOpcodes() {
        #expect(throws: WebSocketError.protocolViolation("reserved bits set (RSV 4) but no extension was negotiated")) {
            try parseAll([0xC1, 0x00])
        }
        #expect(throws: WebSocketError.protocolViolation("unknown opcode 0x3")) { try parseAll([0x83, 0x00]) }
        #expect(throws: WebSocketError.protocolViolation("unknown opcode 0xb")) { try parseAll([0x8B, 0x00]) }
    }

    @Test func rejectsFragmentedAndOversizedControlFrames() {
        #expect(throws: WebSocketError.protocolViolation("fragmented ping frame (control frames cannot be fragmented)")) {
            try parseAll([0x09, 0x00])
        }
        let longPing = WebSocketFrame(opcode: .ping, payload: [UInt8](repeating: 0, count: 126)).encoded(maskingKey: nil)
        #expect(throws: WebSocketError.protocolViolation("ping frame of 126 bytes (control frames carry at most 125)")) {
            try parseAll(longPing)
        }
    }

    @Test func enforcesTheMaskingRuleOfEachSide() {
        let unmasked = WebSocketFrame(opcode: .text, payload: [0x41]).encoded(maskingKey: nil)
        let masked = WebSocketFrame(opcode: .text, payload: [0x41]).encoded(maskingKey: 5)
        #expect(throws: WebSocketError.protocolViolation("a client frame arrived unmasked")) { try parseAll(unmasked, masking: .required) }
        #expect(throws: WebSocketError.protocolViolation("a server frame arrived masked")) { try parseAll(masked, masking: .forbidden) }
    }

    @Test func rejectsAFrameOverTheSizeLimitFromItsHeaderAlone() throws {
        // Only the header: the parser must refuse before any payload arrives.
        var parser = WebSocketFrameParser(maximumPayloadSize: 1000)
        parser.append([0x82, 127, 0, 0, 0, 0, 0x40, 0, 0, 0])
        let error = try #require(throws: WebSocketError.self) { try parser.nextFrame() }
        #expect(error == .messageTooLarge(size: 1 << 30, limit: 1000))
        #expect(error.description.contains("1073741824 bytes exceeds the maximum message size of 1000 bytes"))
        #expect(error.closeCode == 1009)
        #expect(throws: WebSocketError.messageTooLarge(size: 1001, limit: 1000)) {
            try parseAll(WebSocketFrame(opcode: .binary, payload: [UInt8](repeating: 0, count: 1001)).encoded(maskingKey: nil), limit: 1000)
        }
    }

    @Test func rejectsA64BitLengthWithTheTopBitSet() {
        #expect(throws: WebSocketError.protocolViolation("64-bit payload length has its most significant bit set")) {
            try parseAll([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1])
        }
    }
}

@Suite struct WebSocketMessageAssemblerTests {
    private func frame(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true) -> WebSocketFrame {
        WebSocketFrame(fin: fin, opcode: opcode, payload: Array(text.utf8))
    }

    @Test func reassemblesTheRFCFragmentedExample() throws {
        var parser = WebSocketFrameParser()
        parser.append([0x01, 0x03, 0x48, 0x65, 0x6C, 0x80, 0x02, 0x6C, 0x6F])
        var assembler = WebSocketMessageAssembler()
        #expect(try assembler.push(try #require(try parser.nextFrame())) == nil)
        #expect(assembler.isInsideFragmentedMessage)
        #expect(try assembler.push(try #require(try parser.nextFrame())) == .message(.text("Hello")))
        #expect(!assembler.isInsideFragmentedMessage)
    }

    @Test func letsControlFramesInterleaveInAFragmentedMessage() throws {
        var assembler = WebSocketMessageAssembler()
        #expect(try assembler.push(frame(.binary, "ab", fin: false)) == nil)
        #expect(try assembler.push(frame(.ping, "p1")) == .ping(Array("p1".utf8)))
        #expect(try assembler.push(frame(.continuation, "cd", fin: false)) == nil)
        #expect(try assembler.push(frame(.pong, "p2")) == .pong(Array("p2".utf8)))
        #expect(try assembler.push(frame(.continuation, "ef")) == .message(.binary(Array("abcdef".utf8))))
    }

    @Test func rejectsBrokenFragmentSequences() {
        var assembler = WebSocketMessageAssembler()
        #expect(throws: WebSocketError.protocolViolation("a continuation frame arrived with no fragmented message to continue")) {
            try assembler.push(frame(.continuation, "x"))
        }
        #expect(throws: WebSocketError.protocolViolation("a new text message started before the fragmented binary message ended")) {
            _ = try assembler.push(frame(.binary, "a", fin: false))
            _ = try assembler.push(frame(.text, "b"))
        }
    }

    @Test func rejectsAFragmentedMessageThatGrowsPastTheLimit() throws {
        var assembler = WebSocketMessageAssembler(maximumMessageSize: 10)
        _ = try assembler.push(frame(.text, "123456", fin: false))
        let error = try #require(throws: WebSocketError.self) { try assembler.push(frame(.continuation, "7890x")) }
        #expect(error == .messageTooLarge(size: 11, limit: 10))
        #expect(error.description == "WebSocket message of 11 bytes exceeds the maximum message size of 10 bytes (raise maximumMessageSize to accept it)")
    }

    @Test func acceptsACharacterSplitAcrossFragments() throws {
        var assembler = WebSocketMessageAssembler()
        let euro: [UInt8] = [0xE2, 0x82, 0xAC]
        _ = try assembler.push(WebSocketFrame(fin: false, opcode: .text, payload: [0x41, euro[0]]))
        #expect(try assembler.push(WebSocketFrame(opcode: .continuation, payload: Array(euro[1...]))) == .message(.text("A€")))
    }

    @Test(arguments: [
        ([0x41, 0xFF] as [UInt8], "invalid byte 0xff at offset 1"),
        ([0xC0, 0x80], "invalid byte 0xc0 at offset 0"),  // overlong NUL
        ([0xED, 0xA0, 0x80], "invalid byte 0xed at offset 0"),  // UTF-16 surrogate
        ([0xF4, 0x90, 0x80, 0x80], "invalid byte 0xf4 at offset 0"),  // above U+10FFFF
        ([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0xE2, 0x82], "ends inside a multi-byte sequence"),
    ])
    func rejectsInvalidUTF8InATextFrame(payload: [UInt8], detail: String) throws {
        var assembler = WebSocketMessageAssembler()
        let error = try #require(throws: WebSocketError.self) { try assembler.push(WebSocketFrame(opcode: .text, payload: payload)) }
        #expect(error.description.contains(detail), "\(error)")
        #expect(error.closeCode == 1007)
    }

    @Test func acceptsEveryKindOfValidUTF8() throws {
        var assembler = WebSocketMessageAssembler()
        let text = String(repeating: "ascii run, ", count: 3) + "é€😀\u{10FFFF}\u{FFFF}"
        #expect(try assembler.push(frame(.text, text)) == .message(.text(text)))
        // Binary messages are not UTF-8 checked.
        #expect(try assembler.push(WebSocketFrame(opcode: .binary, payload: [0xFF])) == .message(.binary([0xFF])))
    }
}

@Suite struct WebSocketCloseTests {
    @Test(arguments: [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999] as [UInt16])
    func acceptsValidCloseCodes(code: UInt16) throws {
        let close = WebSocketClose(code: code, reason: "bye")
        #expect(try WebSocketClose(payload: close.payload) == close)
    }

    @Test(arguments: [0, 999, 1004, 1005, 1006, 1012, 1015, 2999, 5000, 65535] as [UInt16])
    func rejectsCodesNotAllowedOnTheWire(code: UInt16) {
        #expect(throws: WebSocketError.protocolViolation("close frame with status code \(code), which is not allowed on the wire")) {
            try WebSocketClose(payload: [UInt8(code >> 8), UInt8(code & 0xFF)])
        }
    }

    @Test func readsAnEmptyCloseAsNoStatusAndRejectsAOneByteBody() throws {
        #expect(try WebSocketClose(payload: []) == WebSocketClose(code: nil))
        #expect(WebSocketClose(code: nil).payload.isEmpty)
        #expect(throws: WebSocketError.protocolViolation("close frame with a 1-byte body (a status code takes 2)")) {
            try WebSocketClose(payload: [0x03])
        }
    }

    @Test func rejectsAReasonThatIsNotUTF8() {
        #expect(throws: WebSocketError.invalidUTF8("close reason has an invalid byte 0xff at offset 0 of 1")) {
            try WebSocketClose(payload: [0x03, 0xE8, 0xFF])
        }
    }

    @Test func cutsALongReasonToFitAControlFrameOnACharacterBoundary() throws {
        let close = WebSocketClose(code: 1000, reason: String(repeating: "€", count: 50))
        #expect(close.payload.count == 2 + 123)
        #expect(try WebSocketClose(payload: close.payload).reason == String(repeating: "€", count: 41))
    }

    @Test func aCloseFrameBecomesACloseEvent() throws {
        var assembler = WebSocketMessageAssembler()
        let payload = WebSocketClose(code: 1001, reason: "going away").payload
        #expect(try assembler.push(WebSocketFrame(opcode: .close, payload: payload)) == .close(WebSocketClose(code: 1001, reason: "going away")))
    }
}
