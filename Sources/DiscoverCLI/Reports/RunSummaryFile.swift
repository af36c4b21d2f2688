import Discovery
import Flows
import Foundation
import JSONCore
import Durations

/// `--summary FILE`: the runs as JSON for a scheduler or a script (format in the README, "summary.json").
/// Paths are as given on the command line; times in milliseconds.
enum RunSummaryFile {
    static let formatVersion = 1

    static func json(_ records: [RunRecord], exitCode: ExitCode) -> JSON {
        [
            "format": .integer(formatVersion),
            "tool": .string("discover \(DiscoverCommand.version)"),
            "exitCode": .integer(Int(exitCode.rawValue)),
            "passed": .bool(exitCode == .success),
            "runs": .array(records.map(run)),
        ]
    }

    private static func run(_ record: RunRecord) -> JSON {
        var run: [String: JSON] = [
            "name": .string(record.name),
            "flows": .string(record.flowsPath),
            "baseURL": .string(record.baseURL),
            "output": .string(record.outputFolder),
            "startedAt": .string(record.startedAt.formatted(.iso8601)),
            "durationMs": .integer(milliseconds(record.duration)),
            "exitCode": .integer(Int(record.exitCode.rawValue)),
            "status": .string(record.status),
            "stopped": record.stopped.map(JSON.string) ?? .null,
        ]
        if let result = record.result {
            run["setupError"] = result.setupError.map(JSON.string) ?? .null
            run["flowResults"] = .array(result.flows.map(flow))
        }
        if let capture = record.capture {
            run["capture"] = [
                "exchanges": .integer(capture.exchanges), "messages": .integer(capture.messages),
                "downloads": .integer(capture.downloads), "failed": .integer(capture.failed), "complete": .bool(capture.complete),
            ]
        }
        if let discovery = record.discovery {
            run["endpoints"] = .integer(discovery.endpoints)
            if let diff = discovery.diff {
                run["changes"] = [
                    "breaking": .integer(diff.changes.filter(\.breaking).count),
                    "nonBreaking": .integer(diff.changes.filter { !$0.breaking }.count),
                    "notReached": .integer(diff.notReached.count),
                ]
            }
        }
        return .object(run)
    }

    private static func flow(_ flow: FlowResult) -> JSON {
        var object: [String: JSON] = [
            "file": .string(flow.file), "name": .string(flow.name), "status": .string(flow.status.rawValue),
            "steps": .integer(flow.steps.count), "durationMs": .integer(milliseconds(flow.duration)),
        ]
        if let reason = flow.skipReason { object["skipReason"] = .string(reason) }
        if let failure = flow.failure {
            var detail: [String: JSON] = [
                "file": .string(failure.file), "step": .integer(failure.step), "kind": .string(failure.kind),
                "written": .string(failure.written), "message": .string(failure.message), "cause": .string(failure.cause.rawValue),
            ]
            if let locator = failure.locator { detail["locator"] = .string(locator) }
            if let url = failure.url { detail["url"] = .string(url) }
            if let screenshot = failure.screenshot { detail["screenshot"] = .string(screenshot) }
            if let html = failure.html { detail["html"] = .string(html) }
            object["failure"] = .object(detail)
        }
        return .object(object)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.inMilliseconds)
    }
}
