import Flows
import Foundation
import Glibc

/// The output folder across runs: a run writes its files beside the last run's, in `.run-<pid>/`, and
/// swaps them in only at its end. A run that cannot start, is killed (SIGKILL, power cut) or loses
/// records to a full disk therefore never touches the last run's files.
enum OutputFolder {
    /// Files a run writes; the last run's are replaced by the new run's (or removed) at the swap.
    static let runOutputs = OutputFileName.runFiles + ["screenshots"]
    static let stagingPrefix = ".run-"
    /// Where a run that could not write everything leaves what it wrote, for a look.
    static let incompleteName = ".incomplete-run"

    /// A fresh `<folder>/.run-<pid>/`, after removing those of runs no longer alive.
    static func stage(_ folder: URL) throws -> URL {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(stagingPrefix) {
                guard let pid = pid_t(name.dropFirst(stagingPrefix.count)), pid != getpid() else { continue }
                if kill(pid, 0) != 0 && errno == ESRCH { try? manager.removeItem(at: folder.appendingPathComponent(name)) }
            }
            let staging = folder.appendingPathComponent("\(stagingPrefix)\(getpid())")
            try? manager.removeItem(at: staging)
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            return staging
        } catch {
            throw CommandFailure(code: .environment, message: "cannot prepare the output folder \(folder.path): \(error.localizedDescription)")
        }
    }

    /// The swap: the last run's files go, the staged ones take their place, the staging folder goes.
    static func publish(_ staging: URL, into folder: URL) throws {
        let manager = FileManager.default
        do {
            let generated = ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".generated.ts") }
            for name in runOutputs + generated + [incompleteName] {
                let url = folder.appendingPathComponent(name)
                if manager.fileExists(atPath: url.path) { try manager.removeItem(at: url) }
            }
            for name in try manager.contentsOfDirectory(atPath: staging.path) {
                let target = folder.appendingPathComponent(name)
                // A screenshot the flow names may exist from the last run (or be the user's own file).
                if manager.fileExists(atPath: target.path) { try manager.removeItem(at: target) }
                try manager.moveItem(at: staging.appendingPathComponent(name), to: target)
            }
            try manager.removeItem(at: staging)
        } catch {
            throw CommandFailure(code: .environment, message: "cannot move the run's files into \(folder.path): \(error.localizedDescription)")
        }
    }

    /// Keeps what a run wrote before it could not write more as `<folder>/.incomplete-run/`.
    @discardableResult
    static func keepIncomplete(_ staging: URL, in folder: URL) -> URL {
        let kept = folder.appendingPathComponent(incompleteName)
        try? FileManager.default.removeItem(at: kept)
        if (try? FileManager.default.moveItem(at: staging, to: kept)) == nil { return staging }
        return kept
    }
}
