import JSONCore

extension CDP {
    public enum Page {
        public struct Frame: Codable, Sendable, Equatable {
            public let id: String
            public let parentId: String?
            public let loaderId: String
            public let name: String?
            public let url: String
            public let securityOrigin: String?
            public let mimeType: String?
        }

        public struct FrameTree: Codable, Sendable, Equatable {
            public let frame: Frame
            public let childFrames: [FrameTree]?
        }

        public struct Viewport: Codable, Sendable, Equatable {
            public var x: Double
            public var y: Double
            public var width: Double
            public var height: Double
            public var scale: Double
            public init(x: Double, y: Double, width: Double, height: Double, scale: Double = 1) {
                self.x = x
                self.y = y
                self.width = width
                self.height = height
                self.scale = scale
            }
        }

        public struct Enable: CDPCommand {
            public static let method = "Page.enable"
            public typealias Response = EmptyResponse
            public init() {}
        }

        public struct Navigate: CDPCommand {
            public static let method = "Page.navigate"
            public struct Response: Decodable, Sendable {
                public let frameId: String
                /// Absent for a same-document navigation.
                public let loaderId: String?
                public let errorText: String?
            }
            public var url: String
            public var referrer: String?
            public var transitionType: String?
            public var frameId: String?
            public init(url: String, referrer: String? = nil, transitionType: String? = nil, frameId: String? = nil) {
                self.url = url
                self.referrer = referrer
                self.transitionType = transitionType
                self.frameId = frameId
            }
        }

        public struct Reload: CDPCommand {
            public static let method = "Page.reload"
            public typealias Response = EmptyResponse
            public var ignoreCache: Bool?
            public init(ignoreCache: Bool? = nil) { self.ignoreCache = ignoreCache }
        }

        public struct CaptureScreenshot: CDPCommand {
            public static let method = "Page.captureScreenshot"
            /// Base64 image bytes.
            public struct Response: Decodable, Sendable { public let data: String }
            public var format: String?
            public var quality: Int?
            public var clip: Viewport?
            public var captureBeyondViewport: Bool?
            public init(format: String? = "png", quality: Int? = nil, clip: Viewport? = nil, captureBeyondViewport: Bool? = nil) {
                self.format = format
                self.quality = quality
                self.clip = clip
                self.captureBeyondViewport = captureBeyondViewport
            }
        }

        public struct GetLayoutMetrics: CDPCommand {
            public static let method = "Page.getLayoutMetrics"
            public struct Rect: Decodable, Sendable {
                public let x: Double
                public let y: Double
                public let width: Double
                public let height: Double
            }
            public struct Response: Decodable, Sendable {
                public let cssContentSize: Rect
                public let cssVisualViewport: JSON
            }
            public init() {}
        }

        public struct AddScriptToEvaluateOnNewDocument: CDPCommand {
            public static let method = "Page.addScriptToEvaluateOnNewDocument"
            public struct Response: Decodable, Sendable { public let identifier: String }
            public var source: String
            public var worldName: String?
            public var runImmediately: Bool?
            public init(source: String, worldName: String? = nil, runImmediately: Bool? = nil) {
                self.source = source
                self.worldName = worldName
                self.runImmediately = runImmediately
            }
        }

        public struct SetLifecycleEventsEnabled: CDPCommand {
            public static let method = "Page.setLifecycleEventsEnabled"
            public typealias Response = EmptyResponse
            public var enabled: Bool
            public init(enabled: Bool) { self.enabled = enabled }
        }

        public struct GetFrameTree: CDPCommand {
            public static let method = "Page.getFrameTree"
            public struct Response: Decodable, Sendable { public let frameTree: FrameTree }
            public init() {}
        }

        public struct HandleJavaScriptDialog: CDPCommand {
            public static let method = "Page.handleJavaScriptDialog"
            public typealias Response = EmptyResponse
            public var accept: Bool
            public var promptText: String?
            public init(accept: Bool, promptText: String? = nil) {
                self.accept = accept
                self.promptText = promptText
            }
        }

        public struct BringToFront: CDPCommand {
            public static let method = "Page.bringToFront"
            public typealias Response = EmptyResponse
            public init() {}
        }

        public struct LoadEventFired: CDPEventPayload {
            public static let method = "Page.loadEventFired"
            public let timestamp: Double
        }

        public struct LifecycleEvent: CDPEventPayload {
            public static let method = "Page.lifecycleEvent"
            public let frameId: String
            public let loaderId: String
            public let name: String
            public let timestamp: Double
        }

        public struct FrameNavigated: CDPEventPayload {
            public static let method = "Page.frameNavigated"
            public let frame: Frame
            public let type: String?
        }

        public struct JavascriptDialogOpening: CDPEventPayload {
            public static let method = "Page.javascriptDialogOpening"
            public let url: String
            public let message: String
            public let type: String
            public let defaultPrompt: String?
        }
    }
}
