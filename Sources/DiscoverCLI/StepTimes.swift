import Capture
import Discovery
import Flows
import Foundation
import Synchronization
import Durations

/// When each step started and ended, on the capture's clock (epoch seconds): the runner's results
/// carry durations only, and the page draws steps and requests on one axis. Recorded by the
/// `StepObserver`, turned into `run.json` once the runner is done.
final class StepTimes: Sendable {
    private struct Key: Hashable {
        var flow: String
        var file: String
        var index: Int
    }

    /// Per step, its start and end times in order: an included file's step runs once per include.
    private let times = Mutex<[Key: [(start: Double, ready: Double?, end: Double?)]]>([:])

    func started(_ step: StepContext) {
        let now = Date().timeIntervalSince1970
        times.withLock { $0[Key(flow: step.flow, file: step.file, index: step.index), default: []].append((now, nil, nil)) }
    }

    /// The step's input goes out: the time before was waiting.
    func ready(_ step: StepContext) {
        let now = Date().timeIntervalSince1970
        withOpenRun(of: step) { $0.ready = now }
    }

    func finished(_ step: StepContext) {
        let now = Date().timeIntervalSince1970
        withOpenRun(of: step) { $0.end = now }
    }

    /// The step's latest run that has not ended (an included step runs once per include).
    private func withOpenRun(of step: StepContext, _ change: (inout (start: Double, ready: Double?, end: Double?)) -> Void) {
        times.withLock { table in
            let key = Key(flow: step.flow, file: step.file, index: step.index)
            guard let open = table[key]?.lastIndex(where: { $0.end == nil }) else { return }
            change(&table[key]![open])
        }
    }

    /// The run's steps with their times; every text through the capture's redactor, as every output.
    func runSteps(_ result: RunResult, redactor: Capture.Redactor, outputFolder: URL) -> RunSteps {
        let table = times.withLock { $0 }
        var used: [Key: Int] = [:]
        let flows = result.flows.map { flow in
            let failure = flow.failure
            let steps = flow.steps.map { step -> RunSteps.Step in
                let key = Key(flow: flow.name, file: step.file, index: step.index)
                var entry = RunSteps.Step(
                    file: step.file, index: step.index, kind: step.kind, description: redactor.redactLiterals(step.description),
                    status: step.status.rawValue)
                if step.ran, let recorded = table[key], used[key, default: 0] < recorded.count {
                    let time = recorded[used[key, default: 0]]
                    used[key, default: 0] += 1
                    entry.startedAt = time.start
                    // A step that never reported its end (the run was interrupted) lasts what the runner measured.
                    entry.endedAt = time.end ?? time.start + step.duration.inSeconds
                    entry.actedAt = time.ready
                }
                let picture = OutputFileName.stepScreenshot(flow: flow.name, flowFile: flow.file, file: step.file, index: step.index)
                if step.status == .passed, FileManager.default.fileExists(atPath: outputFolder.appendingPathComponent(picture).path) {
                    entry.screenshot = picture
                }
                if step.status == .failed, let failure, failure.file == step.file, failure.step == step.index {
                    entry.message = redactor.redactLiterals(failure.message)
                    entry.screenshot = failure.screenshot.map { relative($0, to: outputFolder) }
                }
                return entry
            }
            return RunSteps.Flow(
                name: flow.name, file: flow.file, status: flow.status.rawValue, skipReason: flow.skipReason.map(redactor.redactLiterals), steps: steps)
        }
        return RunSteps(flows: flows)
    }

    private func relative(_ path: String, to folder: URL) -> String {
        let prefix = folder.standardizedFileURL.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : (path.hasPrefix(folder.path + "/") ? String(path.dropFirst(folder.path.count + 1)) : path)
    }
}

