import DevTools
import Foundation
import JSONCore

/// Which engine a locator runs in, and where that engine's viewport sits in the page.
struct LocatorRoute {
    let engine: LocatorEngine
    let locator: JSON
    let offsetX: Double
    let offsetY: Double
    /// The frame locator of a cross-origin frame, for the hit test in the page around it.
    let frame: Locator?
}

extension FlowRunner {
    /// Same-origin frames (and no frame) run in the page's engine, which reaches into them; a
    /// cross-origin frame runs the locator, without its `frame`, in an engine inside that frame.
    func route(_ locator: Locator) async throws -> LocatorRoute {
        let direct = LocatorRoute(engine: engine, locator: locator.engineJSON, offsetX: 0, offsetY: 0, frame: nil)
        guard case .single(var query) = locator, let frameLocator = query.frame else { return direct }
        let target = try await engine.call(.frameTarget, frameLocator.engineJSON)
        guard target["status"]?.stringValue == "cross-origin" else { return direct }
        let handle = try await engine.callForObject(.resolveElement, frameLocator.engineJSON)
        defer { Task { [engine] in await engine.release(handle) } }
        let node = try await page.session.send("DOM.describeNode", ["objectId": .string(handle)])
        guard let frameId = node["node"]?["frameId"]?.stringValue else {
            throw StepError(message: "\(target["description"]?.stringValue ?? "the frame") has no frame yet")
        }
        // An out-of-process frame is its own target's main frame; one in the page's process is reached by frame id.
        let contexts = try await page.frameContexts(forFrame: frameId, timeout: LocatorEngine.documentWait)
        let inPageProcess = contexts.session.id == page.session.id
        let key = inPageProcess ? "frame:\(frameId)" : contexts.session.id ?? frameId
        let frameEngine = frameEngines[key] ?? LocatorEngine(contexts: contexts, testIdAttribute: options.testIdAttribute, frameId: inPageProcess ? frameId : nil)
        frameEngines[key] = frameEngine
        query.frame = nil
        return LocatorRoute(
            engine: frameEngine, locator: Locator.single(query).engineJSON, offsetX: target["x"]?.doubleValue ?? 0,
            offsetY: target["y"]?.doubleValue ?? 0, frame: frameLocator)
    }
}
