import Browser
import Capture
import DevTools
import Foundation
import JSONCore
import Recording
import Wire

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The capture section: `("capture", runCaptureBenchmarks)` in main.swift's section list.
@Sendable func runCaptureBenchmarks() async throws {
    try CaptureBenchmark.assemblerThroughput()
    try await CaptureBenchmark.liveBurst()
    try await CaptureBenchmark.flowOverhead()
}

enum CaptureBenchmark {
    static let fetches = 10_000
    static let framesEachWay = 50_000

    // MARK: the recorder's own processing rate

    /// Hand-written DevTools events (the shapes Chromium sends) through `CaptureCore`, with body
    /// fetches answered at once: what the recorder costs per event, with no browser in the way.
    static func assemblerThroughput() throws {
        let folder = temporaryFolder("bench-assembler")
        defer { try? FileManager.default.removeItem(at: folder) }
        let core = try CaptureCore(options: CaptureOptions(outputFolder: folder, secrets: [SecretValue(name: "P", value: "hunter2-pass")], toolVersion: "bench"))
        core.withAssembler { $0.registerTarget(sessionId: "S", SessionTarget(type: "page", targetId: "F", url: "http://127.0.0.1:1/")) }
        var events: [(String, JSON)] = []
        let headers: JSON = ["Accept": "*/*", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/156", "Referer": "http://127.0.0.1:1/", "Cookie": "sid=1"]
        for index in 0..<20_000 {
            let id = JSON.string("r\(index)")
            let time = 100 + Double(index) * 0.001
            events.append(("Network.requestWillBeSent", [
                "requestId": id, "request": ["url": .string("http://127.0.0.1:1/api/json?i=\(index)"), "method": "GET", "headers": headers],
                "timestamp": .number(time), "wallTime": .number(1_700_000_000 + time), "type": "Fetch", "frameId": "F",
                "initiator": ["type": "script"],
            ]))
            events.append(("Network.requestWillBeSentExtraInfo", ["requestId": id, "headers": headers]))
            events.append(("Network.responseReceivedExtraInfo", ["requestId": id, "statusCode": 200, "headers": ["Content-Type": "application/json", "Content-Length": "25"]]))
            events.append(("Network.responseReceived", [
                "requestId": id, "timestamp": .number(time + 0.0005), "type": "Fetch", "hasExtraInfo": true,
                "response": ["status": 200, "statusText": "OK", "headers": ["Content-Type": "application/json"], "mimeType": "application/json",
                             "timing": ["requestTime": .number(time), "sendStart": 0.1, "sendEnd": 0.2, "receiveHeadersEnd": 0.4]],
            ]))
            events.append(("Network.dataReceived", ["requestId": id, "timestamp": .number(time + 0.0006), "dataLength": 25, "encodedDataLength": 25]))
            events.append(("Network.loadingFinished", ["requestId": id, "timestamp": .number(time + 0.0007), "encodedDataLength": 100]))
        }
        events.append(("Network.webSocketCreated", ["requestId": "ws", "url": "ws://127.0.0.1:1/ws"]))
        events.append(("Network.webSocketHandshakeResponseReceived", ["requestId": "ws", "timestamp": 200, "response": ["status": 101, "headers": [:]]]))
        for index in 0..<80_000 {
            let method = index % 2 == 0 ? "Network.webSocketFrameSent" : "Network.webSocketFrameReceived"
            events.append((method, ["requestId": "ws", "timestamp": .number(200 + Double(index) * 0.0001), "response": ["opcode": 1, "mask": true, "payloadData": .string("{\"seq\":\(index),\"kind\":\"sample\"}")]]))
        }
        events.append(("Network.webSocketClosed", ["requestId": "ws", "timestamp": 300]))

        let start = ContinuousClock.now
        for (method, params) in events {
            for command in core.ingest(method: method, sessionId: "S", params: params) {
                if case .fetchResponseBody(let id, _, _, let mime) = command {
                    let body = try core.bodies.body(exchangeID: id, role: "response", content: #"{"from":"page","ok":true}"#, base64: false, mimeType: mime)
                    core.withAssembler { $0.responseBodyArrived(exchangeID: id, body: body) }
                }
            }
        }
        let elapsed = seconds(ContinuousClock.now - start)
        let summary = try core.finish(complete: true, reason: nil)
        print("  recorder alone: \(format(Double(events.count) / elapsed)) events/s (\(events.count) events, \(summary.exchanges) exchanges, \(summary.messages) frames in \(String(format: "%.2f", elapsed)) s; target >= 50,000/s)")
    }

    // MARK: the burst through a real browser

    static func liveBurst() async throws {
        let server = try startServer()
        defer { Task { await server.stop() } }
        let folder = temporaryFolder("bench-burst")
        defer { try? FileManager.default.removeItem(at: folder) }

        let plain = try await timeBurst(server: server, recorder: nil)
        let recorder = Recorder(options: CaptureOptions(outputFolder: folder, toolVersion: "bench"))
        let hwmBefore = peakMemoryKB()
        let recorded = try await timeBurst(server: server, recorder: recorder)
        let summary = recorded.summary!
        print("  burst (\(fetches) fetches, \(2 * framesEachWay) WebSocket frames): \(summary.exchanges) exchanges, \(summary.messages) frames recorded")
        print("  burst wall time: \(String(format: "%.2f", plain.seconds)) s without recording, \(String(format: "%.2f", recorded.seconds)) s with (ratio \(String(format: "%.2f", recorded.seconds / plain.seconds)))")
        print("  events processed: \(summary.eventsProcessed) in \(String(format: "%.2f", recorded.seconds)) s = \(format(Double(summary.eventsProcessed) / recorded.seconds)) events/s (bounded by the page's own rate)")
        print("  finish (drain, trailer, HAR): \(String(format: "%.2f", recorded.finishSeconds)) s; peak memory VmHWM \(hwmBefore / 1024) MB before, \(peakMemoryKB() / 1024) MB after")
    }

    struct BurstResult {
        var seconds: Double
        var finishSeconds: Double
        var summary: CaptureSummary?
    }

    static func timeBurst(server: HTTPServer, recorder: Recorder?) async throws -> BurstResult {
        let browser = try await Browser.launch()
        do {
            if let recorder { try await recorder.attach(to: browser) }
            let page = try await browser.newContext().newPage()
            try await page.goto(server.baseURL + "/")
            let start = ContinuousClock.now
            let received = try await page.evaluate(burstScript)
            let afterPage = ContinuousClock.now
            guard received.intValue == framesEachWay else { throw BenchmarkError(message: "burst page received \(received) echoes") }
            let summary = try await recorder?.finish(complete: true, reason: nil)
            let end = ContinuousClock.now
            await browser.close()
            return BurstResult(seconds: seconds(afterPage - start), finishSeconds: seconds(end - afterPage), summary: summary)
        } catch {
            await browser.close()
            throw error
        }
    }

    static let burstScript = """
        (async () => {
          const total = \(fetches), batch = 250;
          for (let i = 0; i < total; i += batch) {
            await Promise.all(Array.from({length: batch}, (_, k) => fetch('/api/json?i=' + (i + k)).then(r => r.text())));
          }
          return await new Promise((resolve, reject) => {
            const ws = new WebSocket('ws://' + location.host + '/ws');
            let received = 0;
            ws.onopen = () => { for (let i = 0; i < \(framesEachWay); i++) ws.send('m' + i); };
            ws.onmessage = () => { if (++received === \(framesEachWay)) ws.close(); };
            ws.onclose = () => resolve(received);
            ws.onerror = () => reject(new Error('ws error'));
          });
        })()
        """

    // MARK: a flow's wall time with and without recording

    /// A flow-like sequence (navigate, then a few API calls per step) in alternating rounds, so the
    /// machine's load hits both alike.
    static func flowOverhead() async throws {
        let server = try startServer()
        defer { Task { await server.stop() } }
        var plain: [Double] = []
        var recorded: [Double] = []
        var plainSteps: [Double] = []
        var recordedSteps: [Double] = []
        for round in 0..<8 {
            for withRecording in [false, true] {
                let folder = temporaryFolder("bench-flow")
                defer { try? FileManager.default.removeItem(at: folder) }
                let browser = try await Browser.launch()
                let recorder = withRecording ? Recorder(options: CaptureOptions(outputFolder: folder, toolVersion: "bench")) : nil
                let start = ContinuousClock.now
                if let recorder { try await recorder.attach(to: browser) }
                let page = try await browser.newContext().newPage()
                let stepsStart = ContinuousClock.now
                for step in 0..<20 {
                    recorder?.setProvenance(Provenance(flow: "bench", step: step + 1, description: "step \(step + 1)"))
                    try await page.goto(server.baseURL + "/?step=\(step)")
                    _ = try await page.evaluate("Promise.all([1,2,3,4,5].map(i => fetch('/api/json?i=' + i).then(r => r.text())))")
                }
                recorder?.setProvenance(nil)
                let steps = seconds(ContinuousClock.now - stepsStart)
                _ = try await recorder?.finish(complete: true, reason: nil)
                let elapsed = seconds(ContinuousClock.now - start)
                await browser.close()
                guard round > 0 else { continue }
                if withRecording {
                    recorded.append(elapsed)
                    recordedSteps.append(steps)
                } else {
                    plain.append(elapsed)
                    plainSteps.append(steps)
                }
            }
        }
        let (without, with) = (median(plain), median(recorded))
        let (stepsWithout, stepsWith) = (median(plainSteps), median(recordedSteps))
        print("  flow (20 navigations + 100 fetches), median of 7 alternating rounds:")
        print("    steps only: \(String(format: "%.3f", stepsWithout)) s without recording, \(String(format: "%.3f", stepsWith)) s with: +\(String(format: "%.1f", (stepsWith / stepsWithout - 1) * 100))% (target < 10%)")
        print("    whole run incl. attach and finish (drain, trailer, HAR): \(String(format: "%.3f", without)) s vs \(String(format: "%.3f", with)) s: +\(String(format: "%.1f", (with / without - 1) * 100))%")
    }

    // MARK: helpers

    static func startServer() throws -> HTTPServer {
        try HTTPServer.start { request in
            switch request.path {
            case "/api/json": return .json(["from": "page", "ok": true])
            case "/ws":
                return .webSocket { socket in
                    while let message = await socket.receive() { try? socket.send(message) }
                }
            default: return .html("<!doctype html><title>bench</title><body>bench</body>")
            }
        }
    }

    static func temporaryFolder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    }

    /// VmHWM from /proc/self/status, in kB.
    static func peakMemoryKB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        return values.sorted()[values.count / 2]
    }

    static func format(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = 0
        return formatter.string(from: NSNumber(value: value)) ?? String(Int(value))
    }
}
