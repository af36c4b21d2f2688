import Browser
import Foundation
import JSONCore
import Recording
import TestSupport
import HTTPServer
@testable import Capture

/// One recorded browser session against the capture test server: launch, attach, run `body` on a fresh
/// page in a new context, finish, read the capture back. Closes the browser and server on every path.
struct LiveCapture {
    let folder: URL
    let file: CaptureFile
    let summary: CaptureSummary

    static func run(
        secrets: [SecretValue] = [], include: [String] = [], exclude: [String] = [], harContent: HARContentPolicy = .embed,
        spoolThreshold: Int = 1 << 20, _ body: (Page, HTTPServer, Recorder) async throws -> Void
    ) async throws -> LiveCapture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("capture-live-\(UUID().uuidString)")
        let server = try CaptureTestServer.start()
        let recorder = Recorder(options: CaptureOptions(
            outputFolder: folder, secrets: secrets, include: include, exclude: exclude, harContent: harContent,
            spoolThreshold: spoolThreshold, toolVersion: "test", baseURL: server.baseURL))
        let summary: CaptureSummary
        do {
            summary = try await TestBrowser.with { browser in
                try await recorder.attach(to: browser)
                let context = try await browser.newContext()
                let page = try await context.newPage()
                try await page.goto(server.baseURL + "/")
                try await body(page, server, recorder)
                return try await recorder.finish(complete: true, reason: nil)
            }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        return LiveCapture(folder: folder, file: try CaptureFile.read(folder.appendingPathComponent("capture.jsonl")), summary: summary)
    }

    /// The same against the AI Toolkit replica (fast trainer, 50 ms monitor samples).
    static func runReplica(
        password: String? = nil, devMode: Bool = false, secrets: [SecretValue] = [],
        _ body: (Page, TestReplica, Recorder) async throws -> Void
    ) async throws -> LiveCapture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("capture-replica-\(UUID().uuidString)")
        let replica = try await TestReplica.start(password: password, devMode: devMode)
        let recorder = Recorder(options: CaptureOptions(outputFolder: folder, secrets: secrets, toolVersion: "test", baseURL: replica.baseURL))
        let summary: CaptureSummary
        do {
            summary = try await TestBrowser.with { browser in
                try await recorder.attach(to: browser)
                let page = try await browser.newContext().newPage()
                try await page.goto(replica.baseURL + "/")
                try await body(page, replica, recorder)
                return try await recorder.finish(complete: true, reason: nil)
            }
        } catch {
            await replica.stop()
            throw error
        }
        await replica.stop()
        return LiveCapture(folder: folder, file: try CaptureFile.read(folder.appendingPathComponent("capture.jsonl")), summary: summary)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    func exchanges(path: String) -> [Exchange] {
        file.exchanges.filter { BackgroundPolls.path(of: $0.url) == path }
    }

    /// Polls a condition on the file system, bounded.
    static func waitFor(_ what: String, timeout: Duration = .seconds(15), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw WaitTimeout(description: "timed out after \(timeout) waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    struct WaitTimeout: Error, CustomStringConvertible { let description: String }
}
