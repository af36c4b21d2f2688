import Foundation
import Wire
import JSONCore
import TestSupport
@testable import DiscoverCLI

/// Where the repository is, so tests use the real `flows/ai-toolkit` and the built `discover` binary.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let aiToolkitFlows = root.appendingPathComponent("flows/ai-toolkit")

    static var discoverBinary: URL {
        get throws {
            for configuration in ["debug", "release"] {
                let url = root.appendingPathComponent(".build/\(configuration)/discover")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
            throw TestFailure("no built discover binary under .build/: run `swift build` (make test does)")
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The AI Toolkit flows read their password from the environment; every end-to-end test uses this one.
let e2ePassword = "e2e-Secret-Passw0rd"

func withAIToolkitPassword() {
    setenv("AI_TOOLKIT_PASSWORD", e2ePassword, 1)
}

func temporaryFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("discover-e2e-\(name)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func readJSON(_ url: URL) throws -> JSON {
    try JSON.parse(bytes: [UInt8](Data(contentsOf: url)))
}

/// Every regular file below a folder.
func files(under folder: URL) -> [URL] {
    guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    return enumerator.compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
}

/// `METHOD /path/{}` with parameter names erased, so templates compare by shape.
func shape(_ method: String, _ path: String) -> String {
    let erased = path.replacingOccurrences(of: #"\{[^}]*\}"#, with: "{}", options: .regularExpression)
    return "\(method) \(erased)"
}

/// Runs blocking work (a child process, its pipes) off the cooperative pool: Wire's `BlockingWork`.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await BlockingWork.run(name: "end-to-end", body)
}

/// Runs `python3 -c script arguments...` (PyYAML, junitparser: `make test` installs them) and returns what
/// it printed; a failure is the test's, with what Python said and `hint`.
func python(_ script: String, _ arguments: [String], hint: String) async throws -> String {
    try await onOwnThread {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("\(hint): \(String(decoding: errors, as: UTF8.self))") }
        return String(decoding: data, as: UTF8.self)
    }
}

/// `discover run` on a flow that opens the dashboard, then waits a minute for text that never shows: for
/// tests that interrupt a run, or kill it or its browser, while it records.
struct SlowRun {
    let process: Process
    let output: URL

    /// Writes the flow, `slow.flow.json`, into `folder`.
    static func flow(in folder: URL) throws -> URL {
        let flow = folder.appendingPathComponent("slow.flow.json")
        try #"{"name": "slow", "steps": [{"goto": "/dashboard"}, {"waitFor": {"text": "never shown"}, "timeout": 60000}]}"#
            .write(to: flow, atomically: true, encoding: .utf8)
        return flow
    }

    /// Starts the run in the background (quiet, stderr discarded); `extra` follows the usual arguments.
    static func start(in folder: URL, baseURL: String, output: URL, extra: [String] = []) throws -> SlowRun {
        let process = Process()
        process.executableURL = try Repository.discoverBinary
        process.arguments = ["run", try flow(in: folder).path, "--base-url", baseURL, "--output", output.path, "--quiet"] + extra
        process.standardError = FileHandle.nullDevice
        try process.run()
        return SlowRun(process: process, output: output)
    }

    /// Until the page's first requests are in the capture the run writes beside the last run's files
    /// (its staging folder), at most 30 s.
    func recording() async -> Bool {
        let staged = output.appendingPathComponent(".run-\(process.processIdentifier)/capture.jsonl")
        return await ProcessTable.waitUntil(.seconds(30)) { ((try? Data(contentsOf: staged))?.count ?? 0) > 2000 }
    }
}
