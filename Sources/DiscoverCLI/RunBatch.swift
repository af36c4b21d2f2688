import Browser
import Flows
import Foundation

/// `discover run A B C --workers N`: several flows folders (apps, or one app's environments), at most N
/// at a time, each in its own browser context of one browser (or, with `--isolate browser`, a browser of
/// its own) and to its own output folder; one summary, one exit code. A run's files are the same as
/// when it runs alone, but for its times.
enum RunBatch {
    enum Isolation: String, Sendable {
        case context, browser
    }

    static func run(_ configurations: [RunConfiguration], workers: Int, isolation: Isolation, console: Console) async throws -> ExitCode {
        Browser.installSignalHandlers()
        console.step("\(configurations.count) runs, \(min(workers, configurations.count)) at a time, each in its own \(isolation == .context ? "browser context" : "browser")")
        var shared: Browser?
        var records: [RunRecord]
        if isolation == .context {
            do {
                shared = try await RunPipeline.startBrowser(configurations[0], console: console)
            } catch {
                let failure = error as? CommandFailure ?? CommandFailure(code: .environment, message: "\(error)")
                records = configurations.map { configuration in
                    var record = RunRecord(configuration)
                    record.exitCode = failure.code
                    record.stopped = failure.message
                    return record
                }
                try? RunReports.write(records, exitCode: failure.code, configuration: configurations[0], console: console)
                throw failure
            }
        }
        let source: RunPipeline.BrowserSource = shared.map { .shared($0) } ?? .own
        records = await runAll(configurations, workers: workers) { configuration in
            await RunPipeline.execute(configuration, browser: source, console: console.tagged(configuration.runName))
        }
        await shared?.close()
        // A pool that did not take the shared browser back (--webdriver): the batch's environment failed.
        let notReturned = shared?.closeFailure

        let exitCode = ExitCode.combined(records.map(\.exitCode) + (notReturned == nil ? [] : [.environment]))
        report(records, console: console)
        if let notReturned { console.error(notReturned) }
        do {
            try RunReports.write(records, exitCode: exitCode, configuration: configurations[0], console: console)
        } catch let failure as CommandFailure {
            guard exitCode == .success else {
                console.error(failure.message)
                return exitCode
            }
            throw failure
        }
        return exitCode
    }

    /// Runs `body` for each configuration, at most `workers` at once, and answers in the given order.
    static func runAll(
        _ configurations: [RunConfiguration], workers: Int, _ body: @escaping @Sendable (RunConfiguration) async -> RunRecord
    ) async -> [RunRecord] {
        await withTaskGroup(of: (Int, RunRecord).self) { group in
            var next = 0
            var records = [RunRecord?](repeating: nil, count: configurations.count)
            func startNext() {
                guard next < configurations.count else { return }
                let index = next
                let configuration = configurations[index]
                next += 1
                group.addTask { (index, await body(configuration)) }
            }
            for _ in 0..<max(1, workers) { startNext() }
            while let (index, record) = await group.next() {
                records[index] = record
                // No new run once an interrupt arrived: those that ran write what they captured.
                if BrowserRegistry.interruption == nil { startNext() }
            }
            return records.enumerated().map { index, record in
                record ?? {
                    var skipped = RunRecord(configurations[index])
                    skipped.exitCode = .interrupted
                    skipped.stopped = "not started: the batch was interrupted"
                    return skipped
                }()
            }
        }
    }

    /// One line a run, after all of them.
    private static func report(_ records: [RunRecord], console: Console) {
        console.step("\(records.filter { $0.exitCode == .success }.count) of \(records.count) runs passed")
        for record in records {
            let flows = record.result.map { result in
                let count = { (status: FlowStatus) in result.flows.filter { $0.status == status }.count }
                return "\(count(.passed)) passed, \(count(.failed)) failed, \(count(.skipped)) skipped of \(result.flows.count) flows"
            } ?? "no flows ran"
            let endpoints = record.discovery.map { ", \($0.endpoints) endpoints" } ?? ""
            let line = "  \(record.status.padding(toLength: 11, withPad: " ", startingAt: 0)) \(record.name): \(flows)\(endpoints), exit \(record.exitCode.rawValue) -> \(record.outputFolder)"
            if record.exitCode == .success { console.success(line) } else { console.info(line) }
            if let stopped = record.stopped { console.error("    \(stopped.replacingOccurrences(of: "\n", with: "\n    "))") }
        }
    }
}
