import Foundation
import Testing
import TestSupport

@testable import Discovery

@Suite("Generated artifacts pass real validators")
struct ValidatorTests {
    @Test("openapi.json passes openapi-spec-validator")
    func openAPIValidates() async throws {
        let check = try await run("/usr/bin/env", ["python3", "-c", "import openapi_spec_validator"])
        try #require(check.status == 0, "openapi-spec-validator is missing: pip install openapi-spec-validator")
        let folder = try temporaryFolder("openapi")
        defer { try? FileManager.default.removeItem(at: folder) }
        for version in [AIToolkitSession.Version.august2026, .october2025] {
            let api = Discovery.discover(from: AIToolkitSession.build(version), options: DiscoveryOptions(appName: "AI Toolkit"))
            try Discovery.writeOutputs(api, to: folder)
            let result = try await run("/usr/bin/env", ["python3", "-m", "openapi_spec_validator", folder.appendingPathComponent("openapi.json").path])
            #expect(result.status == 0, "\(version): \(result.output)")
        }
    }

    @Test("the TypeScript client compiles with tsc --strict")
    func typeScriptCompiles() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/tsc"), "tsc is missing: apt-get install -y node-typescript")
        let folder = try temporaryFolder("tsc")
        defer { try? FileManager.default.removeItem(at: folder) }
        // One tsc run for both versions: tsc's start-up dominates.
        var files: [String] = []
        for (index, version) in [AIToolkitSession.Version.august2026, .october2025].enumerated() {
            let api = Discovery.discover(from: AIToolkitSession.build(version), options: DiscoveryOptions(appName: "AI Toolkit"))
            let output = folder.appendingPathComponent("v\(index)")
            try Discovery.writeOutputs(api, to: output)
            files.append(output.appendingPathComponent("ai-toolkit-client.generated.ts").path)
        }
        let result = try await run("/usr/bin/tsc", ["--strict", "--noEmit", "--target", "es2020", "--lib", "es2020,dom"] + files)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("each corpus app's client compiles with tsc --strict and its OpenAPI document validates")
    func corpusArtifactsValidate() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/tsc"), "tsc is missing: apt-get install -y node-typescript")
        let folder = try temporaryFolder("corpus")
        defer { try? FileManager.default.removeItem(at: folder) }
        var clients: [String] = []
        for app in CorpusScore.apps() {
            let (_, api) = try CorpusScore.score(app: app)
            let output = folder.appendingPathComponent(app)
            try Discovery.writeOutputs(api, to: output)
            clients.append(output.appendingPathComponent(TypeScriptWriter.fileName(api)).path)
            let validated = try await run("/usr/bin/env", ["python3", "-m", "openapi_spec_validator", output.appendingPathComponent("openapi.json").path])
            #expect(validated.status == 0, "\(app): \(validated.output)")
        }
        #expect(clients.count >= 4)
        // Each file alone: every client declares its own ApiError.
        for client in clients {
            let result = try await run("/usr/bin/tsc", ["--strict", "--noEmit", "--target", "es2020", "--lib", "es2020,dom", client])
            #expect(result.status == 0, "\(client): \(result.output)")
        }
    }
}
