import Foundation

/// What the observer learns about each step (the capture turns it into provenance).
public struct StepContext: Sendable, Hashable {
    public let flow: String
    /// The file the step is written in (an included file for its steps).
    public let file: String
    /// 1-based, within `file`.
    public let index: Int
    public let kind: String
    /// `click role=button "Create"`.
    public let description: String

    public init(flow: String, file: String, index: Int, kind: String, description: String) {
        self.flow = flow
        self.file = file
        self.index = index
        self.kind = kind
        self.description = description
    }
}

public protocol FlowRunObserver: Sendable {
    func stepWillStart(_ step: StepContext) async
    func stepDidFinish(_ step: StepContext, error: (any Error)?) async
    /// Each flow's outcome as soon as it is known (passed, failed or skipped), for progress output.
    func flowDidFinish(_ flow: FlowResult) async
    /// The step's element passed its checks and its input goes out now: before this it waited, after
    /// it acted (a timeline draws the two apart). Steps that only wait or navigate never report it.
    func stepIsReady(_ step: StepContext) async
}

extension FlowRunObserver {
    public func flowDidFinish(_ flow: FlowResult) async {}
    public func stepIsReady(_ step: StepContext) async {}
}

public struct FlowRunOptions: Sendable {
    /// How long a step may wait (auto-waiting, conditions); a step's own `timeout` wins.
    public var timeout: Duration
    public var navigationTimeout: Duration
    /// After a failed flow, run the next ones instead of stopping.
    public var keepGoing: Bool
    /// The attribute `testId` locators read.
    public var testIdAttribute: String
    /// Given to the app's origin when it asks for HTTP authentication (from `--base-url user:pass@`).
    public var httpCredentials: HTTPCredentials?
    /// A screenshot after every step that passed, in `steps/` (`--screenshots`).
    public var stepScreenshots = false

    public init(
        timeout: Duration = .seconds(15), navigationTimeout: Duration = .seconds(30), keepGoing: Bool = false,
        testIdAttribute: String = "data-testid",
        httpCredentials: HTTPCredentials? = nil, stepScreenshots: Bool = false
    ) {
        self.httpCredentials = httpCredentials
        self.stepScreenshots = stepScreenshots
        self.timeout = timeout
        self.navigationTimeout = navigationTimeout
        self.keepGoing = keepGoing
        self.testIdAttribute = testIdAttribute
    }
}

public enum FlowStatus: String, Sendable {
    case passed, failed, skipped
}

public struct StepResult: Sendable {
    public let file: String
    public let index: Int
    public let kind: String
    public let description: String
    public let status: FlowStatus
    public let duration: Duration
    /// False for a step its `when` skipped: it never started. An optional step that missed did.
    public var ran = true
}

public struct FlowResult: Sendable {
    public let name: String
    public let file: String
    public let status: FlowStatus
    /// Why the flow was skipped (its `when`, or an earlier failure without keep-going).
    public let skipReason: String?
    public let failure: FlowFailure?
    public let steps: [StepResult]
    public let duration: Duration
}

public struct RunResult: Sendable {
    public let flows: [FlowResult]
    /// Set when the run could not start (missing environment variables).
    public let setupError: String?
    /// The run's variables at the end (CLI vars, flow vars, saved values); secrets redacted.
    public let variables: [String: String]

    public var passed: Bool { setupError == nil && flows.allSatisfy { $0.status != .failed } }
    public var failures: [FlowFailure] { flows.compactMap(\.failure) }

    /// The results of chains that ran side by side (`FlowChains`), as one run: flows in the folder's
    /// order, the first setup error, and the variables of every chain (the first chain's on a clash).
    public static func merged(_ results: [RunResult], order: [Flow]) -> RunResult {
        let position = Dictionary(order.enumerated().map { ($1.fileName, $0) }, uniquingKeysWith: { first, _ in first })
        let flows = results.flatMap(\.flows).enumerated().sorted {
            (position[$0.element.file] ?? Int.max, $0.offset) < (position[$1.element.file] ?? Int.max, $1.offset)
        }.map(\.element)
        var variables: [String: String] = [:]
        for result in results { variables.merge(result.variables) { first, _ in first } }
        return RunResult(flows: flows, setupError: results.compactMap(\.setupError).first, variables: variables)
    }
}

/// A failed step, with everything needed to see why without rerunning.
public enum FailureCause: String, Sendable {
    case step
    /// Connection refused, DNS, reset, no answer: the app is not there.
    case appUnreachable
    /// The browser or the page's renderer died.
    case browserGone
}

public struct FlowFailure: Error, Sendable, CustomStringConvertible {
    public let flow: String
    public let file: String
    /// 1-based; 0 when the flow failed before its steps (its `vars`).
    public let step: Int
    /// The file and step that included `file`, outermost first.
    public let includedFrom: [String]
    public let kind: String
    /// The step as written in the file (before interpolation).
    public let written: String
    public let locator: String?
    public let message: String
    /// Zero matches with the closest candidates, several matches, or the element that got the click.
    public let found: [String]
    public let url: String?
    public let screenshot: String?
    public let html: String?
    /// Whose failure it is: the flow's (a step), or the environment's (app unreachable, browser gone).
    public var cause: FailureCause = .step

    public var description: String {
        var lines = [step == 0 ? "flow \"\(flow)\" failed in \(file) (\(kind))" : "flow \"\(flow)\" failed at \(file) step \(step) (\(kind))"]
        if !includedFrom.isEmpty { lines.append("  included from: \(includedFrom.joined(separator: " <- "))") }
        lines.append("  step:       \(written)")
        if let locator { lines.append("  locator:    \(locator)") }
        lines.append("  error:      \(message.replacingOccurrences(of: "\n", with: "\n              "))")
        if !found.isEmpty {
            lines.append("  found:      " + found.joined(separator: "\n              "))
        }
        if let url { lines.append("  url:        \(url)") }
        if let screenshot { lines.append("  screenshot: \(screenshot)") }
        if let html { lines.append("  html:       \(html)") }
        return lines.joined(separator: "\n")
    }
}

/// A step that failed, before the runner adds where and the page state.
struct StepError: Error, CustomStringConvertible {
    let message: String
    var found: [String] = []
    var description: String { ([message] + found).joined(separator: "\n") }
}
