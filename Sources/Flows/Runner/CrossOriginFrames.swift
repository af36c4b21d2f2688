import DevTools
import Foundation
import JSONCore
import Synchronization

/// Sessions of out-of-process (cross-origin) iframes, as the browser auto-attaches them to the page,
/// so a `frame` locator can run the engine inside such a frame.
final class FrameSessions: Sendable {
    private let sessions = Mutex<[String: String]>([:])
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    func start(connection: DevToolsConnection) {
        let events = connection.allEvents(methods: ["Target.attachedToTarget", "Target.detachedFromTarget"])
        task.withLock {
            $0 = Task { [self] in
                for await event in events {
                    if event.method == "Target.attachedToTarget", event.params["targetInfo"]?["type"]?.stringValue == "iframe",
                        let targetId = event.params["targetInfo"]?["targetId"]?.stringValue, let sessionId = event.params["sessionId"]?.stringValue
                    {
                        sessions.withLock { $0[targetId] = sessionId }
                    } else if event.method == "Target.detachedFromTarget", let sessionId = event.params["sessionId"]?.stringValue {
                        sessions.withLock { $0 = $0.filter { $0.value != sessionId } }
                    }
                }
            }
        }
    }

    func stop() { task.withLock { $0?.cancel() } }

    func session(forFrame frameId: String) -> String? { sessions.withLock { $0[frameId] } }
}

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
        // An out-of-process frame has its own session; one in the page's process is reached by frame id.
        let sessionId = frameSessions.session(forFrame: frameId)
        let key = sessionId ?? "frame:\(frameId)"
        let frameEngine: LocatorEngine
        if let known = frameEngines[key] {
            frameEngine = known
        } else if let sessionId {
            frameEngine = LocatorEngine(session: CDPSession(connection: page.session.connection, id: sessionId), testIdAttribute: options.testIdAttribute)
            frameEngines[key] = frameEngine
        } else {
            frameEngine = LocatorEngine(session: page.session, testIdAttribute: options.testIdAttribute, frameId: frameId)
            frameEngines[key] = frameEngine
        }
        query.frame = nil
        return LocatorRoute(
            engine: frameEngine, locator: Locator.single(query).engineJSON, offsetX: target["x"]?.doubleValue ?? 0,
            offsetY: target["y"]?.doubleValue ?? 0, frame: frameLocator)
    }
}
