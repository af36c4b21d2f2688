import Foundation
import JSONCore
import Testing

@testable import Flows

/// `flows/flow.schema.json` is generated from `FlowGrammar` (`GrammarSchemaTests` checks the committed
/// file is that output); these tests read the committed file the way an editor does and check its
/// step, condition, source and locator kinds are the grammar's.
@Suite struct AuthoringSchemaTests {
    private func schema() throws -> JSON {
        let text = try String(contentsOf: AuthoringPaths.flows.appendingPathComponent("flow.schema.json"), encoding: .utf8)
        return try JSON.parse(text)
    }

    private func definition(_ reference: JSON?, in schema: JSON) throws -> JSON {
        let pointer = try #require(reference?["$ref"]?.stringValue)
        let name = try #require(pointer.split(separator: "/").last.map(String.init))
        return try #require(schema["$defs"]?[name])
    }

    private func propertyNames(_ definition: JSON) -> Set<String> {
        Set(definition["properties"]?.objectValue?.keys.map { $0 } ?? [])
    }

    @Test func schemaIsJSONSchema2020WithTheFlowShape() throws {
        let schema = try schema()
        #expect(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        #expect(propertyNames(schema) == Set(FlowGrammar.flowKeys))
        #expect(schema["required"] == ["name", "steps"])
    }

    @Test func stepKindsAndTheirOptionsMatchTheValidator() throws {
        let schema = try schema()
        let steps = try #require(schema["$defs"]?["step"]?["oneOf"]?.arrayValue)
        var kinds: [String] = []
        for reference in steps {
            let step = try definition(reference, in: schema)
            let action = try #require(step["required"]?[0]?.stringValue)
            kinds.append(action)
            let kind = try #require(FlowGrammar.stepKind(action))
            #expect(propertyNames(step) == Set([action] + FlowGrammar.stepModifiers + kind.options.keys), "\(action)")
            #expect(step["required"]?.arrayValue?.compactMap(\.stringValue) == [action] + kind.required, "\(action)")
            #expect(step["additionalProperties"] == false, "\(action)")
        }
        #expect(kinds == FlowGrammar.stepKinds)
    }

    @Test func conditionLocatorAndSourceKindsMatchTheValidator() throws {
        let schema = try schema()
        var conditions: [String: Set<String>] = [:]
        for reference in try #require(schema["$defs"]?["condition"]?["oneOf"]?.arrayValue) {
            let condition = try definition(reference, in: schema)
            let kind = try #require(condition["required"]?[0]?.stringValue)
            conditions[kind] = propertyNames(condition).subtracting([kind])
        }
        #expect(conditions == FlowGrammar.conditionKinds.mapValues(Set.init))

        var sources: [String: Set<String>] = [:]
        for reference in try #require(schema["$defs"]?["source"]?["oneOf"]?.arrayValue) {
            let source = try definition(reference, in: schema)
            let kind = try #require(source["required"]?[0]?.stringValue)
            sources[kind] = propertyNames(source).subtracting([kind])
        }
        #expect(sources == FlowGrammar.sourceKinds.mapValues(Set.init))

        let locator = try #require(schema["$defs"]?["locatorObject"])
        let locatorKinds = locator["oneOf"]?.arrayValue?.compactMap { $0["required"]?[0]?.stringValue }
        #expect(locatorKinds == FlowGrammar.locatorKinds)
        #expect(propertyNames(locator) == Set(FlowGrammar.locatorKinds + FlowGrammar.locatorOptions))
        #expect(schema["$defs"]?["condition-element"]?["properties"]?["state"]?["enum"]?.arrayValue?.compactMap(\.stringValue) == FlowGrammar.elementStates)
    }
}
