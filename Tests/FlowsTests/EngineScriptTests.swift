import Foundation
import Testing
import TestSupport
@testable import Flows

/// The locator engine's JavaScript (`Sources/Flows/Engine/js`): each part and the joined script parse
/// (`node --check`), and Swift calls exactly the entry points the script defines.
@Suite struct EngineScriptTests {
    static let partsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Flows/Engine/js")

    @Test func everyPartAndTheJoinedScriptParse() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.partsFolder.path).filter { $0.hasSuffix(".js") }.sorted()
        #expect(files == LocatorEngineScript.parts.map(\.name).sorted(), "a part on disk is not in the script, or the other way round")
        for name in files {
            let problem = try NodeCheck.problem(in: Self.partsFolder.appendingPathComponent(name))
            #expect(problem == nil, "\(name): \(problem ?? "")")
        }
        let problem = try NodeCheck.problem(inScript: LocatorEngineScript.source, named: "locator-engine")
        #expect(problem == nil, "the joined script: \(problem ?? "")")
    }

    @Test func theCompiledPartsAreTheFilesOnDisk() throws {
        for part in LocatorEngineScript.parts {
            let onDisk = try Data(contentsOf: Self.partsFolder.appendingPathComponent(part.name))
            #expect([UInt8](onDisk) == part.bytes, "\(part.name) differs from what was compiled in: rebuild")
        }
    }

    @Test func swiftCallsExactlyTheEntryPointsTheScriptDefines() {
        let source = LocatorEngineScript.source
        let defined = Set(source.matches(of: #/(?m)^E\.([A-Za-z]+) = /#).map { String($0.1) })
        #expect(defined == Set(EngineFunction.allCases.map(\.rawValue)))
    }

    @Test func theScriptRunsInNodeAsFarAsItNeedsNoDOM() throws {
        // Installing reads no DOM: a stub global object shows it sets `__discover` once and only once.
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("locator-engine-probe-\(UUID().uuidString).js")
        defer { try? FileManager.default.removeItem(at: probe) }
        try """
            const first = \(LocatorEngineScript.source.trimmingCharacters(in: .whitespacesAndNewlines));
            const second = \(LocatorEngineScript.source.trimmingCharacters(in: .whitespacesAndNewlines));
            const names = Object.keys(Object.getOwnPropertyDescriptors(globalThis.__discover)).sort();
            console.log(JSON.stringify({first, second, enumerable: Object.keys(globalThis).includes('__discover'), names}));
            """.write(to: probe, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["node", probe.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains(#""first":"installed","second":"present","enumerable":false"#), "\(text)")
        #expect(text.contains(#""names":[\#(EngineFunction.allCases.map(\.rawValue).sorted().map { "\"\($0)\"" }.joined(separator: ","))]"#), "\(text)")
    }
}
