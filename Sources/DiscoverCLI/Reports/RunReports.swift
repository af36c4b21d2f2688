import Foundation
import Recording

/// `--summary FILE` and `--junit FILE`, written once every run has ended, whatever its outcome.
enum RunReports {
    static func write(_ records: [RunRecord], exitCode: ExitCode, configuration: RunConfiguration, console: Console) throws {
        do {
            for path in [configuration.summaryPath, configuration.junitPath].compactMap({ $0 }) {
                try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            }
            if let path = configuration.summaryPath {
                try AtomicFile.write(RunSummaryFile.json(records, exitCode: exitCode).serialized(.pretty) + "\n", to: URL(fileURLWithPath: path))
                console.detail("summary: \(path)")
            }
            if let path = configuration.junitPath {
                try AtomicFile.write(JUnitReport.xml(records), to: URL(fileURLWithPath: path))
                console.detail("JUnit report: \(path)")
            }
        } catch {
            throw CommandFailure(code: .environment, message: "cannot write the run's report: \(error)")
        }
    }
}
