import DevTools

/// A target the browser attached to (page, popup, OOPIF iframe, worker), paused until every setup
/// hook has run.
public struct AttachedTarget: Sendable {
    public let session: CDPSession
    public let targetId: String
    /// page, iframe, worker, shared_worker, service_worker, other
    public let type: String
    public let url: String
    public let browserContextId: String?
    /// The session that attached it: nil for top-level pages, the page's session for its iframes and workers.
    public let parentSessionId: String?
}

public typealias TargetSetup = @Sendable (AttachedTarget) async throws -> Void
