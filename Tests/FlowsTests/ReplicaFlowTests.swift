import Flows
import Foundation
import JSONCore
import Replica
import Testing

/// The AI Toolkit flows in `flows/ai-toolkit`, replayed by the runner against the replica, both UI versions.
@Suite("AI Toolkit flows against the replica")
struct ReplicaFlowTests {
    static var flowsFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("flows/ai-toolkit")
    }

    @Test("the whole folder passes until the first checkpoint, download and cleanup included", arguments: ReplicaVersion.allCases)
    func wholeFolder(version: ReplicaVersion) async throws {
        var options = ReplicaOptions()
        options.password = "replica-secret"
        options.uiVersion = version.rawValue
        options.trainer = .fast
        let replica = try await ReplicaServer.start(options)
        defer { Task { await replica.stop() } }
        let flows = try FlowLoader.load(Self.flowsFolder)
        try await TestBed.with { bed in
            let runner = FlowRunner(
                page: bed.page, baseURL: replica.baseURL, environment: ["AI_TOOLKIT_PASSWORD": "replica-secret"],
                variables: ["until": "checkpoint"], outputFolder: bed.output, options: FlowRunOptions(timeout: .seconds(20)))
            let result = await runner.run(flows)
            #expect(result.passed, "\(result.report)")
            #expect(result.flows.map(\.status).contains(.skipped))
            let downloads = (try? FileManager.default.contentsOfDirectory(atPath: bed.output.appendingPathComponent("downloads").path)) ?? []
            #expect(downloads.contains { $0.hasSuffix(".safetensors") }, "\(downloads)")
        }
    }
}
