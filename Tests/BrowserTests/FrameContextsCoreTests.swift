@testable import Browser
import JSONCore
import Testing

/// The frame and context state replayed from event sequences as Chromium sends them.
@Suite("Frame and execution-context state")
struct FrameContextsCoreTests {
    static let main = "MAIN"
    static let world = "discover-locators"

    static func created(_ id: Int, frame: String = main, world: String? = nil) -> (String, JSON) {
        let isDefault = world == nil
        return ("Runtime.executionContextCreated", [
            "context": [
                "id": .integer(id), "name": .string(world ?? ""), "origin": "http://a.test",
                "auxData": ["frameId": .string(frame), "isDefault": .bool(isDefault), "type": .string(isDefault ? "default" : "isolated")],
            ],
        ])
    }

    static func destroyed(_ id: Int) -> (String, JSON) { ("Runtime.executionContextDestroyed", ["executionContextId": .integer(id)]) }
    static let cleared: (String, JSON) = ("Runtime.executionContextsCleared", [:])
    static func attached(_ frame: String, parent: String = main) -> (String, JSON) {
        ("Page.frameAttached", ["frameId": .string(frame), "parentFrameId": .string(parent)])
    }
    static func navigated(_ frame: String, parent: String? = nil, url: String) -> (String, JSON) {
        var description: [String: JSON] = ["id": .string(frame), "loaderId": "L", "url": .string(url)]
        if let parent { description["parentId"] = .string(parent) }
        return ("Page.frameNavigated", ["frame": .object(description), "type": "Navigation"])
    }
    static func detached(_ frame: String, reason: String = "remove") -> (String, JSON) {
        ("Page.frameDetached", ["frameId": .string(frame), "reason": .string(reason)])
    }

    static func replay(_ events: [(String, JSON)]) -> FrameContextsCore {
        var core = FrameContextsCore(mainFrameId: main)
        for (method, params) in events { core.apply(method, params) }
        return core
    }

    @Test("a main-frame navigation clears every context; the world has to be created in the new document")
    func navigationClearsContexts() {
        var core = Self.replay([Self.created(1), Self.created(2, world: Self.world)])
        #expect(core.context(world: nil) == 1)
        #expect(core.resolve(world: Self.world) == .ready(contextId: 2))
        for event in [Self.cleared, Self.navigated(Self.main, url: "http://a.test/next"), Self.created(3)] { core.apply(event.0, event.1) }
        #expect(!core.isAlive(1) && !core.isAlive(2))
        #expect(core.context(world: nil) == 3)
        #expect(core.context(world: Self.world) == nil)
        #expect(core.resolve(world: Self.world) == .create(frameId: Self.main))
    }

    @Test("an iframe's main world and isolated world are its own; detaching it drops them and its children")
    func iframeContexts() {
        var core = Self.replay([
            Self.created(1), Self.attached("CHILD"), Self.navigated("CHILD", parent: Self.main, url: "http://a.test/inner"),
            Self.created(7, frame: "CHILD"), Self.created(8, frame: "CHILD", world: Self.world),
            Self.attached("GRANDCHILD", parent: "CHILD"), Self.created(9, frame: "GRANDCHILD"),
        ])
        #expect(core.context(frame: "CHILD", world: nil) == 7)
        #expect(core.resolve(world: Self.world, frame: "CHILD") == .ready(contextId: 8))
        #expect(core.context(world: Self.world) == nil, "the main frame's world is not the iframe's")
        #expect(core.children(of: Self.main).map(\.id) == ["CHILD"])
        core.apply(Self.detached("CHILD").0, Self.detached("CHILD").1)
        #expect(!core.isAlive(7) && !core.isAlive(8) && !core.isAlive(9))
        #expect(core.isAlive(1))
        #expect(!core.knows(frame: "GRANDCHILD"))
        #expect(core.resolve(world: Self.world, frame: "CHILD") == .frameGone(frameId: "CHILD"))
    }

    @Test("a frame swapped into a process of its own leaves the session, and comes back if attached again")
    func swappedFrame() {
        var core = Self.replay([Self.attached("CHILD"), Self.created(4, frame: "CHILD"), Self.detached("CHILD", reason: "swap")])
        #expect(!core.knows(frame: "CHILD"))
        #expect(core.resolve(world: Self.world, frame: "CHILD") == .frameGone(frameId: "CHILD"))
        core.apply(Self.attached("CHILD").0, Self.attached("CHILD").1)
        #expect(core.resolve(world: Self.world, frame: "CHILD") == .create(frameId: "CHILD"))
    }

    @Test("a destroyed world's id stays dead; the world created after it is the one handed out")
    func destroyedThenCreated() {
        var core = Self.replay([Self.created(1), Self.created(2, world: Self.world), Self.destroyed(2), Self.created(5, world: Self.world)])
        #expect(!core.isAlive(2))
        #expect(core.isAlive(5))
        #expect(core.resolve(world: Self.world) == .ready(contextId: 5))
        // The new document's world reported before the old one's destruction: the newer one wins.
        core.apply(Self.created(3, world: Self.world).0, Self.created(3, world: Self.world).1)
        #expect(core.context(world: Self.world) == 3)
        core.apply(Self.destroyed(5).0, Self.destroyed(5).1)
        #expect(core.context(world: Self.world) == 3)
    }

    @Test("one creation at a time per frame and world: later callers wait until it ends")
    func oneCreationAtATime() {
        var core = Self.replay([Self.created(1)])
        #expect(core.resolve(world: Self.world) == .create(frameId: Self.main))
        #expect(core.resolve(world: Self.world) == .wait)
        #expect(core.resolve(world: "another-world") == .create(frameId: Self.main))
        let before = core.version
        core.creationEnded(world: Self.world)
        #expect(core.version > before, "waiters must hear that the creation ended")
        #expect(core.resolve(world: Self.world) == .create(frameId: Self.main), "a failed creation is tried again")
        core.apply(Self.created(2, world: Self.world).0, Self.created(2, world: Self.world).1)
        core.creationEnded(world: Self.world)
        #expect(core.resolve(world: Self.world) == .ready(contextId: 2))
    }

    @Test("the frame tree seeds frames the events never named, without undoing what events said")
    func seededTree() {
        var core = Self.replay([Self.navigated("CHILD", parent: Self.main, url: "http://a.test/new"), Self.detached("GONE")])
        core.seed(frameTree: [
            "frame": ["id": .string(Self.main), "url": "http://a.test/"],
            "childFrames": [
                ["frame": ["id": "CHILD", "parentId": .string(Self.main), "url": "http://a.test/old"]],
                ["frame": ["id": "OTHER", "parentId": .string(Self.main), "url": "http://a.test/other"]],
                ["frame": ["id": "GONE", "parentId": .string(Self.main), "url": "http://a.test/gone"]],
            ],
        ])
        #expect(core.frames["CHILD"]?.url == "http://a.test/new")
        #expect(core.frames["OTHER"]?.parentId == Self.main)
        #expect(!core.knows(frame: "GONE"))
    }
}
