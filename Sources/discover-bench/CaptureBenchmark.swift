import Browser
import Dispatch
import Capture
import DevTools
import Foundation
import TestSupport
import JSONCore
import Recording
import HTTPServer
import Wire

#if canImport(Glibc)
@preconcurrency import Glibc
import Durations
#endif

/// The capture section: `("capture", runCaptureBenchmarks)` in main.swift's section list.
@Sendable func runCaptureBenchmarks() async throws {
    // The burst first: VmHWM is the process's peak, so it must come before the synthetic runs.
    try await CaptureBenchmark.liveBurst()
    try CaptureBenchmark.assemblerThroughput()
    try await CaptureBenchmark.connectionThroughput()
}

enum CaptureBenchmark {
    static let fetches = BurstPage.fetches
    static let framesEachWay = BurstPage.framesEachWay

    // MARK: the recorder's own processing rate

    /// Hand-written DevTools events (the shapes Chromium sends) through the browser's `NetworkTracker`
    /// into `CaptureCore`, with body fetches answered at once: what the recorder costs per event, with
    /// no browser in the way.
    static func assemblerThroughput() throws {
        let folder = temporaryFolder("bench-assembler")
        defer { try? FileManager.default.removeItem(at: folder) }
        let core = try makeCore(folder)
        let events = syntheticEvents()
        var tracker = NetworkTracker()
        let start = ContinuousClock.now
        for (method, params) in events {
            for event in tracker.handle(method: method, sessionId: "S", params: params).events { try answer(core.ingest(event), core) }
        }
        let elapsed = seconds(ContinuousClock.now - start)
        let summary = try core.finish(complete: true, reason: nil)
        print("  recorder alone: \(format(Double(events.count) / elapsed)) events/s (\(events.count) events, \(summary.exchanges) exchanges, \(summary.messages) frames in \(String(format: "%.2f", elapsed)) s; target >= 50,000/s)")
        let readStart = ContinuousClock.now
        let file = try CaptureFile.read(core.options.captureURL)
        let readSeconds = seconds(ContinuousClock.now - readStart)
        let records = file.exchanges.count + file.exchanges.reduce(0) { $0 + $1.messages.count }
        print("  reading it back (CaptureFile.read, as discovery does): \(format(Double(records) / readSeconds)) records/s (\(file.exchanges.count) exchanges, \(records - file.exchanges.count) messages in \(String(format: "%.2f", readSeconds)) s)")
    }

    /// The same events as Chromium would send them, through a `DevToolsConnection` (its reader thread,
    /// envelope and params parsing, the `allEvents` stream) and the tracker into the recorder's loop.
    static func connectionThroughput() async throws {
        let folder = temporaryFolder("bench-connection")
        defer { try? FileManager.default.removeItem(at: folder) }
        let core = try makeCore(folder)
        let events = syntheticEvents()
        let messages = events.map { method, params in
            Array(JSON.object(["method": .string(method), "params": params, "sessionId": "S"]).serialized().utf8)
        }
        let transport = ReplayTransport(messages)
        let connection = DevToolsConnection(transport: transport)
        let stream = connection.allEvents(methods: NetworkTracker.methods)
        var tracker = NetworkTracker()
        let start = ContinuousClock.now
        transport.release()
        var processed = 0
        for await event in stream {
            for event in tracker.handle(method: event.method, sessionId: event.sessionId, params: event.params).events {
                try answer(core.ingest(event), core)
            }
            processed += 1
        }
        let elapsed = seconds(ContinuousClock.now - start)
        _ = try core.finish(complete: true, reason: nil)
        guard processed == events.count else { throw BenchmarkError(message: "the connection delivered \(processed) of \(events.count) events") }
        print("  through DevToolsConnection + recorder: \(format(Double(processed) / elapsed)) events/s (\(processed) events in \(String(format: "%.2f", elapsed)) s; target >= 50,000/s)")
    }

    static func makeCore(_ folder: URL) throws -> CaptureCore {
        let core = try CaptureCore(options: CaptureOptions(outputFolder: folder, secrets: [SecretValue(name: "P", value: "hunter2-pass")], toolVersion: "bench"))
        core.withAssembler { $0.registerTarget(sessionId: "S", SessionTarget(type: "page", targetId: "F", url: "http://127.0.0.1:1/")) }
        return core
    }

    /// Body fetches answered at once with a small JSON body.
    static func answer(_ commands: [NetworkCommand], _ core: CaptureCore) throws {
        for command in commands {
            if case .fetchResponseBody(let id, _, _, let mime) = command {
                let body = try core.bodies.body(exchangeID: id, role: "response", content: #"{"from":"page","ok":true}"#, base64: false, mimeType: mime)
                core.withAssembler { $0.responseBodyArrived(exchangeID: id, body: body) }
            }
        }
    }

    /// 20,000 fetches (six events each, ExtraInfo included) and 80,000 WebSocket frames.
    static func syntheticEvents() -> [(String, JSON)] {
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
        return events
    }

    // MARK: the burst through a real browser

    static func liveBurst() async throws {
        let server = try startServer()
        defer { Task { await server.stop() } }
        let folder = temporaryFolder("bench-burst")
        defer { try? FileManager.default.removeItem(at: folder) }

        let plain = try await timeBurst(server: server, recorder: nil)
        let recorder = Recorder(options: CaptureOptions(outputFolder: folder, toolVersion: "bench"))
        let recorded = try await timeBurst(server: server, recorder: recorder)
        let summary = recorded.summary!
        print("  burst (\(fetches) fetches, \(2 * framesEachWay) WebSocket frames): \(summary.exchanges) exchanges, \(summary.messages) frames recorded")
        print("  burst wall time: \(String(format: "%.2f", plain.seconds)) s without recording, \(String(format: "%.2f", recorded.seconds)) s with (ratio \(String(format: "%.2f", recorded.seconds / plain.seconds)))")
        print("  events processed: \(summary.eventsProcessed) in \(String(format: "%.2f", recorded.seconds)) s = \(format(Double(summary.eventsProcessed) / recorded.seconds)) events/s (bounded by the page's own rate)")
        print("  finish (drain, trailer, HAR): \(String(format: "%.2f", recorded.finishSeconds)) s")
        print("  peak memory of the whole process (VmHWM): \(recorded.peakWhileRecordingKB / 1024) MB while recording, \(recorded.peakWithFinishKB / 1024) MB including finish (the HAR is written from the capture read back)")
    }

    struct BurstResult {
        var seconds: Double
        var finishSeconds: Double
        var summary: CaptureSummary?
        var peakWhileRecordingKB = 0
        var peakWithFinishKB = 0
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
            let peakWhileRecording = peakMemoryKB()
            guard received.intValue == framesEachWay else { throw BenchmarkError(message: "burst page received \(received) echoes") }
            let summary = try await recorder?.finish(complete: true, reason: nil)
            let end = ContinuousClock.now
            await browser.close()
            return BurstResult(
                seconds: seconds(afterPage - start), finishSeconds: seconds(end - afterPage), summary: summary,
                peakWhileRecordingKB: peakWhileRecording, peakWithFinishKB: peakMemoryKB())
        } catch {
            await browser.close()
            throw error
        }
    }

    static let burstScript = BurstPage.script

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
        duration.inSeconds
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

/// Hands pre-serialized events to a connection's reader once released, then reports the channel closed.
final class ReplayTransport: DevToolsTransport, @unchecked Sendable {
    private let messages: [[UInt8]]
    private var next = 0
    private let released = DispatchSemaphore(value: 0)
    private var waited = false

    init(_ messages: [[UInt8]]) {
        self.messages = messages
    }

    func release() { released.signal() }

    /// Called from the connection's reader thread only.
    func receive() throws -> [UInt8]? {
        if !waited {
            released.wait()
            waited = true
        }
        guard next < messages.count else { return nil }
        defer { next += 1 }
        return messages[next]
    }

    func send(_ message: String) throws {}
    func close() {}
}
