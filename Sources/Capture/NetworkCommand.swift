/// Work the assembler asks the recorder to do against the browser; the results come back through
/// `NetworkAssembler.responseBodyArrived`, `postDataArrived` and `downloadSaved`. (A stream's bytes
/// are asked for by the browser's network, whose tracker splits them.) Kept out of the event path so a slow reply never holds up event processing.
public enum NetworkCommand: Sendable, Equatable {
    case fetchResponseBody(exchangeID: String, sessionId: String?, requestId: String, mimeType: String?)
    case fetchRequestPostData(exchangeID: String, sessionId: String?, requestId: String, contentType: String?)
    case saveDownload(guid: String, suggestedFilename: String)
}

/// The target a DevTools session belongs to: exchanges carry its type (page, iframe, worker...).
public struct SessionTarget: Sendable, Hashable {
    public var type: String
    public var targetId: String
    public var url: String
    /// The browser context the target lives in: its exchanges take the steps of that context's lane.
    public var browserContextId: String?
    public init(type: String, targetId: String, url: String, browserContextId: String? = nil) {
        self.type = type
        self.targetId = targetId
        self.url = url
        self.browserContextId = browserContextId
    }
}
