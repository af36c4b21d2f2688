import DevTools
import Durations
import Foundation
import JSONCore
import Synchronization

/// A JavaScript exception thrown by `Page.evaluate`.
public struct JavaScriptError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { "JavaScript error: \(message)" }
}

public struct NavigationError: Error, Sendable, CustomStringConvertible {
    public let url: String
    public let reason: String
    public var description: String { "navigation to \(url) failed: \(reason)" }
}

/// A top-level page with its flat session.
public final class Page: Sendable {
    public let session: CDPSession
    public let targetId: String
    public let target: AttachedTarget
    public let browser: Browser

    init(target: AttachedTarget, browser: Browser) {
        self.session = target.session
        self.targetId = target.targetId
        self.target = target
        self.browser = browser
    }

    /// Navigates and waits for the main frame's load event: of this navigation, or of a document
    /// that replaced it before it loaded (a script redirect). A previous document still loading
    /// does not count: only documents that started after the call do.
    /// `timeout` bounds the whole navigation, the server's answer and the load event together.
    public func goto(_ url: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = Deadline(after: timeout)
        let lifecycle = session.events(["Page.lifecycleEvent"])
        let reply: JSON
        do {
            reply = try await session.send("Page.navigate", ["url": .string(url)], timeout: timeout)
        } catch DevToolsError.timeout {
            throw NavigationError(url: url, reason: "no answer within \(timeout.inSeconds) s (the server accepted the connection, or is still resolving, but sent no response)")
        }
        if let errorText = reply["errorText"]?.stringValue, !errorText.isEmpty {
            throw NavigationError(url: url, reason: errorText)
        }
        // No loaderId: a same-document navigation, already complete.
        guard let loaderId = reply["loaderId"]?.stringValue else { return }
        let frameId = reply["frameId"]?.stringValue
        let started = DocumentsStarted(loaderId)
        let loaded = try await firstEvent(in: lifecycle, timeout: deadline.remaining, awaiting: "the load event of \(url)") { event in
            guard frameId == nil || event.params["frameId"]?.stringValue == frameId,
                let name = event.params["name"]?.stringValue, let loader = event.params["loaderId"]?.stringValue
            else { return false }
            if name == "init" { started.add(loader) }
            return name == "load" && started.contains(loader)
        }
        guard loaded else { throw DevToolsError.disconnected(reason: "the page closed while loading \(url)") }
    }

    /// Evaluates in the main frame with `returnByValue`; a thrown JavaScript exception throws
    /// `JavaScriptError` with its message. `undefined` comes back as null. `userGesture` counts the
    /// call as a user activation (needed by clipboard or fullscreen APIs); it is off by default
    /// because it costs the browser an extra hop and changes what the page may do (autoplay, dialogs).
    public func evaluate(_ expression: String, awaitPromise: Bool = true, userGesture: Bool = false) async throws -> JSON {
        var params: [String: JSON] = ["expression": .string(expression), "returnByValue": true, "awaitPromise": .bool(awaitPromise)]
        if userGesture { params["userGesture"] = true }
        let reply = try await session.send("Runtime.evaluate", .object(params))
        if let details = reply["exceptionDetails"] {
            let message = details["exception"]?["description"]?.stringValue ?? details["text"]?.stringValue ?? "exception"
            throw JavaScriptError(message: message)
        }
        return reply["result"]?["value"] ?? .null
    }

    /// A PNG of the viewport, or of the whole page.
    public func screenshot(fullPage: Bool = false) async throws -> Data {
        var params: [String: JSON] = ["format": "png"]
        if fullPage {
            let metrics = try await session.send("Page.getLayoutMetrics")
            let size = metrics["cssContentSize"] ?? metrics["contentSize"] ?? .null
            params["clip"] = [
                "x": 0, "y": 0, "scale": 1,
                "width": .number(size["width"]?.doubleValue ?? 800), "height": .number(size["height"]?.doubleValue ?? 600),
            ]
            params["captureBeyondViewport"] = true
        }
        let reply = try await session.send("Page.captureScreenshot", .object(params))
        guard let encoded = reply["data"]?.stringValue, let data = Data(base64Encoded: encoded) else {
            throw DevToolsError.invalidMessage("Page.captureScreenshot returned no image")
        }
        return data
    }

    /// The serialized DOM, doctype included.
    public func content() async throws -> String {
        let html = try await evaluate(
            "(document.doctype ? new XMLSerializer().serializeToString(document.doctype) + '\\n' : '') + document.documentElement.outerHTML")
        return html.stringValue ?? ""
    }

    /// Whether a frame belongs to this page's browser context: the browser reports every context's
    /// downloads, naming only the frame that started one (this page's, a popup's, an iframe's). A frame
    /// that no attached page of another context holds counts as this context's.
    public func contextHoldsFrame(_ frameId: String) async -> Bool {
        let context = target.browserContextId
        if frameId == targetId { return true }
        let targets = browser.attachedTargets
        if let owner = targets.first(where: { $0.targetId == frameId }) { return owner.browserContextId == context }
        // An iframe in a page's own process: its frame is in that page's tree.
        for page in targets where page.type == "page" && page.parentSessionId == nil {
            guard let tree = try? await page.session.send("Page.getFrameTree", timeout: .seconds(5))["frameTree"] else { continue }
            if Self.tree(tree, holds: frameId) { return page.browserContextId == context }
        }
        return true
    }

    private static func tree(_ node: JSON, holds frameId: String) -> Bool {
        node["frame"]?["id"]?.stringValue == frameId || (node["childFrames"]?.arrayValue ?? []).contains { tree($0, holds: frameId) }
    }

    public func url() async throws -> String {
        let reply = try await browser.session.send("Target.getTargetInfo", ["targetId": .string(targetId)])
        return try (reply["targetInfo"] ?? [:]).requiredString("url", of: "Target.getTargetInfo")
    }

    /// Closes the page and returns once the browser has detached it (at most 5 s).
    public func close() async {
        let detached = browser.session.events(["Target.detachedFromTarget"])
        guard (try? await browser.session.send("Target.closeTarget", ["targetId": .string(targetId)])) != nil else { return }
        let targetId = targetId
        _ = try? await firstEvent(in: detached, timeout: .seconds(5), awaiting: "the page \(targetId) to close") { event in
            event.params["targetId"]?.stringValue == targetId
        }
    }
}

/// The loaders of the main frame's documents that began after a navigation was issued.
private final class DocumentsStarted: Sendable {
    private let loaders: Mutex<Set<String>>

    init(_ first: String) { loaders = Mutex([first]) }
    func add(_ loader: String) { loaders.withLock { _ = $0.insert(loader) } }
    func contains(_ loader: String) -> Bool { loaders.withLock { $0.contains(loader) } }
}

/// A wait for an event that did not come in time; says what was awaited and what came instead.
public struct EventWaitTimeout: Error, Sendable, CustomStringConvertible {
    public let awaited: String
    public let seconds: Double
    /// The last non-matching events (method and `name` when present), oldest first.
    public let seen: [String]

    public var description: String {
        "timed out after \(seconds) s waiting for \(awaited); "
            + (seen.isEmpty ? "no other event arrived" : "saw instead: \(seen.joined(separator: ", "))")
    }
}

/// Waits for the first event that matches; false when the stream ended first. Throws
/// `EventWaitTimeout` naming what was awaited and what was seen.
func firstEvent(
    in stream: AsyncStream<CDPEvent>, timeout: Duration, awaiting what: String,
    where matches: @escaping @Sendable (CDPEvent) -> Bool
) async throws -> Bool {
    let seen = RecentEvents()
    return try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            for await event in stream {
                if matches(event) { return true }
                let label = event.params["name"]?.stringValue.map { "\(event.method) \($0)" } ?? event.method
                seen.add(label)
            }
            return false
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw EventWaitTimeout(awaited: what, seconds: timeout.inSeconds, seen: seen.labels)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// The last few events a wait saw, for its timeout message.
private final class RecentEvents: Sendable {
    private let recent = Mutex<[String]>([])

    func add(_ label: String) {
        recent.withLock { recent in
            recent.append(label)
            if recent.count > 8 { recent.removeFirst() }
        }
    }

    var labels: [String] { recent.withLock { $0 } }
}
