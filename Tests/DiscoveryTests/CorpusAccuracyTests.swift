import Foundation
import Recording
import Testing
import TestSupport

@testable import Discovery

/// Discovery judged on real third-party apps (corpus/README.md): captures of live runs of each app's
/// flows, scored against the routes the app's own API description lists.
@Suite("Corpus: discovery on real apps")
struct CorpusAccuracyTests {
    static let apps = CorpusScore.apps()

    @Test("the corpus holds at least four real apps with two captures each")
    func corpusIsThere() {
        #expect(Self.apps.count >= 4, "apps with a ground truth and captures: \(Self.apps)")
        for app in Self.apps {
            let second = CorpusScore.corpusFolder.appendingPathComponent(app).appendingPathComponent("run-2.capture.jsonl")
            #expect(FileManager.default.fileExists(atPath: second.path), "\(app) has no second capture")
        }
    }

    @Test("precision and recall of reached routes are at least 0.95, parameters right", arguments: apps)
    func accuracy(app: String) throws {
        let (score, _) = try CorpusScore.score(app: app)
        print("corpus: \(score.line)")
        #expect(score.reached.count > 0, "\(app): the capture reached no ground-truth route")
        #expect(score.precision >= 0.95, "\(score.line)\n\(score.explanation)")
        #expect(score.recall >= 0.95, "\(score.line)\n\(score.explanation)")
    }

    @Test("two back-to-back runs diff to no changes", arguments: apps)
    func identicalRunsAreSilent(app: String) throws {
        let folder = CorpusScore.corpusFolder.appendingPathComponent(app)
        let first = try Discovery.discover(captureAt: folder.appendingPathComponent("run-1.capture.jsonl"), options: DiscoveryOptions(appName: app))
        let second = try Discovery.discover(captureAt: folder.appendingPathComponent("run-2.capture.jsonl"), options: DiscoveryOptions(appName: app))
        let diff = Discovery.diff(old: first, new: second)
        #expect(!diff.hasChanges, "\(app): \(diff.text)")
        #expect(diff.exitCode(failOn: .any) == 0)
    }
}
