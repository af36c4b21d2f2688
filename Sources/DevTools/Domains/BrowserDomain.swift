extension CDP {
    /// The `Browser` domain (named so it does not clash with the Browser module's class).
    public enum BrowserDomain {
        public struct GetVersion: CDPCommand {
            public static let method = "Browser.getVersion"
            public struct Response: Decodable, Sendable {
                public let protocolVersion: String
                public let product: String
                public let revision: String
                public let userAgent: String
                public let jsVersion: String
            }
            public init() {}
        }

        public struct Close: CDPCommand {
            public static let method = "Browser.close"
            public typealias Response = EmptyResponse
            public init() {}
        }

        public struct SetDownloadBehavior: CDPCommand {
            public static let method = "Browser.setDownloadBehavior"
            public typealias Response = EmptyResponse
            /// deny, allow, allowAndName (files saved under their guid), default
            public var behavior: String
            public var browserContextId: String?
            public var downloadPath: String?
            public var eventsEnabled: Bool?
            public init(behavior: String, browserContextId: String? = nil, downloadPath: String? = nil, eventsEnabled: Bool? = nil) {
                self.behavior = behavior
                self.browserContextId = browserContextId
                self.downloadPath = downloadPath
                self.eventsEnabled = eventsEnabled
            }
        }

        public struct DownloadWillBegin: CDPEventPayload {
            public static let method = "Browser.downloadWillBegin"
            public let frameId: String
            public let guid: String
            public let url: String
            public let suggestedFilename: String
        }

        public struct DownloadProgress: CDPEventPayload {
            public static let method = "Browser.downloadProgress"
            public let guid: String
            public let totalBytes: Double
            public let receivedBytes: Double
            /// inProgress, completed, canceled
            public let state: String
        }
    }
}
