import Foundation
import JSONCore
import Testing

@testable import Flows

/// Every flow in the repository (`flows/` and the test fixtures) decodes to what it decoded to when the
/// checker and the decoder were two walkers: `Fixtures/repository-flows.decoded.txt` was written then,
/// with `DISCOVER_RECORD_DECODED=1`, and any difference in a decoded value fails here. Changing a flow
/// on purpose means recording again the same way and reading the fixture's diff.
@Suite struct RepositoryFlowsDecodeTests {
    static let expectations = AuthoringPaths.fixtures.appendingPathComponent("repository-flows.decoded.txt")

    @Test("every repository flow decodes exactly as recorded")
    func repositoryFlowsDecodeAsRecorded() throws {
        let rendered = try Self.renderRepositoryFlows()
        if ProcessInfo.processInfo.environment["DISCOVER_RECORD_DECODED"] == "1" {
            try rendered.write(to: Self.expectations, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: Self.expectations, encoding: .utf8)
        let got = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(got.count == want.count && firstDifference == nil, "line \((firstDifference?.offset ?? min(got.count, want.count)) + 1): \(firstDifference.map { "got \($0.element.0), expected \($0.element.1)" } ?? "lengths differ"); if a flow was changed on purpose, record again with DISCOVER_RECORD_DECODED=1 and review the fixture's diff")
        #expect(want.filter { $0.hasPrefix("flow ") }.count >= 60)
    }

    static func renderRepositoryFlows() throws -> String {
        let folders = try FileManager.default.contentsOfDirectory(at: AuthoringPaths.flows, includingPropertiesForKeys: [.isDirectoryKey])
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let fixtures = try FileManager.default.contentsOfDirectory(at: AuthoringPaths.fixtures, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasSuffix(FlowLoader.fileSuffix) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var lines: [String] = []
        for source in folders + fixtures {
            lines.append("# \(source.lastPathComponent)")
            for flow in try FlowLoader.load(source) { lines += render(flow, indent: "") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Dictionaries and absolute paths are written so the text is the same in every process and checkout.
    static func render(_ flow: Flow, indent: String) -> [String] {
        var lines = [
            "\(indent)flow \(flow.name) file=\(flow.file?.lastPathComponent ?? "-") description=\(flow.description ?? "-")",
            "\(indent)  requires=\(flow.requires) secrets=\(flow.secrets) prerequisites=\(flow.prerequisites) when=\(flow.when.map { "\($0)" } ?? "-")",
            "\(indent)  vars=\(flow.vars.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })",
        ]
        for step in flow.steps {
            let modifiers = "\(step.index) name=\(step.name ?? "-") timeout=\(step.timeout.map { "\($0)" } ?? "-") when=\(step.when.map { "\($0)" } ?? "-") optional=\(step.optional)"
            lines.append("\(indent)  step \(modifiers) written=\(step.written.serialized())")
            if case .include(let included) = step.action {
                lines += render(included, indent: indent + "    ")
            } else {
                lines.append("\(indent)    \(compactDump(step.action))")
            }
        }
        return lines
    }

    /// `dump`'s tree on one line, without its nil members: every decoded field, but a fraction of the text.
    static func compactDump(_ action: Action) -> String {
        var text = ""
        dump(action, to: &text)
        return text.split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "Flows.", with: "") }
            .filter { !$0.hasSuffix(": nil") }
            .map { $0.hasPrefix("▿ ") || $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
            .joined(separator: "; ")
    }
}
