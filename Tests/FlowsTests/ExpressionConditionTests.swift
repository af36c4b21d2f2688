import Flows
import Foundation
import JSONCore
import Testing

/// The `expression` condition and count operators of element conditions, against a page that adds
/// five items, 60 ms apart, then sets `window.ready`.
@Suite("Expression conditions and count operators in Chromium")
struct ExpressionConditionTests {
    @Test("waitFor an expression polls the page's own globals until truthy; a promise is awaited")
    func expressionBecomesTruthy() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/counting"],
                ["waitFor": ["expression": "window.ready === 'yes'"]],
                ["expect": ["expression": "document.querySelectorAll('.item').length"]],
                ["expect": ["expression": "new Promise((resolve) => setTimeout(() => resolve('done'), 20))"]],
            ])
            #expect(result.passed, "\(result.report)")
            #expect(try await bed.evaluate("document.querySelectorAll('.item').length") == 5)
        }
    }

    @Test("a failing expression names the expression and the last value it had, or what it threw")
    func expressionFailures() async throws {
        try await TestBed.with { bed in
            let falsy = try await bed.run([
                ["goto": "/pages/counting"],
                ["expect": ["expression": "document.querySelectorAll('.item').length > 10"], "timeout": 600],
            ])
            let failure = try #require(falsy.failures.first)
            #expect(failure.message.hasPrefix("expected expression `document.querySelectorAll('.item').length > 10` within"), "\(failure.message)")
            #expect(failure.message.hasSuffix("but the last value was false"), "\(failure.message)")

            let values: [(String, String)] = [("document.title", #"the last value was """#), ("window.nothing", "the last value was undefined"), ("null", "the last value was null"), ("0", "the last value was 0")]
            for (expression, wanted) in values {
                let run = try await bed.run([["waitFor": ["expression": .string(expression)], "timeout": 150]])
                #expect(run.failures.first?.message.hasSuffix(wanted) == true, "\(expression): \(run.report)")
            }

            let threw = try await bed.run([["waitFor": ["expression": "missingThing.length"], "timeout": 150]])
            #expect(threw.failures.first?.message.hasSuffix("it last threw ReferenceError: missingThing is not defined") == true, "\(threw.report)")
        }
    }

    @Test("count with >=, <= and == waits for the number of elements; a failure says the operator")
    func countOperators() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/counting"],
                ["waitFor": ["element": "css=.item", "count": 3, "operator": ">="]],
                ["expect": ["element": "css=.item", "count": 5, "operator": "<="]],
                ["waitFor": ["element": "css=.item", "state": "visible", "count": 5, "operator": "=="]],
                ["expect": ["element": "css=.item", "count": 5]],
            ])
            #expect(result.passed, "\(result.report)")

            let tooMany = try await bed.run([["expect": ["element": "css=.item", "count": 4, "operator": "<="], "timeout": 200]])
            let failure = try #require(tooMany.failures.first)
            #expect(failure.message.hasPrefix("expected css=.item count<=4 attached within"), "\(failure.message)")
            #expect(failure.message.contains("5 attached element(s) match (wanted <= 4)"), "\(failure.message)")
        }
    }
}
