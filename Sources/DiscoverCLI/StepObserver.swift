import Capture
import Flows
import Recording

/// Forwards the runner's steps to the recorder (provenance) and to the console (progress), so the
/// runner and the recorder never know each other.
struct StepObserver: FlowRunObserver {
    let recorder: Recorder
    let console: Console
    /// Failure evidence is written into the staging folder and printed where it will be after the swap.
    var shownPath: (staged: String, final: String)? = nil
    /// Each step's start and end, for `run.json` and the page's timeline.
    var times: StepTimes? = nil
    /// The browser context of a chain of flows running beside others: the recorder keeps its steps apart.
    var lane: String? = nil

    func stepWillStart(_ step: StepContext) async {
        times?.started(step)
        recorder.setProvenance(Provenance(flow: step.flow, step: step.index, description: step.description), lane: lane)
        console.detail("\(step.flow) #\(step.index) \(step.description)")
    }

    func stepIsReady(_ step: StepContext) async {
        times?.ready(step)
    }

    func stepDidFinish(_ step: StepContext, error: (any Error)?) async {
        times?.finished(step)
        recorder.setProvenance(nil, lane: lane)
    }

    func flowDidFinish(_ flow: FlowResult) async {
        RunPipeline.flowLine(flow, console: console, shownPath: shownPath)
    }
}
