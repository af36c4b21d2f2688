import Discovery
import Foundation
import JSONCore
import Recording

/// Discovery over a long scheduled recapture: 1,000,000 exchanges, mostly polling (the job page's
/// `?id=`, `/log?offset=`, `/files`, the shell's `only_active` and cloud flag), with uploads, job
/// actions and monitor streams mixed in. The exchanges are generated on demand, twice (discovery
/// reads them in two passes), so the figure is discovery's own memory, not the input's.
func runDiscoveryBenchmark() async {
    let count = Int(ProcessInfo.processInfo.environment["DISCOVERY_BENCH_EXCHANGES"] ?? "") ?? 1_000_000
    let session = PollingSession()
    let exchanges = (0..<count).lazy.map { session.exchange($0) }

    let generationStart = ContinuousClock.now
    var checksum = 0
    for exchange in exchanges { checksum &+= exchange.url.utf8.count }
    let generation = ContinuousClock.now - generationStart

    let start = ContinuousClock.now
    let cpuStart = processCPUSeconds()
    let api = Discovery.discover(exchanges: exchanges, options: DiscoveryOptions(appName: "AI Toolkit", baseURL: PollingSession.base))
    let cpu = processCPUSeconds() - cpuStart
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let generationSeconds = Double(generation.components.seconds) + Double(generation.components.attoseconds) / 1e18
    let discoverySeconds = max(seconds - 2 * generationSeconds, 0)
    print("discovery: \(count) exchanges -> \(api.endpoints.count) endpoints in \(String(format: "%.2f", seconds)) s "
        + "(\(Int(Double(count) / seconds)) exchanges/s; generating the input twice took ~\(String(format: "%.2f", 2 * generationSeconds)) s of it, "
        + "discovery alone ~\(String(format: "%.2f", discoverySeconds)) s)")
    print("discovery: CPU time \(String(format: "%.2f", cpu)) s (wall time above includes waiting for a shared CPU)")
    print("discovery: peak memory (VmHWM) \(peakMemoryMB()) MB; targets: < 10 s, < 500 MB [checksum \(checksum % 1000)]")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("discover-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let writeStart = ContinuousClock.now
    do {
        try Discovery.writeOutputs(api, to: folder)
        print("discovery: outputs written in \(ContinuousClock.now - writeStart)")
        try benchmarkCaptureFile(session: session, count: min(count, 100_000), folder: folder)
    } catch {
        print("discovery: failed: \(error)")
    }
}

/// The CLI's path: the same traffic from a capture.jsonl, read twice in chunks.
private func benchmarkCaptureFile(session: PollingSession, count: Int, folder: URL) throws {
    let url = folder.appendingPathComponent("capture.jsonl")
    let writer = try CaptureWriter(url: url)
    for index in 0..<count { try writer.append(.exchange(session.exchange(index))) }
    try writer.close()
    let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    let cpuStart = processCPUSeconds()
    let start = ContinuousClock.now
    let api = try Discovery.discover(captureAt: url, options: DiscoveryOptions(appName: "AI Toolkit"))
    let elapsed = ContinuousClock.now - start
    let cpu = processCPUSeconds() - cpuStart
    print("discovery from capture.jsonl: \(count) exchanges (\(size / 1_000_000) MB) -> \(api.endpoints.count) endpoints in \(elapsed), "
        + "CPU \(String(format: "%.2f", cpu)) s (\(Int(Double(count) / max(cpu, 0.001))) exchanges per CPU second); peak memory so far \(peakMemoryMB()) MB")
}

private func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
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
