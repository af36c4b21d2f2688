import JSONCore
import Testing

@testable import Flows

@Suite struct AuthoringPositionedJSONTests {
    @Test func recordsThePositionOfEveryKeyAndValue() throws {
        let text = """
            {
              "name": "x",
              "steps": [
                {"goto": "/"},
                {"click": {"role": "button", "name": "Go"}}
              ]
            }
            """
        let document = try PositionedJSON.parse(text)
        #expect(document.valuePositions[""] == SourcePosition(line: 1, column: 1))
        #expect(document.keyPositions["/name"] == SourcePosition(line: 2, column: 3))
        #expect(document.valuePositions["/name"] == SourcePosition(line: 2, column: 11))
        #expect(document.valuePositions["/steps/0"] == SourcePosition(line: 4, column: 5))
        #expect(document.keyPositions["/steps/1/click"] == SourcePosition(line: 5, column: 6))
        #expect(document.valuePositions["/steps/1/click/name"] == SourcePosition(line: 5, column: 42))
        #expect(document.value["steps"]?[1]?["click"]?["name"] == "Go")
    }

    @Test func countsColumnsInCharactersNotBytes() throws {
        let document = try PositionedJSON.parse(#"{"é": "ü", "k": 1}"#)
        #expect(document.keyPositions["/k"] == SourcePosition(line: 1, column: 12))
        #expect(document.valuePositions["/k"] == SourcePosition(line: 1, column: 17))
    }

    @Test func escapesPointerTokensAndDecodesEscapedKeys() throws {
        let document = try PositionedJSON.parse(#"{"a/b": {"t~\u0041": true}}"#)
        #expect(document.keyPositions["/a~1b/t~0A"] == SourcePosition(line: 1, column: 10))
    }

    @Test func findsCharactersInsideStringsPastEscapes() throws {
        // é written as \u00e9, a tab as \t, an emoji as a surrogate pair, ü raw.
        let document = try PositionedJSON.parse(#"{"s": "\u00e9\t\ud83d\ude00ü${x}"}"#)
        #expect(document.position(inString: "/s", scalarOffset: 0) == SourcePosition(line: 1, column: 8))
        #expect(document.position(inString: "/s", scalarOffset: 4) == SourcePosition(line: 1, column: 29))
    }

    @Test func reportsDuplicateKeys() throws {
        let document = try PositionedJSON.parse("{\"a\": 1,\n \"a\": 2}")
        #expect(document.duplicateKeys == [.init(pointer: "/a", position: SourcePosition(line: 2, column: 2))])
    }

    @Test func fallsBackToTheNearestAncestorForMissingPointers() throws {
        let document = try PositionedJSON.parse("{\n  \"steps\": []\n}")
        #expect(document.position(of: "/steps/4/click") == SourcePosition(line: 2, column: 12))
    }

    @Test func syntaxErrorsCarryJSONCoreLineAndColumn() {
        #expect(throws: JSONParseError.self) { try PositionedJSON.parse("{\n  \"a\": ,\n}") }
        do {
            _ = try PositionedJSON.parse("{\n  \"a\": ,\n}")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 8)
        }
    }
}
