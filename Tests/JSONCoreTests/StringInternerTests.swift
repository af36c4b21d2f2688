import Testing

@testable import JSONCore

@Suite("StringInterner")
struct StringInternerTests {
    static func read(_ document: String, _ interner: StringInterner?) throws -> [String] {
        var bytes = Array(document.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer in
            try JSONCursor.read(UnsafeBufferPointer(buffer), interner: interner) { cursor in
                var strings: [String] = []
                try cursor.items { cursor in strings.append(try cursor.internedString() ?? "<nil>") }
                return strings
            }
        }
    }

    @Test("interned strings read the same as plain ones: escapes, non-ASCII, empty, non-strings")
    func sameValues() throws {
        let document = #"["a", "a", "\"q\"", "\"q\"", "é\u00e9", "", 3, null, "a\\b", "x"]"#
        let plain = try Self.read(document, nil)
        #expect(plain == ["a", "a", "\"q\"", "\"q\"", "éé", "", "<nil>", "<nil>", "a\\b", "x"])
        #expect(try Self.read(document, StringInterner()) == plain)
    }

    @Test("one slot for every string: collisions rebuild, never mix strings up")
    func collisions() throws {
        let interner = StringInterner(slotCount: 1)
        let values = (0..<50).map { "value-\($0 % 7)-" + String(repeating: "x", count: $0 % 5) }
        let document = "[" + values.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        #expect(try Self.read(document, interner) == values)
    }

    @Test("a repeated string is shared, not built again")
    func shared() throws {
        let interner = StringInterner()
        let long = String(repeating: "polled body ", count: 20)
        let first = try Self.read("[\"\(long)\"]", interner)[0]
        let second = try Self.read("[\"\(long)\"]", interner)[0]
        #expect(first == second)
        // The same storage: a native string's UTF-8 lives at one address.
        let firstAddress = first.utf8.withContiguousStorageIfAvailable { $0.baseAddress }
        let secondAddress = second.utf8.withContiguousStorageIfAvailable { $0.baseAddress }
        #expect(firstAddress != nil && firstAddress == secondAddress)
    }

    @Test("strings longer than the limit are built each time")
    func longStrings() throws {
        let interner = StringInterner(maximumLength: 8)
        let values = try Self.read(#"["0123456789", "0123456789"]"#, interner)
        #expect(values == ["0123456789", "0123456789"])
    }
}
