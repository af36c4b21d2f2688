import Discovery
import Foundation
import Durations

/// What `report.html` adds to `discover generate` on the demo's capture: the generate work (discovery
/// from capture.jsonl, then discovered-endpoints.json, openapi.json, the client and report.md) with and
/// without the page (the timeline rows gathered in discovery's second pass, run.json read, the page
/// drawn and written). The two run alternately in one process, so the machine's noise falls on both;
/// medians of each. Then the command itself, as a process, against the page's own cost. `REPORT_BENCH_RUN`
/// names the run folder (default output/ai-toolkit, written by `discover demo`), `REPORT_BENCH_ROUNDS` the
/// rounds (default 30); `REPORT_BENCH_PAGE_LOOPS=N` only draws the page N times (for a profiler).
func runReportBenchmark() throws {
    let environment = ProcessInfo.processInfo.environment
    let run = URL(fileURLWithPath: environment["REPORT_BENCH_RUN"] ?? "output/ai-toolkit")
    let rounds = Int(environment["REPORT_BENCH_ROUNDS"] ?? "") ?? 30
    let capture = run.appendingPathComponent("capture.jsonl")
    guard FileManager.default.fileExists(atPath: capture.path) else {
        print("report: no \(capture.path): run `discover demo` first (or set REPORT_BENCH_RUN)")
        return
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("discover-bench-report-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let options = DiscoveryOptions(appName: "ai-toolkit")

    var plainCPU: [Double] = []
    var fullCPU: [Double] = []
    func withoutPage() throws -> Double {
        let start = ContinuousClock.now
        let cpu = cpuSeconds()
        let api = try Discovery.discover(captureAt: capture, options: options)
        try Discovery.writeOutputs(api, to: folder.appendingPathComponent("without"), page: nil)
        plainCPU.append(cpuSeconds() - cpu)
        return (ContinuousClock.now - start).inSeconds
    }
    func withPage() throws -> (total: Double, page: Double, bytes: Int) {
        let start = ContinuousClock.now
        let cpu = cpuSeconds()
        var timeline = TimelineCollector()
        let api = try Discovery.discover(captureAt: capture, options: options, observing: { timeline.add($0) })
        let page = HTMLReport.Context(steps: RunSteps.load(in: run), timeline: timeline)
        try Discovery.writeOutputs(api, to: folder.appendingPathComponent("with"), page: page)
        let total = (ContinuousClock.now - start).inSeconds
        fullCPU.append(cpuSeconds() - cpu)
        let pageStart = ContinuousClock.now
        let bytes = HTMLReport.page(api, page).utf8.count
        return (total, (ContinuousClock.now - pageStart).inSeconds, bytes)
    }

    if let loops = Int(environment["REPORT_BENCH_PAGE_LOOPS"] ?? "") {
        var timeline = TimelineCollector()
        let api = try Discovery.discover(captureAt: capture, options: options, observing: { timeline.add($0) })
        let context = HTMLReport.Context(steps: RunSteps.load(in: run), timeline: timeline)
        var bytes = 0
        for _ in 0..<loops { bytes &+= HTMLReport.page(api, context).utf8.count }
        print("report: drew the page \(loops) times (\(bytes) bytes)")
        return
    }
    _ = try withoutPage()
    _ = try withPage()
    var plain: [Double] = []
    var full: [Double] = []
    var drawn: [Double] = []
    var size = 0
    for round in 0..<rounds {
        // Alternate which goes first, so a slow moment is shared.
        if round % 2 == 0 {
            plain.append(try withoutPage())
            let measured = try withPage()
            full.append(measured.total)
            drawn.append(measured.page)
            size = measured.bytes
        } else {
            let measured = try withPage()
            full.append(measured.total)
            drawn.append(measured.page)
            size = measured.bytes
            plain.append(try withoutPage())
        }
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    // Where the difference goes: discovery with and without gathering the timeline, then the page alone.
    var discoverPlain: [Double] = []
    var discoverObserved: [Double] = []
    var api = try Discovery.discover(captureAt: capture, options: options)
    var timeline = TimelineCollector()
    for _ in 0..<rounds {
        var start = ContinuousClock.now
        api = try Discovery.discover(captureAt: capture, options: options)
        discoverPlain.append((ContinuousClock.now - start).inSeconds)
        start = ContinuousClock.now
        var collector = TimelineCollector()
        api = try Discovery.discover(captureAt: capture, options: options, observing: { collector.add($0) })
        discoverObserved.append((ContinuousClock.now - start).inSeconds)
        timeline = collector
    }
    var writes: [Double] = []
    let context = HTMLReport.Context(steps: RunSteps.load(in: run), timeline: timeline)
    for _ in 0..<rounds {
        let start = ContinuousClock.now
        try HTMLReport.write(api, context, to: folder)
        writes.append((ContinuousClock.now - start).inSeconds)
    }
    print(String(
        format: "report: discovery alone %.1f ms, gathering the timeline in it %.1f ms; drawing and writing the page %.2f ms",
        median(discoverPlain) * 1000, median(discoverObserved) * 1000, median(writes) * 1000))
    // The command as a person runs it (process start, reading, five files written), when the
    // `discover` binary of the same build is beside this one.
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("discover")
    if FileManager.default.isExecutableFile(atPath: binary.path) {
        var commands: [Double] = []
        for _ in 0..<rounds {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["generate", capture.path, "--output", folder.appendingPathComponent("command").path, "--quiet"]
            let start = ContinuousClock.now
            try process.run()
            process.waitUntilExit()
            commands.append((ContinuousClock.now - start).inSeconds)
        }
        print(String(
            format: "report: `discover generate %@` takes %.1f ms (median of %d); the page is %.1f %% of it",
            capture.path, median(commands) * 1000, rounds, median(writes) / median(commands) * 100))
    }
    let ratio = median(full) / median(plain)
    print(String(
        format: "report: generate on %@ without the page %.1f ms, with it %.1f ms (median of %d each, alternated): %+.1f %% wall, %+.1f %% CPU (%.1f -> %.1f ms); drawing the page alone %.2f ms, %d bytes",
        capture.path, median(plain) * 1000, median(full) * 1000, rounds, (ratio - 1) * 100, (median(fullCPU) / median(plainCPU) - 1) * 100,
        median(plainCPU) * 1000, median(fullCPU) * 1000, median(drawn) * 1000, size))
}

/// User and system time of the whole process (every thread), in seconds.
private func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
