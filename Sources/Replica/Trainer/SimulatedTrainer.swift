import Foundation
import JSONCore
import Synchronization
import Wire

/// Stands in for the GPU worker (`ui/cron/worker.ts` + the Python trainer): every tick, each running
/// queue whose GPU is idle takes its next queued job and walks it through the real status and info
/// strings, writing `log.txt`, checkpoints and sample images into the job's training folder.
final class SimulatedTrainer: Sendable {
    private let context: ReplicaContext
    private let timing: TrainerTiming
    private let runs = Mutex<[String: Task<Void, Never>]>([:])
    private let worker = Mutex<Task<Void, Never>?>(nil)

    init(context: ReplicaContext, timing: TrainerTiming) {
        self.context = context
        self.timing = timing
    }

    func start() {
        // Own threads, not the cooperative pool: the simulated GPU keeps its pace however busy the pool is.
        let task = Task.detachedOnOwnThread(name: "replica trainer") { [self] in
            while !Task.isCancelled {
                tick()
                try? await Task.sleep(for: timing.workerInterval)
            }
        }
        worker.withLock { $0 = task }
    }

    func stop() async {
        worker.withLock { $0?.cancel() }
        let active = runs.withLock { runs -> [Task<Void, Never>] in
            defer { runs.removeAll() }
            return Array(runs.values)
        }
        for run in active {
            run.cancel()
            await run.value
        }
        if let task = worker.withLock({ $0 }) { await task.value }
    }

    /// Ends a run at once (the job was stopped or deleted); its status is the caller's to set.
    func cancel(jobID: String) {
        runs.withLock { $0[jobID] }?.cancel()
    }

    /// One pass of the worker loop (`ui/cron/actions/processQueue.ts`): a stopped queue sends its running
    /// job back to the queue; a running queue with an idle GPU starts its lowest-positioned queued job
    /// (`ui/cron/actions/startJob.ts`), and stops itself when none is left.
    private func tick() {
        let picks: [Job] = context.state.withLock { state in
            var picks: [Job] = []
            for queue in state.queues.values.sorted(by: { $0.id < $1.id }) {
                guard queue.isRunning else {
                    for job in state.jobs.values where job.gpuIDs == queue.gpuIDs && job.status == "running" {
                        state.jobs[job.id]?.returnToQueue = true
                        state.jobs[job.id]?.info = "Stopping job..."
                        state.jobs[job.id]?.updatedAt = Date()
                    }
                    continue
                }
                let busy = state.jobs.values.contains { $0.gpuIDs == queue.gpuIDs && ($0.status == "running" || $0.status == "stopping") }
                guard !busy else { continue }
                let next = state.jobs.values.filter { $0.gpuIDs == queue.gpuIDs && $0.status == "queued" }
                    .min { ($0.queuePosition, $0.createdAt) < ($1.queuePosition, $1.createdAt) }
                guard var job = next else {
                    state.queues[queue.gpuIDs]?.isRunning = false
                    continue
                }
                job.status = "running"
                job.stop = false
                job.returnToQueue = false
                job.info = "Starting job..."
                job.step = 0
                job.pid = 40_000 + Int.random(in: 0..<20_000)
                job.updatedAt = Date()
                state.jobs[job.id] = job
                state.loss[job.id] = []
                picks.append(job)
            }
            return picks
        }
        for job in picks {
            guard let folder = context.jobFolder(job) else {
                context.updateJob(job.id) {
                    $0.status = "error"
                    $0.info = "Error: the job's folder would lie outside the training folder"
                    $0.pid = nil
                }
                continue
            }
            let run = Task.detachedOnOwnThread(name: "replica training run") { [self] in
                await TrainingRun(context: context, timing: timing, job: job, folder: folder).run()
                _ = runs.withLock { $0.removeValue(forKey: job.id) }
            }
            runs.withLock { $0[job.id] = run }
        }
    }
}

/// One simulated training run of one job.
private struct TrainingRun: Sendable {
    let context: ReplicaContext
    let timing: TrainerTiming
    let job: Job

    /// Inside the training folder (`ReplicaContext.jobFolder`).
    let folder: URL
    private var logURL: URL { folder.appendingPathComponent("log.txt") }

    func run() async {
        let process = job.process
        let totalSteps = max(1, process?["train"]?["steps"]?.intValue ?? 3000)
        let saveEvery = max(1, process?["save"]?["save_every"]?.intValue ?? 250)
        let sampleEvery = max(1, process?["sample"]?["sample_every"]?.intValue ?? 250)
        let promptCount = max(1, process?["sample"]?["samples"]?.arrayValue?.count ?? process?["sample"]?["prompts"]?.arrayValue?.count ?? 1)
        let datasetFolder = process?["datasets"]?[0]?["folder_path"]?.stringValue ?? context.datasetsFolder
        // Only counted, but a folder such as `/` would mean walking the whole disk.
        let countedFolder = ConfinedPath.inside(datasetFolder, roots: [context.dataRoot.path])

        try? FileManager.default.createDirectory(at: folder.appendingPathComponent("samples"), withIntermediateDirectories: true)
        try? Data().write(to: logURL)  // a fresh run starts a fresh log, as the trainer's does
        if let config = try? JSON.parse(job.jobConfig) {
            try? Data(config.serialized(.pretty).utf8).write(to: folder.appendingPathComponent(".job_config.json"))
        }
        // The trainer's own first word after the worker's `Starting job...` (DiffusionTrainer.py).
        guard update({ $0.totalSteps = totalSteps; $0.info = "Starting" }) else { return }
        log("Running 1 job")
        log("Starting job \(job.name) on GPU \(job.gpuIDs) (simulated by the discover replica)")
        guard await pause(timing.phaseDuration), update({ $0.info = "Loading model" }) else { return }
        log("Loading model \(process?["model"]?["name_or_path"]?.stringValue ?? "ostris/Flex.1-alpha")")
        guard await pause(timing.phaseDuration), update({ $0.info = "Loading dataset" }) else { return }
        let imageCount = countedFolder.map { DatasetRoutes.mediaFiles(under: $0).count } ?? 0
        log("Dataset: \(datasetFolder)")
        log("  -  Found \(imageCount) images")
        guard await pause(timing.phaseDuration) else { return }
        // Baseline samples before the first step, as the real trainer makes unless told to skip them.
        if process?["sample"]?["skip_first_sample"]?.boolValue != true {
            log("Generating baseline samples before training")
            guard await generateSamples(step: 0, count: promptCount) else { return }
        }
        guard update({ $0.info = "Training" }) else { return }

        let updates = max(1, timing.progressUpdates)
        let pace = timing.trainingDuration / updates
        var step = 0
        for index in 1...updates {
            guard await pause(pace), let current = context.job(job.id), current.status == "running" else { return }
            // `update` marks a job asked to stop as stopped.
            if current.stop { _ = update { _ in }; return }
            let previous = step
            step = totalSteps * index / updates
            let checkpoints = stride(from: (previous / saveEvery + 1) * saveEvery, to: totalSteps, by: saveEvery).filter { $0 <= step }
            for point in checkpoints { guard saveCheckpoint(step: point) else { return } }
            if current.saveNow, !checkpoints.contains(step), step < totalSteps { guard saveCheckpoint(step: step) else { return } }
            let sampleDue = current.sampleNow || (previous / sampleEvery != step / sampleEvery && step < totalSteps)
            if sampleDue {
                guard await generateSamples(step: step, count: promptCount) else { return }
            }
            let loss = 0.05 + 0.4 * exp(-Double(step) / Double(totalSteps) * 3) + 0.01 * sin(Double(step))
            let speed = 2.1 + 0.3 * sin(Double(index))
            context.state.withLock { $0.loss[job.id, default: []].append(LossPoint(step: step, wallTime: Date().timeIntervalSince1970, value: loss)) }
            guard update({
                $0.step = step
                $0.info = "Training"
                $0.speedString = String(format: "%.2f it/s", speed)
                $0.saveNow = false
                $0.sampleNow = false
            }) else { return }
            let percent = step * 100 / totalSteps
            log("\(job.name): \(String(repeating: " ", count: max(0, 3 - String(percent).count)))\(percent)%| \(step)/\(totalSteps) [\(String(format: "%.2f", speed))it/s, lr: 1.0e-04 loss: \(String(format: "%.3e", loss))]")
        }
        guard update({ $0.info = "Saving model" }) else { return }
        writeCheckpoint(named: "\(job.name).safetensors", step: totalSteps)
        log("Saved final model to \(folder.appendingPathComponent("\(job.name).safetensors").path)")
        _ = update({
            $0.status = "completed"
            $0.info = "Training completed"
            $0.pid = nil
        })
        log("Training completed")
    }

    /// One image per prompt, each announced in `info` after a `0/N` (`DiffusionTrainer.sample`); false
    /// when the run was stopped meanwhile.
    private func generateSamples(step: Int, count: Int) async -> Bool {
        guard update({ $0.info = "Generating images - 0/\(count)" }) else { return false }
        for prompt in 1...count {
            guard update({ $0.info = "Generating images - \(prompt)/\(count)" }), await pause(timing.phaseDuration / 2) else { return false }
            writeSample(step: step, index: prompt - 1)
        }
        return true
    }

    /// Sleeps; false when the run was cancelled (stopped or deleted).
    private func pause(_ duration: Duration) async -> Bool {
        (try? await Task.sleep(for: duration)) != nil
    }

    /// Applies a change while the job is still running and not asked to stop; false otherwise. A job asked
    /// to stop marks itself `stopped` (the only way at c9843692, whose stop route sends no signal); one its
    /// stopped queue asked back goes back as `queued` (`DiffusionTrainer.maybe_stop`).
    private func update(_ change: (inout Job) -> Void) -> Bool {
        context.state.withLock { state in
            guard var current = state.jobs[job.id], current.status == "running" else { return false }
            if current.stop {
                current.status = "stopped"
                current.info = "Job stopped"
                current.updatedAt = Date()
                state.jobs[job.id] = current
                return false
            }
            if current.returnToQueue {
                current.status = "queued"
                current.info = "Job queued"
                current.pid = nil
                current.updatedAt = Date()
                state.jobs[job.id] = current
                return false
            }
            change(&current)
            current.updatedAt = Date()
            state.jobs[job.id] = current
            return true
        }
    }

    /// Announced as `Saving model` (`DiffusionTrainer.save`); false when the run was stopped meanwhile.
    private func saveCheckpoint(step: Int) -> Bool {
        guard update({ $0.info = "Saving model" }) else { return false }
        let padded = String(repeating: "0", count: max(0, 9 - String(step).count)) + String(step)
        writeCheckpoint(named: "\(job.name)_\(padded).safetensors", step: step)
        log("Saving at step \(step)")
        return true
    }

    private func writeCheckpoint(named name: String, step: Int) {
        try? Data(Safetensors.lora(name: job.name, step: step)).write(to: folder.appendingPathComponent(name))
    }

    private func writeSample(step: Int, index: Int) {
        let padded = String(repeating: "0", count: max(0, 9 - String(step).count)) + String(step)
        let name = "\(Int(Date().timeIntervalSince1970 * 1000))__\(padded)_\(index).png"
        let shade = UInt8(truncatingIfNeeded: step * 37 + index * 91)
        try? Data(TinyPNG.make(red: shade, green: 128, blue: 255 &- shade)).write(to: folder.appendingPathComponent("samples").appendingPathComponent(name))
    }

    private func log(_ line: String) {
        guard let handle = try? FileHandle(forWritingTo: logURL) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data((line + "\n").utf8))
    }
}
