import Capture
import Discovery
import Flows
import Foundation

/// What one run of one flows folder came to, whatever happened: what `--summary` and `--junit` report,
/// and what a run of several folders sums up.
struct RunRecord: Sendable {
    /// The run's name: its output folder's last component.
    var name: String
    var flowsPath: String
    var baseURL: String
    /// Where its files are (after the swap).
    var outputFolder: String
    var startedAt: Date
    var duration: Duration = .zero
    var exitCode: ExitCode = .success
    /// What went wrong with the run beyond its flows, as printed: why it stopped before it could report
    /// them (a browser that died, a flow file that is invalid, an output folder that cannot be written),
    /// or, after they ran, a browser pool that did not take its browser back.
    var stopped: String?
    var result: RunResult?
    var capture: CaptureSummary?
    var discovery: DiscoveryStage.Report?
    var failOn: APIDiff.FailOn

    init(_ configuration: RunConfiguration) {
        name = configuration.runName
        flowsPath = configuration.flowsPath.relativePath
        baseURL = configuration.baseURL
        outputFolder = configuration.outputFolder.relativePath
        startedAt = Date()
        failOn = configuration.failOn
    }

    var status: String {
        switch exitCode {
        case .success: "passed"
        case .interrupted: "interrupted"
        default: stopped != nil || result == nil ? "error" : (result?.passed == false ? "failed" : "changed")
        }
    }
}

extension ExitCode {
    /// The one exit code of several runs: the gravest of theirs (an interrupt, then the environment, an
    /// input, a breaking change, a failed step).
    static func combined(_ codes: [ExitCode]) -> ExitCode {
        let gravity: [ExitCode] = [.interrupted, .environment, .input, .usage, .failure]
        return gravity.first(where: codes.contains) ?? .success
    }
}
