@testable import Browser
import DevTools
import Flows
import Foundation
import JSONCore
import Recording
import Synchronization
import Testing
import TestSupport
@testable import Capture

/// The real pipe to Chromium, with every command written through it kept.
final class CommandSpy: DevToolsTransport {
    private let inner: PipeTransport
    private let sent = Mutex<[JSON]>([])

    init(_ inner: PipeTransport) { self.inner = inner }

    func send(_ message: String) throws {
        if let json = try? JSON.parse(bytes: Array(message.utf8)) { sent.withLock { $0.append(json) } }
        try inner.send(message)
    }

    func receive() throws -> [UInt8]? { try inner.receive() }
    func close() { inner.close() }

    /// How many times `method` went to each session.
    func count(_ method: String) -> [String: Int] {
        sent.withLock { sent in
            var counts: [String: Int] = [:]
            for command in sent where command["method"]?.stringValue == method {
                counts[command["sessionId"]?.stringValue ?? "", default: 0] += 1
            }
            return counts
        }
    }
}

@Suite struct SharedNetworkTests {
    @Test("with a capture and the flow runner both reading the network, Network.enable goes once to each target and both see the traffic")
    func oneNetworkEnablePerTarget() async throws {
        let server = try CaptureTestServer.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shared-network-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let launched = try Browser.spawn()
        let spy = CommandSpy(PipeTransport(readDescriptor: launched.pipe.read, writeDescriptor: launched.pipe.write))
        let browser = Browser(
            connection: DevToolsConnection(transport: spy), process: launched.process, gracePeriod: .seconds(2), dialogs: .accept, viewport: .standard)
        do {
            try await browser.startAutoAttach()
            let context = try await browser.newContext()
            let recorder = Recorder(options: CaptureOptions(outputFolder: folder, toolVersion: "test", baseURL: server.baseURL))
            try await recorder.attach(to: browser, contexts: [context])
            let page = try await context.newPage()
            let flow = try FlowLoader.decode(
                ["name": "shared", "steps": [
                    ["goto": "/"],
                    // The stream is read with fetch(), so its bytes must be asked for.
                    ["evaluate": "fetch('/sse').then(async r => { const reader = r.body.getReader(); while (!(await reader.read()).done) {} }); fetch('/api/json?from=page'); true"],
                    ["waitFor": ["response": ["url": "**/api/json?from=page", "status": 200]]],
                    ["waitFor": ["message": ["url": "**/sse", "event": "sample", "contains": "\"step\":2"]]],
                    // A dedicated worker is a target of its own.
                    ["evaluate": "new Promise(done => { const worker = new Worker('/worker.js'); worker.onmessage = message => done(message.data.from) })"],
                ]],
                file: nil)
            let runner = FlowRunner(page: page, baseURL: server.baseURL, environment: [:], outputFolder: folder, options: FlowRunOptions(timeout: .seconds(10)))
            let result = await runner.run([flow])
            #expect(result.passed, "\(result.failures.first.map(\.description) ?? result.setupError ?? "passed")")
            let summary = try await recorder.finish(complete: true, reason: nil)
            let file = try CaptureFile.read(summary.captureURL)
            let stream = try #require(file.exchanges.first { $0.url.hasSuffix("/sse") })
            #expect(stream.messages.filter { $0.event == "sample" }.count == 3, "the capture split the same stream: \(stream.messages)")
            let fromWorker = try #require(file.exchanges.first { $0.url.hasSuffix("from=worker") }, "the capture saw the worker's request")
            #expect(fromWorker.target?.type == "worker")

            let enables = spy.count("Network.enable")
            let workers = browser.attachedTargets.filter { $0.type == "worker" }.compactMap(\.session.id)
            #expect(!workers.isEmpty, "the page started a worker")
            for session in [page.session.id ?? ""] + workers {
                #expect(enables[session] == 1, "Network.enable went \(enables[session] ?? 0) times to \(session)")
            }
            #expect(enables.values.allSatisfy { $0 == 1 }, "\(enables)")
            #expect(spy.count("Network.streamResourceContent").values.reduce(0, +) == 1, "one request for the stream's bytes, shared")
            #expect(spy.count("Browser.setDownloadBehavior").values.reduce(0, +) == 1, "downloads set once for the one context")
        } catch {
            await browser.close()
            await server.stop()
            throw error
        }
        await browser.close()
        await server.stop()
    }
}
