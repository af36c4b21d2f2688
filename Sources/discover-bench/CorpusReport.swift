import Discovery
import Foundation
import TestSupport

/// `discover-bench corpus`: discovery's accuracy on each corpus app (corpus/README.md), from the
/// committed captures or, after `make corpus`, the fresh ones; and the diff of its two runs.
func runCorpusReport() throws {
    let apps = CorpusScore.apps()
    guard !apps.isEmpty else {
        print("no corpus app has a ground truth and a capture under \(CorpusScore.corpusFolder.path)")
        return
    }
    var worstPrecision = 1.0
    var worstRecall = 1.0
    for app in apps {
        let started = Date()
        let (score, first) = try CorpusScore.score(app: app)
        print(score.line)
        if !score.explanation.isEmpty { print(score.explanation) }
        worstPrecision = min(worstPrecision, score.precision)
        worstRecall = min(worstRecall, score.recall)
        let second = CorpusScore.corpusFolder.appendingPathComponent(app).appendingPathComponent("run-2.capture.jsonl")
        if FileManager.default.fileExists(atPath: second.path) {
            let other = try Discovery.discover(captureAt: second, options: DiscoveryOptions(appName: first.appName))
            let diff = Discovery.diff(old: first, new: other)
            let breaking = diff.changes.filter(\.breaking).count
            print("  run 1 -> run 2: \(diff.changes.count) changes, \(breaking) breaking, exit \(diff.exitCode(failOn: .any))")
            for change in diff.changes.prefix(20) { print("    \(change.breaking ? "!" : "~") \(change.endpoint): \(change.kind.rawValue) \(change.detail)") }
        }
        print(String(format: "  (%.2f s)", Date().timeIntervalSince(started)))
    }
    print(String(format: "overall: worst precision %.2f, worst recall %.2f over %d apps", worstPrecision, worstRecall, apps.count))
}
