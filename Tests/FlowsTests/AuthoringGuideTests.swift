import Foundation
import JSONCore
import Testing

@testable import Flows

/// docs/flows.md is what users copy from: its JSON examples must be valid flows and steps.
@Suite struct AuthoringGuideTests {
    private func jsonBlocks() throws -> [String] {
        let guide = try String(contentsOf: AuthoringPaths.repository.appendingPathComponent("docs/flows.md"), encoding: .utf8)
        var blocks: [String] = []
        var current: [String]? = nil
        for line in guide.components(separatedBy: "\n") {
            if current == nil, line == "```json" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// The guide's files are not next to its examples' fixtures and prerequisites.
    private func ignoringFiles(_ diagnostics: [FlowDiagnostic]) -> [FlowDiagnostic] {
        diagnostics.filter { !$0.message.hasPrefix("no file matches") && !($0.message.hasPrefix("flow file") && $0.message.contains("not found")) }
    }

    @Test func everyJSONExampleParses() throws {
        let blocks = try jsonBlocks()
        #expect(blocks.count >= 30)
        for block in blocks {
            #expect(throws: Never.self, "\(block)") { try JSON.parse(block) }
        }
    }

    @Test func wholeFlowExamplesValidate() throws {
        let flows = try jsonBlocks().filter { (try? JSON.parse($0))?["steps"] != nil }
        #expect(flows.count >= 2)
        for flow in flows {
            let diagnostics = ignoringFiles(FlowValidator.validate(text: flow, file: "docs/example.flow.json"))
            #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))\n\(flow)")
        }
    }

    @Test func stepExamplesValidate() throws {
        var checked = Set<String>()
        for block in try jsonBlocks() {
            let value = try JSON.parse(block)
            guard let step = value.objectValue, step["steps"] == nil, step["var"] == nil else { continue }
            let actions = FlowDecoder.actions(of: Array(step.keys))
            try #require(actions.count == 1, "not a step: \(block)")
            checked.insert(actions[0])
            let flow = "{\"name\": \"example\", \"steps\": [\n\(block)\n]}"
            let diagnostics = ignoringFiles(FlowValidator.validate(text: flow, file: "docs/example.flow.json"))
                .filter { !$0.message.hasPrefix("unknown variable") && !$0.message.hasPrefix("environment variable") }
            #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))\n\(block)")
        }
        #expect(checked == Set(FlowGrammar.stepKinds), "the guide shows every step kind")
    }

    /// What the guide shows, `discover run` reads: every step example decodes on its own, as the runner
    /// decodes a step again after interpolation (included files are not read).
    @Test func stepExamplesLoad() throws {
        for block in try jsonBlocks() {
            let value = try JSON.parse(block)
            guard let step = value.objectValue, step["steps"] == nil, step["var"] == nil else { continue }
            #expect(throws: Never.self, "\(block)") { try FlowDecoder.decodeStep(value, index: 1) }
        }
    }
}
