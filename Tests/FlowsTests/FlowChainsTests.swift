@testable import Flows
import Foundation
import Testing

/// `folder.json` `{"parallel": true}`: which flows may run side by side, and their results as one run.
@Suite struct FlowChainsTests {
    static func flow(_ file: String, _ prerequisites: [String] = []) -> Flow {
        Flow(name: String(file.prefix { $0 != "." }), prerequisites: prerequisites, steps: [], file: URL(fileURLWithPath: "/flows/\(file)"))
    }

    @Test func flowsThatShareAPrerequisiteOrDependOnEachOtherAreOneChain() {
        let flows = [
            Self.flow("01-a.flow.json"), Self.flow("02-b.flow.json"), Self.flow("03-a2.flow.json", ["01-a.flow.json"]),
            Self.flow("04-c.flow.json"), Self.flow("05-bc.flow.json", ["02-b.flow.json", "./04-c.flow.json"]),
            Self.flow("06-d.flow.json", ["missing.flow.json"]),
        ]
        let chains = FlowChains.split(flows).map { $0.map(\.fileName) }
        #expect(chains == [
            ["01-a.flow.json", "03-a2.flow.json"],
            ["02-b.flow.json", "04-c.flow.json", "05-bc.flow.json"],
            ["06-d.flow.json"],
        ])
    }

    @Test func aFolderWhereEveryFlowNeedsTheLoginIsOneChain() {
        let flows = [Self.flow("01-login.flow.json")] + (2...5).map { Self.flow("0\($0)-x.flow.json", ["01-login.flow.json"]) }
        #expect(FlowChains.split(flows).count == 1)
    }

    @Test func mergedResultsFollowTheFolderOrder() {
        let order = [Self.flow("01-a.flow.json"), Self.flow("02-b.flow.json"), Self.flow("03-a2.flow.json", ["01-a.flow.json"])]
        func result(_ files: [String], setupError: String? = nil, variables: [String: String]) -> RunResult {
            RunResult(
                flows: files.map { FlowResult(name: $0, file: $0, status: .passed, skipReason: nil, failure: nil, steps: [], duration: .zero) },
                setupError: setupError, variables: variables)
        }
        let merged = RunResult.merged(
            [result(["01-a.flow.json", "03-a2.flow.json"], variables: ["x": "1", "a": "A"]), result(["02-b.flow.json"], setupError: "no B", variables: ["x": "2"])],
            order: order)
        #expect(merged.flows.map(\.file) == ["01-a.flow.json", "02-b.flow.json", "03-a2.flow.json"])
        #expect(merged.setupError == "no B")
        #expect(merged.variables == ["x": "1", "a": "A"])
    }

    @Test func folderSettingsAreReadAndCheckedOnLoadAndInValidate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folder-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try FolderSettings.load(folder) == FolderSettings(parallel: false), "no folder.json: one after another")
        try #"{"parallel": true}"#.write(to: folder.appendingPathComponent("folder.json"), atomically: true, encoding: .utf8)
        #expect(try FolderSettings.load(folder).parallel)

        try "{\n  \"paralel\": true\n}".write(to: folder.appendingPathComponent("folder.json"), atomically: true, encoding: .utf8)
        #expect { try FolderSettings.load(folder) } throws: { "\($0)".contains("unknown key `paralel`") }
        try #"{"name": "x", "steps": [{"goto": "/"}]}"#.write(to: folder.appendingPathComponent("01-x.flow.json"), atomically: true, encoding: .utf8)
        let diagnostics = FlowValidator.validate(paths: [folder.path])
        #expect(diagnostics.map(\.message) == ["unknown key `paralel` (known: parallel)"])
        #expect(diagnostics.first?.line == 2)
    }
}
