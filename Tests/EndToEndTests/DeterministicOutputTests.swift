import Foundation
import Testing
import TestSupport

/// Swift seeds its hashing per process: a dictionary's order that leaks into an output shows only
/// between two processes, never within one test. So `generate` runs as its own process, three times
/// per corpus capture, and every file it writes must be the same bytes each time.
@Suite struct DeterministicOutputTests {
    @Test("generate writes the same bytes in three processes, for every capture of every corpus app")
    func generateIsByteIdenticalAcrossProcesses() async throws {
        let folder = try temporaryFolder("deterministic")
        defer { try? FileManager.default.removeItem(at: folder) }
        let captures = try FileManager.default.contentsOfDirectory(atPath: CorpusScore.corpusFolder.path).sorted().flatMap { app in
            let appFolder = CorpusScore.corpusFolder.appendingPathComponent(app)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: appFolder.path)) ?? []
            return names.filter { $0.hasSuffix(".capture.jsonl") }.sorted().map { appFolder.appendingPathComponent($0) }
        }
        #expect(captures.count >= 12, "the corpus captures are missing: \(captures.map(\.lastPathComponent))")
        for capture in captures {
            var outputs: [[String: Data]] = []
            for run in 0..<3 {
                let output = folder.appendingPathComponent("\(capture.deletingLastPathComponent().lastPathComponent)-\(capture.lastPathComponent)-\(run)")
                let outcome = try await CommandLineTests.discover(["generate", capture.path, "--output", output.path])
                #expect(outcome.status == 0, "\(capture.path): \(outcome.stderr)")
                let names = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
                outputs.append(Dictionary(uniqueKeysWithValues: try names.map { ($0, try Data(contentsOf: output.appendingPathComponent($0))) }))
            }
            #expect(outputs[0].count >= 4, "\(capture.path) wrote \(outputs[0].keys.sorted())")
            for name in outputs[0].keys.sorted() {
                #expect(outputs[1][name] == outputs[0][name] && outputs[2][name] == outputs[0][name],
                    "\(capture.deletingLastPathComponent().lastPathComponent)/\(capture.lastPathComponent): \(name) differs between processes")
            }
        }
    }
}
