import Browser
import DevTools
import Durations
import Foundation
import JSONCore
import Recording
import Synchronization
import Wire

public enum RecorderError: Error, CustomStringConvertible {
    case notAttached
    case alreadyAttached
    public var description: String {
        switch self {
        case .notAttached: "the recorder was never attached to a browser (call attach(to:) before the flows run)"
        case .alreadyAttached: "the recorder is already attached to a browser"
        }
    }
}

/// Records every network exchange of a browser while flows run: HTTP with wire headers and bodies,
/// redirects, WebSocket frames, server-sent events and NDJSON streams, downloads. Writes
/// `capture.jsonl` as it goes and `capture.har` at the end, with secrets redacted before anything is
/// written. Attach before the pages the flows use are created: targets that already exist are not
/// revisited.
public final class Recorder: Sendable {
    public let options: CaptureOptions

    private struct Attachment: Sendable {
        let core: CaptureCore
        let connection: DevToolsConnection
        let subscription: NetworkSubscription
        let consumer: Task<Void, Never>
        let ticker: Task<Void, Never>
    }

    private struct Activity {
        var commandsInFlight = 0
        var lastEventAt = ContinuousClock.now
        var eventLoopEnded = false
    }

    private let attachment = Mutex<Attachment?>(nil)
    /// The first `finish` result: a second call (a caller's cleanup path) returns it again.
    private let finished = Mutex<CaptureSummary?>(nil)
    private let activity = Mutex(Activity())
    /// Set before `attach`: remembered and applied when the capture starts.
    private let pendingProvenance = Mutex<Provenance?>(nil)

    public init(options: CaptureOptions) {
        self.options = options
    }

    /// Records `browser`'s traffic: all of it, or with `contexts` only theirs, for a run that shares
    /// its browser with others. Attach to contexts before their first page is made.
    public func attach(to browser: Browser, contexts: [BrowserContext] = []) async throws {
        let connection = browser.connection
        let network = browser.network
        guard attachment.withLock({ $0 == nil }) else { throw RecorderError.alreadyAttached }
        let scope = contexts.isEmpty ? nil : CaptureScope(browserContextIds: Set(contexts.map(\.id)))
        let core = try CaptureCore(options: options)
        if let step = pendingProvenance.withLock({ $0 }) {
            core.withAssembler { $0.setProvenance(step, at: Date().timeIntervalSince1970) }
        }
        // The browser's network, typed (hops, wire headers, stream messages, downloads, documents and
        // targets that went away, in the order they happened), enabled once on every target for the
        // capture and the flow runner alike; subscribed before any target is set up, so the first
        // request of every target is seen.
        let subscription = await network.subscribe(maxPostDataSize: options.spoolThreshold)
        // On the reader's executor: each event is handled where it was read, without a thread wake-up.
        let consumer = Task(executorPreference: connection.executor) { [self] in
            for await event in subscription.events {
                if let scope, !scope.accepts(event) { continue }
                let commands = core.ingest(event)
                activity.withLock { $0.lastEventAt = .now }
                for command in commands { execute(command, core: core, connection: connection) }
            }
            activity.withLock { $0.eventLoopEnded = true }
        }
        let ticker = Task { [self] in
            // Also ends with the event stream (the browser went away and nobody called finish).
            while !Task.isCancelled, !activity.withLock({ $0.eventLoopEnded }) {
                try? await Task.sleep(for: .milliseconds(100))
                core.withAssembler { $0.tick() }
            }
        }
        attachment.withLock {
            $0 = Attachment(core: core, connection: connection, subscription: subscription, consumer: consumer, ticker: ticker)
        }

        if contexts.isEmpty {
            _ = try await browser.configureDownloads(into: options.downloadsFolder, browserContextId: nil)
        } else {
            for context in contexts { _ = try await browser.configureDownloads(into: options.downloadsFolder, browserContextId: context.id) }
        }
        browser.addTargetSetup { [self] target in
            if let scope {
                guard let context = target.browserContextId, scope.browserContextIds.contains(context) else { return }
                scope.admit(sessionId: target.session.id ?? "", targetId: target.targetId)
            }
            core.withAssembler {
                $0.registerTarget(
                    sessionId: target.session.id ?? "",
                    SessionTarget(type: target.type, targetId: target.targetId, url: target.url, browserContextId: target.browserContextId))
            }
            if let context = target.browserContextId {
                _ = try? await browser.configureDownloads(into: options.downloadsFolder, browserContextId: context)
            }
        }
    }

    /// The flow runner's current step (nil between steps); exchanges record the step active when the
    /// browser started them. Flows running side by side each set the step of their own browser
    /// context's `lane`.
    public func setProvenance(_ step: Provenance?, lane: String? = nil) {
        let now = Date().timeIntervalSince1970
        if let core = attachment.withLock({ $0?.core }) {
            core.withAssembler { $0.setProvenance(step, at: now, lane: lane) }
        } else {
            pendingProvenance.withLock { $0 = step }
        }
    }

    /// Drains the events already sent, waits (bounded) for body fetches, writes what is still in flight
    /// (open streams as open), the trailer (with `flows`: flow name -> passed, failed or skipped), then
    /// `capture.har`.
    public func finish(complete: Bool, reason: String?, flows: [String: String] = [:]) async throws -> CaptureSummary {
        guard let attached = attachment.withLock({ $0 }) else { throw RecorderError.notAttached }
        if let summary = finished.withLock({ $0 }) { return summary }
        // A reply is read after every event sent before it; then let the consumer catch up.
        if attached.connection.closeReason == nil {
            _ = try? await attached.connection.send("Browser.getVersion", timeout: .seconds(5))
        }
        // Bodies of tens of megabytes take seconds to fetch and decode on a loaded machine.
        await settle(timeout: .seconds(60))
        attached.ticker.cancel()
        attached.consumer.cancel()
        attached.subscription.cancel()
        let summary = try attached.core.finish(complete: complete, reason: reason, flows: flows)
        finished.withLock { $0 = summary }
        return summary
    }

    /// Until no command is in flight and the events sent before the barrier are processed: the stream
    /// went quiet for 50 ms, or two seconds passed (a page that streams without pause never goes quiet;
    /// the recorder works through a backlog of well over 100,000 events in that time). Bounded.
    private func settle(timeout: Duration) async {
        let start = ContinuousClock.now
        let deadline = Deadline(start + timeout)
        while !deadline.hasPassed {
            let (inFlight, quietFor, ended) = activity.withLock { ($0.commandsInFlight, ContinuousClock.now - $0.lastEventAt, $0.eventLoopEnded) }
            let drained = ended || quietFor > .milliseconds(50) || ContinuousClock.now - start > .seconds(2)
            if inFlight == 0, drained { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
        if let core = attachment.withLock({ $0?.core }) {
            core.warn("finish: gave up waiting after \(timeout) for \(activity.withLock { $0.commandsInFlight }) DevTools commands")
        }
    }

    // MARK: commands

    private func execute(_ command: NetworkCommand, core: CaptureCore, connection: DevToolsConnection) {
        activity.withLock { $0.commandsInFlight += 1 }
        // Started on the reader, where the event that asked for it is handled, so the command goes out
        // without waking a pool thread; a reply above `DevToolsConnection.inlineReplyLimit` continues on
        // the pool (a body of 50 MB takes a while to parse and decode).
        Task(executorPreference: connection.executor) { [self] in
            defer { activity.withLock { $0.commandsInFlight -= 1 } }
            switch command {
            case .fetchResponseBody(let id, let sessionId, let requestId, let mimeType):
                let body: Body
                do {
                    let reply = try await connection.send("Network.getResponseBody", ["requestId": .string(requestId)], sessionId: sessionId)
                    body = try core.bodies.body(
                        exchangeID: id, role: "response", content: reply["body"]?.stringValue ?? "",
                        base64: reply["base64Encoded"]?.boolValue ?? false, mimeType: mimeType)
                } catch {
                    body = Body(size: 0, mimeType: mimeType, unavailableReason: Self.describe(error))
                }
                core.withAssembler { $0.responseBodyArrived(exchangeID: id, body: body) }
            case .fetchRequestPostData(let id, let sessionId, let requestId, _):
                do {
                    let reply = try await connection.send("Network.getRequestPostData", ["requestId": .string(requestId)], sessionId: sessionId)
                    let text = reply["postData"]?.stringValue ?? ""
                    let bytes = reply["base64Encoded"]?.boolValue == true ? Data(base64Encoded: text).map { [UInt8]($0) } : Array(text.utf8)
                    core.withAssembler { $0.postDataArrived(exchangeID: id, bytes: bytes, error: bytes == nil ? "invalid base64" : nil) }
                } catch {
                    core.withAssembler { $0.postDataArrived(exchangeID: id, bytes: nil, error: Self.describe(error)) }
                }
            case .saveDownload(let guid, let suggestedFilename):
                let (folder, redactor) = (options.downloadsFolder, core.redactor)
                do {
                    // Hashing and searching a download of gigabytes takes seconds: a thread of its own, off the pool.
                    let saved = try await BlockingWork.run(name: "capture-download") {
                        try DownloadFiles.save(guid: guid, suggestedFilename: suggestedFilename, in: folder, redactor: redactor)
                    }
                    core.withAssembler {
                        $0.downloadSaved(
                            guid: guid, path: folder.lastPathComponent + "/" + saved.name, size: saved.size,
                            sha256: saved.sha256, redacted: saved.redacted, error: nil)
                    }
                } catch {
                    core.withAssembler { $0.downloadSaved(guid: guid, path: nil, size: nil, sha256: nil, error: Self.describe(error)) }
                }
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? CDPError { return "\(error.method): \(error.message)" }
        return "\(error)"
    }
}
