import Discovery
import Flows
import Foundation
import Durations

/// The runs as a JUnit XML file, the format every CI system shows (Jenkins, GitLab, GitHub actions,
/// Azure): a test suite per run, a test case per flow, and with `--baseline` a test case per API
/// change, failing when `--fail-on` counts it. What went wrong beyond the flows (a run that stopped
/// before them, a pool that kept its browser) is one erroring case.
enum JUnitReport {
    static func xml(_ records: [RunRecord]) -> String {
        var suites: [String] = []
        var totals = Counts()
        for record in records {
            let (body, counts) = suite(record)
            totals.add(counts)
            suites.append(
                "  <testsuite name=\"\(escape(record.name))\" tests=\"\(counts.tests)\" failures=\"\(counts.failures)\" errors=\"\(counts.errors)\" skipped=\"\(counts.skipped)\" time=\"\(seconds(record.duration))\" timestamp=\"\(timestamp(record.startedAt))\">\n"
                    + "    <properties>\n"
                    + "      <property name=\"flows\" value=\"\(escape(record.flowsPath))\"/>\n"
                    + "      <property name=\"baseURL\" value=\"\(escape(record.baseURL))\"/>\n"
                    + "      <property name=\"output\" value=\"\(escape(record.outputFolder))\"/>\n"
                    + "      <property name=\"exitCode\" value=\"\(record.exitCode.rawValue)\"/>\n"
                    + "    </properties>\n"
                    + body
                    + "  </testsuite>\n")
        }
        let time = seconds(records.reduce(Duration.zero) { $0 + $1.duration })
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"discover\" tests=\"\(totals.tests)\" failures=\"\(totals.failures)\" errors=\"\(totals.errors)\" skipped=\"\(totals.skipped)\" time=\"\(time)\">\n"
            + suites.joined()
            + "</testsuites>\n"
    }

    private struct Counts {
        var tests = 0, failures = 0, errors = 0, skipped = 0
        mutating func add(_ other: Counts) {
            tests += other.tests
            failures += other.failures
            errors += other.errors
            skipped += other.skipped
        }
    }

    private static func suite(_ record: RunRecord) -> (String, Counts) {
        var counts = Counts()
        var cases = ""
        let className = escape(record.name)
        if let stopped = record.stopped {
            // Nothing else can be said of the run: the reason is the case.
            counts.tests += 1
            counts.errors += 1
            cases += "    <testcase classname=\"\(className)\" name=\"run\" time=\"\(seconds(record.duration))\">\n"
                + "      <error message=\"\(escape(firstLine(stopped)))\" type=\"\(record.exitCode == .interrupted ? "interrupted" : "run")\">\(escape(stopped))</error>\n"
                + "    </testcase>\n"
        }
        if let setupError = record.result?.setupError {
            counts.tests += 1
            counts.errors += 1
            cases += "    <testcase classname=\"\(className)\" name=\"setup\" time=\"0\">\n"
                + "      <error message=\"\(escape(firstLine(setupError)))\" type=\"setup\">\(escape(setupError))</error>\n"
                + "    </testcase>\n"
        }
        for flow in record.result?.flows ?? [] {
            counts.tests += 1
            let name = escape("\(flow.file): \(flow.name)")
            var line = "    <testcase classname=\"\(className)\" name=\"\(name)\" file=\"\(escape(flow.file))\" time=\"\(seconds(flow.duration))\""
            switch flow.status {
            case .passed:
                line += "/>\n"
            case .skipped:
                counts.skipped += 1
                line += ">\n      <skipped message=\"\(escape(flow.skipReason ?? "skipped"))\"/>\n    </testcase>\n"
            case .failed:
                let failure = flow.failure
                // The environment's failures (the app not there, the browser gone) are errors, not the flow's.
                let environmental = failure.map { $0.cause != .step } ?? false
                let element = environmental ? "error" : "failure"
                if environmental { counts.errors += 1 } else { counts.failures += 1 }
                let message = failure.map { "step \($0.step) (\($0.kind)): \(firstLine($0.message))" } ?? "failed"
                let type = failure.map { $0.cause == .step ? $0.kind : $0.cause.rawValue } ?? "step"
                line += ">\n      <\(element) message=\"\(escape(message))\" type=\"\(escape(type))\">\(escape(failure?.description ?? ""))</\(element)>\n    </testcase>\n"
            }
            cases += line
        }
        if let diff = record.discovery?.diff {
            for change in diff.changes {
                counts.tests += 1
                let counted = record.failOn == .any || (record.failOn == .breaking && change.breaking)
                let name = escape("\(change.endpoint) \(change.kind.rawValue)\(change.detail.isEmpty ? "" : ": \(change.detail)")")
                let detail = escape("\(change.breaking ? "breaking" : "non-breaking") \(change.kind.rawValue) \(change.endpoint)\(change.detail.isEmpty ? "" : ": \(change.detail)")")
                if counted {
                    counts.failures += 1
                    cases += "    <testcase classname=\"\(className).api\" name=\"\(name)\" time=\"0\">\n"
                        + "      <failure message=\"\(detail)\" type=\"\(change.breaking ? "breaking-change" : "change")\">\(detail)</failure>\n"
                        + "    </testcase>\n"
                } else {
                    cases += "    <testcase classname=\"\(className).api\" name=\"\(name)\" time=\"0\">\n"
                        + "      <system-out>\(detail)</system-out>\n"
                        + "    </testcase>\n"
                }
            }
        }
        return (cases, counts)
    }

    private static func firstLine(_ text: String) -> String {
        String(text.prefix { $0 != "\n" })
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.3f", duration.inSeconds)
    }

    private static func timestamp(_ date: Date) -> String {
        // JUnit's schema wants an ISO 8601 time without a zone.
        var text = date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
        if text.hasSuffix("Z") { text.removeLast() }
        return text
    }

    /// XML 1.0 text or attribute: the five entities, and the control characters XML cannot hold at all
    /// (a failure message may quote a page's text) replaced with U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                let legal = value >= 0x20 && !(0xFFFE...0xFFFF).contains(value)
                out.unicodeScalars.append(legal ? scalar : "\u{FFFD}")
            }
        }
        return out
    }
}
