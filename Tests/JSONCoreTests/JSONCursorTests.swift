import Testing
@testable import JSONCore

@Suite struct JSONCursorTests {
    @discardableResult
    func read<Value>(_ text: String, _ body: (inout JSONCursor) throws -> Value) throws -> Value {
        var text = text
        return try text.withUTF8 { try JSONCursor.read($0, body) }
    }

    @Test func readsTheMembersItAsksForAndStepsOverTheRest() throws {
        let document = #"{"skip":{"deep":[1,{"x":"y"}]},"name":"a\"b","n":42,"f":1.5,"ok":true,"list":["p","q"],"after":"\u00e9"}"#
        var seen: [String] = []
        var name: String?, n: Int?, f: Double?, ok: Bool?, list: [String] = [], after: String?
        try read(document) { cursor in
            try cursor.members { cursor, key in
                seen.append(key.string)
                switch key {
                case "name": name = try cursor.string()
                case "n": n = try cursor.int()
                case "f": f = try cursor.double()
                case "ok": ok = try cursor.bool()
                case "list": try cursor.items { cursor in list.append(try cursor.string() ?? "?") }
                case "after": after = try cursor.string()
                default: break
                }
            }
        }
        #expect(seen == ["skip", "name", "n", "f", "ok", "list", "after"])
        #expect(name == "a\"b" && n == 42 && f == 1.5 && ok == true && list == ["p", "q"] && after == "é")
    }

    @Test func aKeyWithEscapesMatchesItsDecodedLiteral() throws {
        var value: String?
        try read(#"{"i\u0064":"x"}"#) { cursor in
            try cursor.members { cursor, key in if case "id" = key { value = try cursor.string() } }
        }
        #expect(value == "x")
    }

    @Test func aValueOfAnotherTypeGivesNilAndIsConsumed() throws {
        var values: [String?] = []
        try read(#"[1,"a",{"b":2},null]"#) { cursor in
            try cursor.items { cursor in values.append(try cursor.string()) }
        }
        #expect(values == [nil, "a", nil, nil])
        let isObject = try read("[1]") { cursor in try cursor.members { _, _ in } }
        #expect(!isObject)
    }

    @Test(arguments: [#"{"a":1"#, #"{"a" 1}"#, #"{"a":"\x"}"#, #"{"a":1} x"#, #"{"a":[1,]}"#, "{\"a\":\"\u{1}\"}"])
    func refusesWhatJSONParseRefuses(document: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(document) }
        #expect(throws: (any Error).self) {
            try read(document) { cursor in try cursor.members { cursor, _ in try cursor.skip() } }
        }
    }

    /// `skip` builds nothing, yet refuses a nested document with the parser's own message and place.
    @Test(arguments: [
        #"[{"a" 1}]"#, #"{"a":[1,}"#, #"[{"a":1,}]"#, #"{"a":{"b":"\x"}}"#, "[1 2]", #"{"a":1"#, "[[[", "{1:2}", #"{"a":tru}"#,
        #"[{"a":[{"b":nul}]}]"#, #"{"a":[1,2],"b":{"c":[]},"d":"e""#,
        // Escapes `skip` steps over without decoding, next to ones it must still refuse.
        #"["a\"b\\c","\q"]"#, #"["\u12"]"#, #"["\u12G4"]"#, #"["abc\"#, #"["\n\t\/"#,
    ])
    func skipRefusesWithTheParsersMessage(document: String) {
        var parsed: JSONParseError?
        do { _ = try JSON.parse(document) } catch { parsed = error }
        var skipped: (any Error)?
        do { try read(document) { cursor in try cursor.skip() } } catch { skipped = error }
        #expect(parsed != nil)
        #expect((skipped as? JSONParseError)?.description == parsed?.description, "\(document)")
    }

    /// A JSON body inside a capture line escapes every quote: skipping it must land exactly after it.
    @Test func skipStepsOverEveryKindOfEscape() throws {
        let document = #"{"s":"\"\\\/\b\f\n\r\t \u00e9\ud83d\ude00 \"{\"a\":[\"x\\\"y\"]}\" end","n":7}"#
        var number: Int?
        try read(document) { cursor in
            try cursor.members { cursor, key in
                switch key {
                case "n": number = try cursor.int()
                default: try cursor.skip()
                }
            }
        }
        #expect(number == 7)
        #expect(try JSON.parse(document)["n"]?.intValue == 7)
    }

    @Test func skipStepsOverNestedValuesAndKeepsReading() throws {
        var after: String?
        try read(#"{"a":{"b":[1,{"c":"d\"e"},[],{}],"f":null},"g":"h"}"#) { cursor in
            try cursor.members { cursor, key in
                switch key {
                case "g": after = try cursor.string()
                default: try cursor.skip()
                }
            }
        }
        #expect(after == "h")
    }

    @Test func refusesNestingPastTheLimitLikeTheParser() {
        let deep = String(repeating: "[", count: JSON.maximumNestingDepth + 1) + String(repeating: "]", count: JSON.maximumNestingDepth + 1)
        #expect(throws: (any Error).self) { try read(#"{"a":"# + deep + "}") { cursor in try cursor.members { cursor, _ in try cursor.skip() } } }
        #expect(throws: (any Error).self) { try read(deep) { cursor in try cursor.skip() } }
    }
}
