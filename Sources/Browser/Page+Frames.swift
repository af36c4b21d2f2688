import Durations

extension Page {
    /// This page's frames and execution contexts, followed from first use.
    public var frameContexts: FrameContexts { browser.frameContexts(of: target) }

    /// A live context of the isolated world `world` in `frame` (nil: the main frame), waiting up to
    /// `timeout` for the next document while the frame navigates. See `FrameContexts.isolatedContext`.
    public func isolatedContext(frame: String? = nil, world: String, timeout: Duration = .seconds(10)) async throws -> Int {
        try await frameContexts.isolatedContext(frame: frame, world: world, timeout: timeout)
    }

    /// The contexts a frame of this page lives in: the page's own for a frame in the page's process,
    /// the frame's target's for an out-of-process iframe. A frame the page no longer has is waited
    /// for, up to `timeout`, as the OOPIF target it has become (attached and set up).
    public func frameContexts(forFrame frameId: String, timeout: Duration) async throws -> FrameContexts {
        if frameId == targetId { return frameContexts }
        if let target = browser.attachedTargets.first(where: { $0.type == "iframe" && $0.targetId == frameId }) {
            return browser.frameContexts(of: target)
        }
        try await frameContexts.activate()
        if frameContexts.knows(frame: frameId) { return frameContexts }
        return browser.frameContexts(of: try await browser.tracker.waitUntilReady(frameId, timeout: timeout))
    }
}
