import Foundation
import JSONCore
import Recording
import Testing

@testable import Discovery

/// A fresh folder under the system temporary directory, removed by the caller.
func temporaryFolder(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("discovery-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs a program to its end without holding a thread of the cooperative pool (a replica may be
/// serving on it) and returns its exit status and combined output.
func run(_ executable: String, _ arguments: [String], in folder: URL? = nil) async throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = folder }
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("discovery-run-\(UUID().uuidString).log")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    let handle = try FileHandle(forWritingTo: output)
    defer {
        try? handle.close()
        try? FileManager.default.removeItem(at: output)
    }
    process.standardOutput = handle
    process.standardError = handle
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do {
            try process.run()
        } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
        }
    }
    return (status, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
}

@Suite("Outputs")
struct OutputTests {
    static let api = Discovery.discover(from: AIToolkitSession.build(.august2026), options: DiscoveryOptions(appName: "AI Toolkit"))

    @Test("writeOutputs writes the four files, byte-identical on a second run")
    func deterministic() throws {
        let first = try temporaryFolder("a")
        let second = try temporaryFolder("b")
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        try Discovery.writeOutputs(Self.api, to: first)
        let again = Discovery.discover(from: AIToolkitSession.build(.august2026), options: DiscoveryOptions(appName: "AI Toolkit"))
        try Discovery.writeOutputs(again, to: second)
        for name in ["discovered-endpoints.json", "openapi.json", "ai-toolkit-client.generated.ts", "report.md"] {
            let a = try Data(contentsOf: first.appendingPathComponent(name))
            let b = try Data(contentsOf: second.appendingPathComponent(name))
            #expect(!a.isEmpty, "\(name) is empty")
            #expect(a == b, "\(name) differs between two runs")
        }
    }

    @Test("discovered-endpoints.json loads back into the same DiscoveredAPI")
    func roundTrip() throws {
        let folder = try temporaryFolder("roundtrip")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Discovery.writeOutputs(Self.api, to: folder)
        let loaded = try Discovery.load(from: folder)
        #expect(loaded == Self.api)
        #expect(loaded.json.serialized() == Self.api.json.serialized())
    }

    @Test("every endpoint carries the seed's fields: method, path, description, requestBody, responseExample")
    func seedFields() throws {
        let json = Self.api.json
        let endpoints = try #require(json["endpoints"]?.arrayValue)
        for endpoint in endpoints {
            #expect(endpoint["method"]?.stringValue != nil)
            #expect(endpoint["path"]?.stringValue != nil)
            #expect(endpoint["description"]?.stringValue?.isEmpty == false)
        }
        let create = try #require(endpoints.first { $0["path"] == "/api/datasets/create" })
        #expect(create["requestBody"] == ["name": "string"])
        #expect(create["responseExample"] == ["success": true, "name": .string(AIToolkitSession.dataset)])
    }

    @Test("discovered-endpoints.json validates against docs/discovered-endpoints.schema.json")
    func matchesFileSchema() async throws {
        let folder = try temporaryFolder("schema")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Discovery.writeOutputs(Self.api, to: folder)
        let schema = packageRoot().appendingPathComponent("docs/discovered-endpoints.schema.json").path
        let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            sys.exit("jsonschema is missing: pip install jsonschema")
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))), key=str)
        for error in errors[:5]:
            print(list(error.absolute_path), error.message)
        sys.exit(1 if errors else 0)
        """
        let result = try await run("/usr/bin/env", ["python3", "-c", script, schema, folder.appendingPathComponent("discovered-endpoints.json").path])
        #expect(result.status == 0, "\(result.output)")
    }
}

func packageRoot() -> URL {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}
