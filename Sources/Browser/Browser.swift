import DevTools
import Foundation
import JSONCore
import Synchronization

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

public struct BrowserVersion: Sendable, Equatable {
    public let protocolVersion: String
    public let product: String
    public let revision: String
    public let userAgent: String
    public let jsVersion: String
}

/// A Chromium this process launched (and owns) or attached to.
public final class Browser: Sendable {
    public let connection: DevToolsConnection
    /// nil when attached with `connect(to:)`: closing then leaves the browser running.
    let process: ChromiumProcess?
    let gracePeriod: Duration
    let tracker: TargetTracker
    /// The network of every target, one model for every consumer.
    public let network: BrowserNetwork
    let downloads = DownloadBehaviors()
    private let trackerTask: Task<Void, Never>
    private let closing = Mutex<Task<Void, Never>?>(nil)
    /// For a browser lent to us (a WebDriver session): gives it back once we have disconnected.
    private let giveBack = Mutex<(@Sendable () async throws -> Void)?>(nil)
    private let giveBackFailure = Mutex<String?>(nil)

    public var session: CDPSession { CDPSession(connection: connection, id: nil) }

    /// The running browser's process id (also its process group), nil for an attached browser.
    public var processIdentifier: Int32? { process?.pid }

    /// The folder holding the temporary profile and stderr log, removed on close.
    public var temporaryFolder: String? { process?.temporaryFolder }

    /// Why closing did not end cleanly: the pool that lent the browser did not confirm taking it back.
    public var closeFailure: String? { giveBackFailure.withLock { $0 } }

    /// `close()` runs `work` after disconnecting; what it throws becomes `closeFailure`.
    func giveBackOnClose(_ work: @escaping @Sendable () async throws -> Void) {
        giveBack.withLock { $0 = work }
    }

    init(connection: DevToolsConnection, process: ChromiumProcess?, gracePeriod: Duration, dialogs: DialogPolicy, viewport: Viewport?) {
        self.connection = connection
        self.process = process
        self.gracePeriod = gracePeriod
        network = BrowserNetwork(connection: connection)
        tracker = TargetTracker(connection: connection, dialogs: dialogs, viewport: viewport, network: network)
        trackerTask = tracker.start()
    }

    /// Turns on auto-attach at the browser level: every new page arrives paused with a session.
    func startAutoAttach() async throws {
        // Chrome's own UI pages (the omnibox popup of full Chromium) are no business of ours.
        let filter: JSON = [["type": "browser", "exclude": true], ["type": "tab", "exclude": true], ["type": "browser_ui", "exclude": true], [:]]
        _ = try await session.send(
            "Target.setAutoAttach", ["autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true, "filter": filter])
    }

    public func version() async throws -> BrowserVersion {
        let method = "Browser.getVersion"
        let reply = try await session.send(method)
        return BrowserVersion(
            protocolVersion: try reply.requiredString("protocolVersion", of: method), product: try reply.requiredString("product", of: method),
            revision: try reply.requiredString("revision", of: method), userAgent: try reply.requiredString("userAgent", of: method),
            jsVersion: try reply.requiredString("jsVersion", of: method))
    }

    /// Runs for every new target (page, popup, OOPIF iframe, worker) before it is resumed, in
    /// registration order, alongside the tracker's own Page setup. Targets that already exist are not
    /// revisited. A `noopener` tab answers only once resumed, so it is resumed after 500 ms of setup:
    /// a hook's first command is sent by then, later ones may arrive after the tab's first script.
    public func addTargetSetup(_ hook: @escaping @Sendable (AttachedTarget) async throws -> Void) {
        tracker.addHook(hook)
    }

    /// Targets attached from now on (popups, iframes, workers, pages), each after its setup hooks
    /// ran and it was resumed. Registered when called.
    public func readyTargets() -> AsyncStream<AttachedTarget> {
        tracker.readyTargets()
    }

    /// Targets set up so far and still attached.
    public var attachedTargets: [AttachedTarget] { tracker.attachedTargets }

    /// The frames and execution contexts of an attached target (a page, an OOPIF), followed from
    /// first use; the same object for as long as the target stays attached.
    public func frameContexts(of target: AttachedTarget) -> FrameContexts {
        tracker.frameContexts(of: target)
    }

    /// A `Page` for an attached top-level target, such as a popup from `readyTargets()`.
    public func page(for target: AttachedTarget) -> Page {
        Page(target: target, browser: self)
    }

    /// The executor that runs tasks preferring it on the reader thread: an event consumer started with
    /// `Task(executorPreference: browser.executor)` handles each event where it was read. (Commands need
    /// no preference: a reply resumes its caller on the reader thread anyway.)
    public var executor: ReaderExecutor { connection.executor }

    /// An isolated context: its own cookies, storage and cache.
    public func newContext() async throws -> BrowserContext {
        let reply = try await session.send("Target.createBrowserContext", ["disposeOnDetach": true])
        return BrowserContext(id: try reply.requiredString("browserContextId", of: "Target.createBrowserContext"), browser: self)
    }

    /// A page in the default context.
    public func newPage() async throws -> Page {
        try await createPage(browserContextId: nil)
    }

    func createPage(browserContextId: String?) async throws -> Page {
        var params: [String: JSON] = ["url": "about:blank"]
        if let browserContextId { params["browserContextId"] = .string(browserContextId) }
        let reply = try await session.send("Target.createTarget", .object(params))
        let target = try await tracker.waitUntilReady(try reply.requiredString("targetId", of: "Target.createTarget"), timeout: .seconds(30))
        return Page(target: target, browser: self)
    }

    /// Asks the browser to quit, then SIGTERM and SIGKILL to its process group after the grace
    /// period; reaps it and removes the temporary profile. An attached browser is only disconnected.
    /// Concurrent and repeated calls all return once the browser is gone.
    public func close() async {
        let closing = closing.withLock { closing -> Task<Void, Never> in
            if let closing { return closing }
            let task = Task { await self.shutDown() }
            closing = task
            return task
        }
        await closing.value
    }

    private func shutDown() async {
        guard let process else {
            await connection.close()
            trackerTask.cancel()
            if let work = giveBack.withLock({ $0 }) {
                do {
                    try await work()
                } catch {
                    giveBackFailure.withLock { $0 = "\(error)" }
                }
            }
            return
        }
        if connection.closeReason == nil {
            _ = try? await session.send("Browser.close", timeout: gracePeriod)
        }
        let grace = gracePeriod
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                _ = process.waitForExit(upTo: grace)
                process.terminate(gracePeriod: grace)
                continuation.resume()
            }
        }
        await connection.close()
        trackerTask.cancel()
        BrowserRegistry.unregister(process)
    }
}
