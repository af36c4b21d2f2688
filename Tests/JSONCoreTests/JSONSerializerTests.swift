import Testing
@testable import JSONCore

@Suite struct JSONSerializerTests {
    @Test func escapesQuotesBackslashesAndControlCharacters() {
        #expect(JSON.string("a\"b\\c\nd\re\tf\u{08}g\u{0C}h\u{00}i\u{1F}j\u{7F}").serialized()
            == #""a\"b\\c\nd\re\tf\bg\fh\u0000i\u001fj"# + "\u{7F}\"")
    }

    @Test func keepsNonASCIIAndSlashesAsTheyAre() {
        #expect(JSON.string("é😀/€ \"q\"").serialized() == "\"é😀/€ \\\"q\\\"\"")
        #expect(JSON.string("plain é").serialized() == "\"plain é\"")
    }

    @Test func escapedStringsRoundTrip() throws {
        let text = String(repeating: #"{"jobs":[{"id":"5f0c","log":"a\nb"}]} é 😀 "#, count: 200) + "\u{01}"
        let line = JSON.object(["text": .string(text)]).serialized()
        #expect(try JSON.parse(line) == ["text": .string(text)])
    }
}
