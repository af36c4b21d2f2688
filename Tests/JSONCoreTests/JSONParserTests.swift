import Testing
@testable import JSONCore

@Suite struct JSONParserTests {
    @Test func parsesEveryValueKind() throws {
        let value = try JSON.parse(#"{"a":[1,2.5,-3e2,true,false,null,"x\u00e9\n"],"b":{}}"#)
        #expect(value["a"]?[0] == .integer(1))
        #expect(value["a"]?[1] == .number(2.5))
        #expect(value["a"]?[2] == .number(-300))
        #expect(value["a"]?[3] == .bool(true))
        #expect(value["a"]?[5] == .null)
        #expect(value["a"]?[6] == .string("xé\n"))
        #expect(value["b"] == .object([:]))
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSON.parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    @Test func reportsLineAndColumnOfAnError() {
        do {
            _ = try JSON.parse("{\n  \"a\": 1,\n  \"b\": tru\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 8)
        }
    }

    @Test func rejectsTrailingGarbageAndBadNumbers() {
        #expect(throws: JSONParseError.self) { try JSON.parse("1 2") }
        #expect(throws: JSONParseError.self) { try JSON.parse("01") }
        #expect(throws: JSONParseError.self) { try JSON.parse("[1,]") }
        #expect(throws: JSONParseError.self) { try JSON.parse("\"a\u{01}\"") }
    }

    @Test func serializesWithSortedKeysAndRoundTrips() throws {
        let value: JSON = ["b": 1, "a": ["z": "q\"\\", "y": [1.5, nil, true]], "B": "x"]
        let text = value.serialized()
        #expect(text == #"{"B":"x","a":{"y":[1.5,null,true],"z":"q\"\\"},"b":1}"#)
        #expect(try JSON.parse(text) == value)
        let pretty = value.serialized(.pretty)
        #expect(pretty.contains("\n  \"a\": {"))
        #expect(try JSON.parse(pretty) == value)
    }

    @Test func keepsLargeIntegersExact() throws {
        #expect(try JSON.parse("9007199254740993") == .integer(9_007_199_254_740_993))
    }
}
