import JSONCore

/// The frames of one target session and the execution contexts alive in each, kept from the
/// session's `Page.frame*` and `Runtime.executionContext*` events, with no I/O: events go in, the
/// state and what to do next come out, so replayed event sequences test it. `FrameContexts` drives it.
struct FrameContextsCore: Sendable {
    struct Frame: Sendable, Equatable {
        let id: String
        var parentId: String?
        var url: String?
        var loaderId: String?
    }

    struct Context: Sendable, Equatable {
        let id: Int
        let frameId: String
        /// The world's name: empty for the main world.
        let world: String
        let isDefault: Bool
        /// Order of creation: a newer document's context has a higher one.
        let serial: Int
    }

    /// What a caller that wants a world in a frame does next.
    enum Resolution: Sendable, Equatable {
        case ready(contextId: Int)
        /// Send `Page.createIsolatedWorld` for this frame, then report back with `creationEnded`.
        case create(frameId: String)
        /// A creation is under way, or the frame has no document yet: wait for the next change.
        case wait
        case frameGone(frameId: String)
    }

    private struct WorldKey: Hashable {
        let frameId: String
        let world: String
    }

    /// The target's own frame: a page's (or an OOPIF's) frame id is its target id.
    let mainFrameId: String
    private(set) var frames: [String: Frame]
    private(set) var contexts: [Int: Context] = [:]
    /// Frames that left this session: removed from the page, or swapped into a process of their own.
    private(set) var goneFrames: Set<String> = []
    private var creating: Set<WorldKey> = []
    /// Counts the changes that can give a waiter its answer.
    private(set) var version = 0

    init(mainFrameId: String) {
        self.mainFrameId = mainFrameId
        frames = [mainFrameId: Frame(id: mainFrameId)]
    }

    /// The events it reads; the driver subscribes to exactly these.
    static let events: Set<String> = [
        "Page.frameAttached", "Page.frameNavigated", "Page.frameDetached",
        "Runtime.executionContextCreated", "Runtime.executionContextDestroyed", "Runtime.executionContextsCleared",
    ]

    mutating func apply(_ method: String, _ params: JSON) {
        switch method {
        case "Page.frameAttached":
            guard let id = params["frameId"]?.stringValue else { return }
            goneFrames.remove(id)
            frames[id, default: Frame(id: id)].parentId = params["parentFrameId"]?.stringValue
        case "Page.frameNavigated":
            let frame = params["frame"] ?? .null
            guard let id = frame["id"]?.stringValue else { return }
            goneFrames.remove(id)
            frames[id] = Frame(id: id, parentId: frame["parentId"]?.stringValue, url: frame["url"]?.stringValue, loaderId: frame["loaderId"]?.stringValue)
        case "Page.frameDetached":
            guard let id = params["frameId"]?.stringValue else { return }
            detach(id)
        case "Runtime.executionContextCreated":
            let description = params["context"] ?? .null
            guard let id = description["id"]?.intValue, let frameId = description["auxData"]?["frameId"]?.stringValue else { return }
            let isDefault = description["auxData"]?["isDefault"]?.boolValue ?? false
            let world = isDefault ? "" : description["name"]?.stringValue ?? ""
            contexts[id] = Context(id: id, frameId: frameId, world: world, isDefault: isDefault, serial: version)
            if frames[frameId] == nil, !goneFrames.contains(frameId) { frames[frameId] = Frame(id: frameId) }
        case "Runtime.executionContextDestroyed":
            guard let id = params["executionContextId"]?.intValue else { return }
            contexts[id] = nil
        case "Runtime.executionContextsCleared":
            contexts.removeAll()
        default:
            return
        }
        version += 1
    }

    /// Frames the session had before its events were followed (`Page.getFrameTree`'s `frameTree`).
    /// Frames already known keep what their events said, which is as new or newer.
    mutating func seed(frameTree node: JSON, parentId: String? = nil) {
        guard let id = node["frame"]?["id"]?.stringValue else { return }
        if frames[id]?.url == nil, !goneFrames.contains(id) {
            frames[id] = Frame(id: id, parentId: parentId, url: node["frame"]?["url"]?.stringValue, loaderId: node["frame"]?["loaderId"]?.stringValue)
        }
        for child in node["childFrames"]?.arrayValue ?? [] { seed(frameTree: child, parentId: id) }
        version += 1
    }

    /// The live context of `world` (nil: the main world) in `frame` (nil: the main frame).
    func context(frame: String? = nil, world: String?) -> Int? {
        let frameId = frame ?? mainFrameId
        // The newest when a document briefly has two (the old one's destruction not yet reported).
        return contexts.values.filter { context in
            context.frameId == frameId && (world.map { !context.isDefault && context.world == $0 } ?? context.isDefault)
        }.max { $0.serial < $1.serial }?.id
    }

    func isAlive(_ contextId: Int) -> Bool { contexts[contextId] != nil }

    func knows(frame frameId: String) -> Bool { frames[frameId] != nil }

    /// Children first seen under `frameId`, in no particular order.
    func children(of frameId: String) -> [Frame] { frames.values.filter { $0.parentId == frameId } }

    /// The next step towards a live context of the isolated `world` in `frame` (nil: the main frame).
    /// Returns `.create` once per attempt: until `creationEnded`, later callers are told to wait.
    mutating func resolve(world: String, frame: String? = nil) -> Resolution {
        let frameId = frame ?? mainFrameId
        if let id = context(frame: frameId, world: world) { return .ready(contextId: id) }
        if goneFrames.contains(frameId) || (frameId != mainFrameId && frames[frameId] == nil) { return .frameGone(frameId: frameId) }
        let key = WorldKey(frameId: frameId, world: world)
        if creating.contains(key) { return .wait }
        creating.insert(key)
        return .create(frameId: frameId)
    }

    /// The `Page.createIsolatedWorld` that `resolve` asked for came back (either way).
    mutating func creationEnded(world: String, frame: String? = nil) {
        creating.remove(WorldKey(frameId: frame ?? mainFrameId, world: world))
        version += 1
    }

    private mutating func detach(_ frameId: String) {
        var removed = [frameId]
        var index = 0
        while index < removed.count {
            removed += frames.values.filter { $0.parentId == removed[index] }.map(\.id)
            index += 1
        }
        for id in removed where id != mainFrameId {
            frames[id] = nil
            goneFrames.insert(id)
        }
        let dropped = Set(removed)
        contexts = contexts.filter { !dropped.contains($0.value.frameId) }
    }
}
