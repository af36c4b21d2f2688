import DevTools
import Foundation
import JSONCore

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
    let browser: Browser

    init(target: AttachedTarget, browser: Browser) {
        self.session = target.session
        self.targetId = target.targetId
        self.target = target
        self.browser = browser
    }

    /// Navigates and waits for the main frame's load event of this navigation.
    public func goto(_ url: String, timeout: Duration = .seconds(30)) async throws {
        let lifecycle = session.events(["Page.lifecycleEvent"])
        let reply = try await session.send("Page.navigate", ["url": .string(url)], timeout: timeout)
        if let errorText = reply["errorText"]?.stringValue, !errorText.isEmpty {
            throw NavigationError(url: url, reason: errorText)
        }
        // No loaderId: a same-document navigation, already complete.
        guard let loaderId = reply["loaderId"]?.stringValue else { return }
        let frameId = reply["frameId"]?.stringValue
        let loaded = try await firstEvent(in: lifecycle, timeout: timeout, awaiting: "the load event of \(url)") { event in
            event.params["name"]?.stringValue == "load" && event.params["loaderId"]?.stringValue == loaderId
                && (frameId == nil || event.params["frameId"]?.stringValue == frameId)
        }
        guard loaded else { throw DevToolsError.disconnected(reason: "the page closed while loading \(url)") }
    }

    /// Evaluates in the main frame with `returnByValue`; a thrown JavaScript exception throws
    /// `JavaScriptError` with its message. `undefined` comes back as null.
    public func evaluate(_ expression: String, awaitPromise: Bool = true) async throws -> JSON {
        let reply = try await session.send(
            "Runtime.evaluate",
            ["expression": .string(expression), "returnByValue": true, "awaitPromise": .bool(awaitPromise), "userGesture": true])
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

    public func url() async throws -> String {
        let reply = try await browser.session.send("Target.getTargetInfo", ["targetId": .string(targetId)])
        return reply["targetInfo"]?["url"]?.stringValue ?? ""
    }

    public func close() async {
        _ = try? await browser.session.send("Target.closeTarget", ["targetId": .string(targetId)])
    }
}

/// Waits for the first event that matches; false when the stream ended first. Throws
/// `DevToolsError.timeout` naming what was awaited.
func firstEvent(
    in stream: AsyncStream<CDPEvent>, timeout: Duration, awaiting what: String,
    where matches: @escaping @Sendable (CDPEvent) -> Bool
) async throws -> Bool {
    try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            for await event in stream where matches(event) { return true }
            return false
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw DevToolsError.timeout(method: what, seconds: timeout.timeInterval)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
