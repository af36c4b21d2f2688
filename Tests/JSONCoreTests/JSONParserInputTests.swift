import Foundation
import Testing
@testable import JSONCore

/// Every way of handing bytes to the parser (in place or copied) must give the same value, or the same
/// error at the same place.
@Suite struct JSONParserInputTests {
    static let documents = [
        #"{"a":[1,2.5,-3e2,true,false,null,"x\u00e9\n"],"b":{},"c":"plain"}"#,
        "  [\"é😀\", {\"k\": [[], {}]}]  ",
        "{\n  \"a\": 1,\n  \"b\": tru\n}",
        "[1,]",
        "\"é\u{01}\"",
        "{\"é\": \"unterminated",
        "[\"bad \\x escape\"]",
        "\"\\u12G4\"",
        "{\"a\" 1}",
        "12 13",
        "-",
        "",
    ]

    static func outcome(_ parse: () throws(JSONParseError) -> JSON) -> Result<JSON, JSONParseError> {
        do { return .success(try parse()) } catch { return .failure(error) }
    }

    @Test(arguments: documents)
    func everyInputKindGivesTheSameValueOrError(document: String) {
        let bytes = Array(document.utf8)
        let expected = Self.outcome { () throws(JSONParseError) in try JSON.parse(bytes: bytes) }
        #expect(Self.outcome { () throws(JSONParseError) in try JSON.parse(document) } == expected)
        #expect(Self.outcome { () throws(JSONParseError) in try JSON.parse(bytes: Data(bytes)) } == expected)
        #expect(Self.outcome { () throws(JSONParseError) in try JSON.parse(bytes: bytes.lazy.map { $0 }) } == expected, "non-contiguous")
        #expect(Self.outcome { () throws(JSONParseError) in try JSON.parse(bytes: document.utf8) } == expected)
        bytes.withUnsafeBufferPointer { buffer in
            #expect(Self.outcome { () throws(JSONParseError) in try JSON.parse(bytes: buffer) } == expected)
            #expect(Self.outcome { () throws(JSONParseError) in try JSON.parse(bytes: UnsafeRawBufferPointer(buffer)) } == expected)
        }
        // A slice of a larger buffer: positions count from the slice's start.
        let padded = Array("xx\n".utf8) + bytes + Array("\nyy".utf8)
        #expect(Self.outcome { () throws(JSONParseError) in try JSON.parse(bytes: padded[3..<(3 + bytes.count)]) } == expected)
        padded.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[3..<(3 + bytes.count)])
            #expect(Self.outcome { () throws(JSONParseError) in try JSON.parse(bytes: slice) } == expected)
        }
    }

    @Test func errorsPointAtTheOffendingCharacter() {
        let cases: [(String, line: Int, column: Int, offset: Int)] = [
            ("{\n  \"a\": 1,\n  \"b\": tru\n}", 3, 8, 19),
            ("\"é\u{01}\"", 1, 3, 3),
            ("{\"é\": \"unterminated", 1, 7, 7),
            ("[\"bad \\x escape\"]", 1, 7, 6),
            ("\"\\u12G4\"", 1, 6, 5),
            ("[1,]", 1, 4, 3),
            ("12 13", 1, 4, 3),
        ]
        for (document, line, column, offset) in cases {
            do {
                _ = try JSON.parse(bytes: Array(document.utf8))
                Issue.record("expected an error for \(document)")
            } catch {
                #expect((error.line, error.column, error.offset) == (line, column, offset), "\(document): \(error)")
            }
        }
    }

    @Test func aRepeatedKeyKeepsItsLastValue() throws {
        #expect(try JSON.parse(#"{"a":1,"b":2,"a":3}"#) == ["a": 3, "b": 2])
    }

    @Test func nestedContainersKeepTheirOwnMembers() throws {
        let value = try JSON.parse(#"{"a":[1,{"b":[2,3],"c":{}},[]],"d":[[4],[5,6]],"e":{"f":{"g":7}}}"#)
        #expect(value == ["a": [1, ["b": [2, 3], "c": [:]], []], "d": [[4], [5, 6]], "e": ["f": ["g": 7]]])
    }

    @Test func nestingIsLimitedSoEveryConsumerFitsOnAnOrdinaryThreadStack() throws {
        // Runs on the test's own cooperative thread on purpose: the limit must hold where callers run,
        // with no special stack. 20,000 levels is a 40 KB document, which crashed `run` before the limit.
        let limit = JSON.maximumNestingDepth
        let atLimit = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        let parsed = try JSON.parse(atLimit)
        #expect(parsed.serialized().utf8.count == 2 * limit)
        for depth in [limit + 1, 20_000, 1_000_000] {
            let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            do {
                _ = try JSON.parse(text)
                Issue.record("\(depth) levels must be refused")
            } catch {
                #expect(error.isNestingTooDeep)
                #expect(error.offset == limit)
                #expect(error.message.contains("nested deeper than \(limit) levels"))
            }
        }
        let objects = String(repeating: #"{"a":"#, count: limit + 1) + "1" + String(repeating: "}", count: limit + 1)
        #expect(throws: JSONParseError.self) { try JSON.parse(objects) }
        let syntax = #expect(throws: JSONParseError.self) { try JSON.parse("[1,]") }
        #expect(syntax?.isNestingTooDeep == false)
    }
}
