import Discovery
import Foundation
import JSONCore
import Recording
import Durations

/// Discovery over a long scheduled recapture: 1,000,000 exchanges, mostly polling (the job page's
/// `?id=`, `/log?offset=`, `/files`, the shell's `only_active` and cloud flag), with uploads, job
/// actions and monitor streams mixed in. Measured twice: generated on demand in memory (discovery's
/// own cost), and written to a capture.jsonl and discovered from the file (the CLI's path, decoding
/// included). `DISCOVERY_BENCH_EXCHANGES` sets the count, `DISCOVERY_BENCH_PARTS` (`memory`, `file`)
/// picks the parts; `DISCOVERY_BENCH_THREADS` (`1,2`), `DISCOVERY_BENCH_ROUNDS` (2) and
/// `DISCOVERY_BENCH_READING` (`0` leaves out the one-thread reading stages) shape the file part. In memory, CPU seconds are the figure to compare (the machine is shared); from the
/// file, reading runs on a thread of its own beside discovery, so wall time is the target and CPU
/// time above it is what the overlap costs.
func runDiscoveryBenchmark() async {
    let environment = ProcessInfo.processInfo.environment
    let count = Int(environment["DISCOVERY_BENCH_EXCHANGES"] ?? "") ?? 1_000_000
    let parts = Set((environment["DISCOVERY_BENCH_PARTS"] ?? "memory,file").split(separator: ",").map(String.init))
    let session = PollingSession()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("discover-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if parts.contains("memory") { try benchmarkInMemory(session: session, count: count, folder: folder) }
        if parts.contains("file") { try benchmarkCaptureFile(session: session, count: count, folder: folder) }
    } catch {
        print("discovery: failed: \(error)")
    }
}

/// The exchanges are generated on demand, twice (discovery reads them in two passes), so the memory
/// figure is discovery's own, not the input's.
private func benchmarkInMemory(session: PollingSession, count: Int, folder: URL) throws {
    let exchanges = (0..<count).lazy.map { session.exchange($0) }
    let generation = Measurement.start()
    var checksum = 0
    for exchange in exchanges { checksum &+= exchange.url.utf8.count }
    let generated = generation.stop()

    // One thread against one per core, as for the file (the pass split is only meaningful on one).
    let threadCounts = [1, DiscoveryOptions().effectiveThreads].reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
    var digests: Set<String> = []
    var walls: [Int: Double] = [:]
    for threads in threadCounts {
        var options = DiscoveryOptions(appName: "AI Toolkit", baseURL: PollingSession.base)
        options.threads = threads
        let passes = PassClock(exchanges)
        let measurement = Measurement.start()
        let api = Discovery.discover(exchanges: passes, options: options)
        let result = measurement.stop()
        walls[threads] = result.wall
        print("discovery in memory, \(threads) thread(s): \(count) exchanges -> \(api.endpoints.count) endpoints; \(result.summary(count: count)) "
            + "(generating the input twice: ~\(format(2 * generated.cpu)) s CPU of it) [checksum \(checksum % 1000)]")
        let passStarts = passes.starts.starts
        if passStarts.count == 2, threads == 1 {
            let first = passStarts[1] - measurement.cpuStart - generated.cpu, second = result.cpu - (passStarts[1] - measurement.cpuStart) - generated.cpu
            print("discovery in memory, by pass (input generation taken out): routes and templates \(format(first)) s CPU, shapes and outputs \(format(second)) s CPU")
        }
        let outputs = Measurement.start()
        let folder = folder.appendingPathComponent("memory-\(threads)")
        try Discovery.writeOutputs(api, to: folder)
        digests.insert(try outputDigest(folder))
        print("discovery in memory: outputs written in \(format(outputs.stop().wall)) s")
    }
    if let one = walls[1], let many = walls[DiscoveryOptions().effectiveThreads], threadCounts.count > 1 {
        print("discovery in memory: \(threadCounts.last!) threads take \(format(many / one)) x the wall time of 1")
    }
    print("discovery in memory: discovered-endpoints.json \(digests.sorted().joined(separator: ", "))\(digests.count == 1 ? " (the same with any number of threads)" : "  DIFFERENT OUTPUTS")")
}

/// The CLI's path: the same traffic from a capture.jsonl, read in chunks. `DISCOVERY_BENCH_CAPTURE`
/// names a file to write once and read again on later runs (or any capture to measure).
private func benchmarkCaptureFile(session: PollingSession, count: Int, folder: URL) throws {
    let kept = ProcessInfo.processInfo.environment["DISCOVERY_BENCH_CAPTURE"].map { URL(fileURLWithPath: $0) }
    let url = kept ?? folder.appendingPathComponent("capture.jsonl")
    if !FileManager.default.fileExists(atPath: url.path) {
        let writing = Measurement.start()
        let writer = try CaptureWriter(url: url)
        for index in 0..<count { try writer.append(.exchange(session.exchange(index))) }
        try writer.close()
        print("discovery from capture.jsonl: \(count) exchanges written in \(format(writing.stop().cpu)) s CPU")
    }
    let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    print("discovery from capture.jsonl: \(url.lastPathComponent), \(size / 1_000_000) MB")
    // One thread (the reader and the shapes on the calling thread) against one per core, alternating,
    // so both see the same machine; the output must be the same byte for byte.
    var digests: Set<String> = []
    var walls: [Int: [Double]] = [:]
    let threadCounts = ProcessInfo.processInfo.environment["DISCOVERY_BENCH_THREADS"].map { $0.split(separator: ",").compactMap { Int($0) } }
        ?? [1, DiscoveryOptions().effectiveThreads]
    let rounds = Int(ProcessInfo.processInfo.environment["DISCOVERY_BENCH_ROUNDS"] ?? "") ?? 2
    for round in 0..<rounds {
        for threads in threadCounts {
            var options = DiscoveryOptions(appName: "AI Toolkit")
            options.threads = threads
            let measurement = Measurement.start()
            let clock = StageClock()
            let api = try Discovery.discover(captureAt: url, options: options, clock: clock)
            let result = measurement.stop()
            walls[threads, default: []].append(result.wall)
            let output = folder.appendingPathComponent("file-\(threads)")
            try Discovery.writeOutputs(api, to: output)
            digests.insert(try outputDigest(output))
            print("discovery from capture.jsonl, \(threads) thread(s), round \(round + 1): \(api.capture.exchanges) exchanges -> \(api.endpoints.count) endpoints; \(result.summary(count: api.capture.exchanges))")
            for stage in clock.stages {
                let name = stage.name + (stage.threads > 1 ? " (\(stage.threads) threads)" : "")
                print("  \(name.padding(toLength: 52, withPad: " ", startingAt: 0)) \(format(stage.cpuSeconds)) s CPU  \(format(stage.wallSeconds)) s wall")
            }
        }
    }
    let parallel = DiscoveryOptions().effectiveThreads
    if let one = walls[1]?.min(), let many = walls[parallel]?.min(), parallel > 1 {
        print("discovery from capture.jsonl: \(parallel) threads take \(format(many / one)) x the wall time of 1 (best of 2 each)")
    }
    print("discovery from capture.jsonl: discovered-endpoints.json \(digests.sorted().joined(separator: ", "))\(digests.count == 1 ? " (the same with any number of threads)" : "  DIFFERENT OUTPUTS")")
    if ProcessInfo.processInfo.environment["DISCOVERY_BENCH_READING"] != "0" { try readingStages(url, count: count) }
    print("discovery: targets for \(count) exchanges: from the file < 5 s wall and < 200 MB; in memory < 4 s")
}

/// Where one pass over the file goes, stage by stage on one thread (each stage includes the ones
/// before it): reading and splitting lines, then parsing each line into a tree (the decoder before
/// issue 16, for comparison), then decoding each line with the cursor, then putting records together.
private func readingStages(_ url: URL, count: Int) throws {
    var lines = 0
    var exchanges = 0
    var split = Double.infinity, tree = Double.infinity, cursor = Double.infinity, reader = Double.infinity
    // Best of three, the stages alternating, so a burst of load elsewhere does not decide a ratio.
    for _ in 0..<3 {
        lines = 0
        exchanges = 0
        split = min(split, try Measurement.timed { try forEachLine(url) { _ in lines += 1 } }.cpu)
        tree = min(tree, try Measurement.timed { try forEachLine(url) { line in _ = try? JSON.parse(bytes: line) } }.cpu)
        cursor = min(cursor, try Measurement.timed { try forEachLine(url) { line in _ = try? CaptureRecord(line: line) } }.cpu)
        reader = min(reader, try Measurement.timed { _ = try CaptureReader.read(url) { _, _ in exchanges += 1 } }.cpu)
    }
    print("discovery from capture.jsonl, one pass on one thread, best of 3 (\(lines) lines, \(exchanges) exchanges):")
    print("  read + split lines          \(format(split)) s CPU")
    print("  + JSON.parse (a tree)       \(format(tree)) s CPU  (the decoding before issue 16 parsed into a tree, then decoded the tree)")
    print("  + CaptureRecord(line:)      \(format(cursor)) s CPU  (the cursor decoder, all of the decoding: \(format(tree / max(cursor, 0.001))) x the speed of building the tree alone)")
    print("  + records put together      \(format(reader)) s CPU  (CaptureReader.read, what each discovery pass runs)")
}

/// Each line of the file (without its newline), read in 4 MB chunks as `CaptureReader` does.
private func forEachLine(_ url: URL, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    var buffer: [UInt8] = []
    while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
        buffer.append(contentsOf: chunk)
        let consumed = try buffer.withUnsafeBufferPointer { bytes -> Int in
            var start = 0
            while start < bytes.count, let found = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start) {
                let newline = UnsafeRawPointer(bytes.baseAddress!).distance(to: found)
                if newline > start { try body(UnsafeBufferPointer(rebasing: bytes[start..<newline])) }
                start = newline + 1
            }
            return start
        }
        buffer.removeFirst(consumed)
    }
}

/// Wall and CPU time (getrusage: user + system) and the peak resident memory (VmHWM) of one stage;
/// the peak is reset when the stage starts, so each stage reports its own.
private struct Measurement {
    let wallStart: ContinuousClock.Instant
    let cpuStart: Double

    struct Result {
        var wall: Double
        var cpu: Double
        var peakMB: Int

        func summary(count: Int) -> String {
            "\(format(wall)) s wall, \(format(cpu)) s CPU (\(Int(Double(count) / max(cpu, 0.001))) exchanges per CPU second, "
                + "\(Int(Double(count) / max(wall, 0.001))) per wall second); peak memory (VmHWM) \(peakMB) MB"
        }
    }

    static func timed(_ body: () throws -> Void) rethrows -> Result {
        let measurement = start()
        try body()
        return measurement.stop()
    }

    static func start() -> Measurement {
        // Writing 5 to clear_refs resets VmHWM to the current resident size.
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        return Measurement(wallStart: .now, cpuStart: processCPUSeconds())
    }

    func stop() -> Result {
        let elapsed = ContinuousClock.now - wallStart
        let wall = elapsed.inSeconds
        return Result(wall: wall, cpu: processCPUSeconds() - cpuStart, peakMB: peakMemoryMB())
    }
}

private func format(_ seconds: Double) -> String { String(format: "%.2f", seconds) }

/// A digest of the main output, to check that a faster path describes the API byte for byte the same.
private func outputDigest(_ folder: URL) throws -> String {
    let (digest, size) = try SHA256.hexOfFile(at: folder.appendingPathComponent("discovered-endpoints.json"))
    return "sha256 \(digest.prefix(16)) (\(size) bytes)"
}

private func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

private func peakMemoryMB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return -1 }
    let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    return kilobytes / 1024
}

/// Builds exchange number `index` of a synthetic polling-heavy session. Identical bodies share one
/// string, as a real capture's repeated polls would after reading.
final class PollingSession: Sendable {
    static let base = "http://127.0.0.1:8675"
    let jobIDs: [String] = (0..<50).map { n in
        let hex = String(format: "%012x", n * 7919 + 1)
        return "5f0c1d2e-8a3b-4c5d-9e6f-\(hex)"
    }
    let activeBody: String
    let cloudBody = #"{"enabled":false}"#
    let filesEmpty = #"{"files":[]}"#
    let jobBodies: [String]
    let auth = [Header(name: "Authorization", value: "Bearer <redacted:AI_TOOLKIT_PASSWORD>"), Header(name: "Accept", value: "application/json")]

    init() {
        jobBodies = jobIDs.map { id in
            #"{"id":"\#(id)","name":"lora_\#(id.suffix(4))","gpu_ids":"0","status":"running","step":120,"total_steps":3000,"info":"Training","speed_string":"1.2 it/s","created_at":"2026-11-26T19:20:00.000Z","updated_at":"2026-11-26T19:21:00.000Z","pid":4242,"job_ref":null,"queue_position":0,"stop":false}"#
        }
        activeBody = #"{"jobs":["# + jobBodies[0] + "]}"
    }

    func exchange(_ index: Int) -> Exchange {
        let time = 1_790_000_000 + Double(index) * 0.4
        let job = jobIDs[(index / 20_000) % jobIDs.count]
        let id = "e\(index)"
        switch index % 10 {
        case 0, 5:
            return json(id, "GET", "/api/jobs?id=\(job)", time, jobBodies[(index / 20_000) % jobBodies.count])
        case 1, 6:
            let offset = index * 37
            return json(id, "GET", "/api/jobs/\(job)/log?offset=\(offset)", time, #"{"log":"step \#(index): loss 0.\#(index % 97)\n","offset":\#(offset + 24),"reset":false}"#)
        case 2:
            return json(id, "GET", "/api/jobs/\(job)/files", time, filesEmpty)
        case 3, 7:
            return json(id, "GET", "/api/jobs?only_active=true", time, activeBody)
        case 4:
            if index % 10_000 == 4 { return monitor(id, time) }
            if index % 1_000 == 4 {
                return json(id, "POST", "/api/datasets/create", time, #"{"success":true,"name":"ds_\#(index)"}"#, request: #"{"name":"ds_\#(index)"}"#)
            }
            return json(id, "GET", "/api/ostris_cloud", time, cloudBody)
        case 8:
            if index % 5_000 == 8 {
                return json(id, "GET", "/api/jobs/\(job)/start", time, jobBodies[0])
            }
            return json(id, "GET", "/api/settings", time, #"{"TRAINING_FOLDER":"/data/output","DATASETS_FOLDER":"/data/datasets"}"#)
        default:
            if index % 2_000 == 9 {
                var upload = json(id, "POST", "/api/datasets/upload", time, #"{"message":"Files uploaded successfully","files":["img_\#(index).png"]}"#)
                upload.request.body = Body(size: 20_000, mimeType: "multipart/form-data; boundary=x", multipart: [
                    MultipartPart(name: "files", filename: "img_\(index).png", contentType: "image/png", size: 20_000),
                    MultipartPart(name: "datasetName", size: 4, value: "ds_1"),
                ])
                return upload
            }
            return json(id, "GET", "/api/queue", time, #"{"queues":[{"id":1,"gpu_ids":"0","is_running":true}]}"#)
        }
    }

    private func json(_ id: String, _ method: String, _ path: String, _ time: Double, _ body: String, request: String? = nil) -> Exchange {
        Exchange(
            id: id, method: method, url: Self.base + path, resourceType: "XHR", startedAt: time, endedAt: time + 0.01,
            request: Request(headers: auth, body: request.map { Body(size: $0.utf8.count, mimeType: "application/json", text: $0) }),
            response: Response(status: 200, mimeType: "application/json", body: Body(size: body.utf8.count, mimeType: "application/json", text: body)),
            backgroundPoll: method == "GET")
    }

    private func monitor(_ id: String, _ time: Double) -> Exchange {
        let messages = (0..<20).map { n in
            StreamMessage(direction: .received, time: time + Double(n) * 0.5, event: n == 0 ? "init" : "sample",
                          data: #"{"t":\#(n),"cpu":null,"gpu":{"hasNvidiaSmi":true,"gpus":[{"index":0,"utilization":\#(n)}]}}"#)
        }
        return Exchange(
            id: id, kind: .stream, method: "GET", url: Self.base + "/api/monitor", resourceType: "Fetch", startedAt: time,
            request: Request(headers: auth), response: Response(status: 200, mimeType: "text/event-stream"), messages: messages)
    }
}

/// A collection that notes the process CPU time each time a pass over it starts, so the benchmark
/// can split discovery into its two passes without reaching into it.
private struct PassClock<Base: Collection>: Collection {
    final class Starts: @unchecked Sendable { var starts: [Double] = [] }
    let base: Base
    let starts = Starts()
    init(_ base: Base) { self.base = base }
    var startIndex: Base.Index { base.startIndex }
    var endIndex: Base.Index { base.endIndex }
    subscript(position: Base.Index) -> Base.Element { base[position] }
    func index(after index: Base.Index) -> Base.Index { base.index(after: index) }
    func makeIterator() -> Base.Iterator {
        starts.starts.append(processCPUSeconds())
        return base.makeIterator()
    }
}
