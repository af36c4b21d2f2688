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
        let first = try CorpusScore.discovered(app: app)
        let second = try CorpusScore.discovered(app: app, capture: "run-2.capture.jsonl")
        let diff = Discovery.diff(old: first, new: second)
        #expect(!diff.hasChanges, "\(app): \(diff.text)")
        #expect(diff.exitCode(failOn: .any) == 0)
    }

    @Test("an older version of an app: accuracy holds, its two runs are silent")
    func olderVersions() throws {
        for (app, tag) in CorpusScore.olderVersions() {
            let (score, first) = try CorpusScore.score(app: app, capture: "\(tag)-run-1.capture.jsonl", groundTruth: "ground-truth-\(tag).json")
            print("corpus: \(tag) \(score.line)")
            #expect(score.precision >= 0.95 && score.recall >= 0.95, "\(tag) \(score.line)\n\(score.explanation)")
            let diff = Discovery.diff(old: first, new: try CorpusScore.discovered(app: app, capture: "\(tag)-run-2.capture.jsonl"))
            #expect(!diff.hasChanges, "\(app) \(tag): \(diff.text)")
        }
    }

    @Test("across two real versions: every real difference the flows reach is reported, at most 10 % noise, no false breaking flag")
    func acrossVersions() throws {
        let pairs = CorpusScore.olderVersions()
        #expect(!pairs.isEmpty, "no app keeps an older version")
        for (app, tag) in pairs {
            let (oldScore, oldAPI) = try CorpusScore.score(app: app, capture: "\(tag)-run-1.capture.jsonl", groundTruth: "ground-truth-\(tag).json")
            let (newScore, newAPI) = try CorpusScore.score(app: app)
            let expected = CorpusScore.expectedDifferences(old: oldScore, new: newScore)
            let diff = Discovery.diff(old: oldAPI, new: newAPI)
            let oldRoute = Dictionary(oldScore.verdicts.map { ($0.endpoint, $0.route) }, uniquingKeysWith: { first, _ in first })
            let newRoute = Dictionary(newScore.verdicts.map { ($0.endpoint, $0.route) }, uniquingKeysWith: { first, _ in first })
            var reported: (removed: Set<String>, added: Set<String>) = ([], [])
            var noise: [String] = []
            for change in diff.changes {
                switch change.kind {
                case .removed:
                    if let route = oldRoute[change.endpoint] ?? nil, expected.removed.contains(CorpusScore.normalizedRoute(route)) {
                        reported.removed.insert(CorpusScore.normalizedRoute(route))
                    } else {
                        noise.append("- \(change.endpoint)")
                    }
                case .added:
                    if let route = newRoute[change.endpoint] ?? nil, expected.added.contains(CorpusScore.normalizedRoute(route)) {
                        reported.added.insert(CorpusScore.normalizedRoute(route))
                    } else {
                        noise.append("+ \(change.endpoint)")
                    }
                case .changed:
                    noise.append("~ \(change.endpoint): \(change.detail)")
                }
            }
            print("corpus: \(app) \(tag) -> current: \(diff.changes.count) lines, \(noise.count) noise; expected \(expected.removed.count) removed, \(expected.added.count) added")
            #expect(reported.removed == expected.removed, "missed removals: \(expected.removed.subtracting(reported.removed).sorted())")
            #expect(reported.added == expected.added, "missed additions: \(expected.added.subtracting(reported.added).sorted())")
            #expect(Double(noise.count) <= 0.1 * Double(max(diff.changes.count, 1)), "noise: \(noise)")
            let falseBreaking = diff.changes.filter { $0.breaking && $0.kind != .removed }
            #expect(falseBreaking.isEmpty, "\(falseBreaking)")
        }
    }
}
