import Testing
@testable import JSONCore

@Suite struct JSONStringParsingTests {
    static func quoted(_ body: String) -> String { "\"" + body + "\"" }

    @Test func longStringWithoutEscapes() throws {
        let text = String(repeating: "abcdefgh-é-😀-", count: 10_000)
        #expect(try JSON.parse(Self.quoted(text)) == .string(text))
    }

    @Test func longStringWithEscapes() throws {
        let piece = #"{\"jobs\":[{\"id\":\"5f0c\",\"log\":\"a\\nb\\tc\"}]} \u00e9 \ud83d\ude00 \/"#
        let decoded = #"{"jobs":[{"id":"5f0c","log":"a\nb\tc"}]} é 😀 /"#
        #expect(try JSON.parse(Self.quoted(String(repeating: piece, count: 5_000))) == .string(String(repeating: decoded, count: 5_000)))
    }

    @Test func theEndOfAStringIsFoundAtEveryPositionInAWord() throws {
        for length in 0..<40 {
            let text = String(repeating: "x", count: length)
            #expect(try JSON.parse("[" + Self.quoted(text) + ",1]") == [.string(text), 1])
            let escaped = String(repeating: "y", count: length) + "\\n" + String(repeating: "z", count: length)
            #expect(try JSON.parse(Self.quoted(escaped)) == .string(String(repeating: "y", count: length) + "\n" + String(repeating: "z", count: length)))
        }
    }

    @Test func aControlCharacterIsRejectedWhereverItIs() {
        for length in 0..<20 {
            let document = "\"" + String(repeating: "a", count: length) + "\u{09}bc\""
            do {
                _ = try JSON.parse(document)
                Issue.record("expected an error at \(length + 1)")
            } catch {
                #expect(error.offset == length + 1 && error.message.contains("control character"))
            }
        }
    }

    @Test func everyEscapeDecodes() throws {
        #expect(try JSON.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20ac""#) == .string("\"\\/\u{08}\u{0C}\n\r\tAé€"))
    }

    @Test func unpairedSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSON.parse(#""\ud83d""#) == .string("\u{FFFD}"))
        #expect(try JSON.parse(#""\ude00x""#) == .string("\u{FFFD}x"))
        #expect(try JSON.parse(#""\ud83d\u0041""#) == .string("\u{FFFD}A"))
        #expect(try JSON.parse(#""\ud83d\ud83d\ude00""#) == .string("\u{FFFD}\u{FFFD}\u{FFFD}"))
        #expect(try JSON.parse(#""\ud83dabc""#) == .string("\u{FFFD}abc"))
    }

    @Test func invalidUTF8BecomesReplacementCharacters() throws {
        #expect(try JSON.parse(bytes: [0x22, 0x61, 0xFF, 0x62, 0x22]) == .string("a\u{FFFD}b"))
        #expect(try JSON.parse(bytes: [0x22, 0xC3, 0x5C, 0x6E, 0x22]) == .string("\u{FFFD}\n"))
    }

    @Test func truncatedEscapesAreErrors() {
        for document in [#""\"#, #""\u12"#, #""\u12""#, #""abc\"#] {
            #expect(throws: JSONParseError.self, "\(document)") { try JSON.parse(document) }
        }
    }
}
