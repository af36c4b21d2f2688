import Testing
@testable import Recording

/// `Exchange` and `Response` keep their fields in one shared box (`CopyOnWrite`): copies must still
/// behave as values.
@Suite struct ExchangeCopyOnWriteTests {
    @Test func aChangeToOneCopyLeavesTheOtherAsItWas() {
        var original = Exchange(
            id: "e1", kind: .stream, method: "GET", url: "http://x/a", startedAt: 1,
            response: Response(status: 200, headers: [Header(name: "A", value: "1")], body: Body(size: 2, text: "{}")),
            messages: [StreamMessage(direction: .received, time: 1, data: "m1")])
        let copy = original
        #expect(copy == original)
        original.messages.append(StreamMessage(direction: .received, time: 2, data: "m2"))
        original.response?.headers.append(Header(name: "B", value: "2"))
        original.response?.body?.text = "[]"
        original.url = "http://x/b"
        #expect(copy.messages.map(\.data) == ["m1"])
        #expect(copy.response?.headers.map(\.name) == ["A"])
        #expect(copy.response?.body?.text == "{}")
        #expect(copy.url == "http://x/a")
        #expect(original.messages.map(\.data) == ["m1", "m2"])
        #expect(original.response?.headers.map(\.name) == ["A", "B"])
        #expect(original.url == "http://x/b")
        #expect(original != copy)
    }

    @Test func valuesWithEqualFieldsAreEqualAndHashAlike() {
        let first = Exchange(id: "e1", method: "GET", url: "u", startedAt: 1, response: Response(status: 204))
        var second = Exchange(id: "e1", method: "GET", url: "u", startedAt: 1)
        #expect(first != second)
        second.response = Response(status: 204)
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        #expect(Set([first, second]).count == 1)
        second.response?.status = 200
        #expect(first != second)
        #expect(first.response?.status == 204)
    }
}
