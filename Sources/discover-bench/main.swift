import Browser
import Foundation

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// `discover-bench [section ...]`: each section measures one stage; no argument (or `all`) runs them all.
let sections: [(name: String, run: @Sendable () async throws -> Void)] = [
    ("devtools", DevToolsBenchmark.run),
    ("capture", runCaptureBenchmarks),
    ("overhead", FlowOverheadBenchmark.run),
    ("overhead-worst", FlowOverheadBenchmark.worstCase),
    ("discovery", { await runDiscoveryBenchmark() }),
    ("report", { try runReportBenchmark() }),
    ("json", runJSONBenchmark),
    ("corpus", { try runCorpusReport() }),
]

let requested = Array(CommandLine.arguments.dropFirst()).filter { $0 != "all" }
if requested.contains("--help") || requested.contains("-h") {
    print("usage: discover-bench [\(sections.map(\.name).joined(separator: "|"))] ...")
    exit(0)
}
let unknown = requested.filter { name in !sections.contains { $0.name == name } }
guard unknown.isEmpty else {
    printError("discover-bench: unknown section \(unknown.joined(separator: ", ")); known: \(sections.map(\.name).joined(separator: ", "))")
    exit(2)
}
// Ctrl-C in the middle of a run must not leave browsers behind.
Browser.installSignalHandlers()
for section in sections where requested.isEmpty || requested.contains(section.name) {
    print("== \(section.name)")
    do {
        try await section.run()
    } catch {
        printError("discover-bench \(section.name): \(error)")
        exit(1)
    }
}
