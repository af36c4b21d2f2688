import Foundation

/// The output folder across runs: a new run's files replace the last run's only once they are written.
/// Until then the last run's files wait in `.previous-run/`; a run that is cut short (crash, SIGKILL,
/// full disk) therefore never destroys the last complete run, and the next run keeps that one.
enum OutputFolder {
    /// Files a run writes; moved out of the way first so nothing stale is mistaken for new.
    static let runOutputs = [
        "capture.jsonl", "capture.har", "bodies", "downloads", "failures", "screenshots", "capture-bodies",
        "discovered-endpoints.json", "openapi.json", "report.md", "diff.json", "diff.txt", "run.json",
    ]
    static let previousName = ".previous-run"

    static func prepare(_ folder: URL) throws {
        let manager = FileManager.default
        let previous = folder.appendingPathComponent(previousName)
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            // A `.previous-run` left behind means the run after it never completed: it is the last
            // complete one, and what lies beside it is the unfinished run's, which goes.
            let keepEarlier = manager.fileExists(atPath: previous.path)
            if !keepEarlier { try manager.createDirectory(at: previous, withIntermediateDirectories: true) }
            let generated = ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".generated.ts") }
            for name in runOutputs + generated {
                let url = folder.appendingPathComponent(name)
                guard manager.fileExists(atPath: url.path) else { continue }
                if keepEarlier {
                    try manager.removeItem(at: url)
                } else {
                    try manager.moveItem(at: url, to: previous.appendingPathComponent(name))
                }
            }
        } catch {
            throw CommandFailure(code: .environment, message: "cannot prepare the output folder \(folder.path): \(error.localizedDescription)")
        }
    }

    /// The new run is written in full: the last one's files can go.
    static func dropPrevious(_ folder: URL) {
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(previousName))
    }
}
