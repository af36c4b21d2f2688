import JSONCore

extension CDP {
    public enum Target {
        public struct TargetInfo: Codable, Sendable, Equatable {
            public let targetId: String
            public let type: String
            public let title: String
            public let url: String
            public let attached: Bool
            public let openerId: String?
            public let browserContextId: String?
        }

        public struct CreateTarget: CDPCommand {
            public static let method = "Target.createTarget"
            public struct Response: Decodable, Sendable { public let targetId: String }
            public var url: String
            public var browserContextId: String?
            public var newWindow: Bool?
            public var background: Bool?
            public init(url: String = "about:blank", browserContextId: String? = nil, newWindow: Bool? = nil, background: Bool? = nil) {
                self.url = url
                self.browserContextId = browserContextId
                self.newWindow = newWindow
                self.background = background
            }
        }

        public struct CloseTarget: CDPCommand {
            public static let method = "Target.closeTarget"
            public typealias Response = EmptyResponse
            public var targetId: String
            public init(targetId: String) { self.targetId = targetId }
        }

        public struct CreateBrowserContext: CDPCommand {
            public static let method = "Target.createBrowserContext"
            public struct Response: Decodable, Sendable { public let browserContextId: String }
            public var disposeOnDetach: Bool?
            public var proxyServer: String?
            public var proxyBypassList: String?
            public init(disposeOnDetach: Bool? = true, proxyServer: String? = nil, proxyBypassList: String? = nil) {
                self.disposeOnDetach = disposeOnDetach
                self.proxyServer = proxyServer
                self.proxyBypassList = proxyBypassList
            }
        }

        public struct DisposeBrowserContext: CDPCommand {
            public static let method = "Target.disposeBrowserContext"
            public typealias Response = EmptyResponse
            public var browserContextId: String
            public init(browserContextId: String) { self.browserContextId = browserContextId }
        }

        public struct GetTargets: CDPCommand {
            public static let method = "Target.getTargets"
            public struct Response: Decodable, Sendable { public let targetInfos: [TargetInfo] }
            public init() {}
        }

        public struct GetTargetInfo: CDPCommand {
            public static let method = "Target.getTargetInfo"
            public struct Response: Decodable, Sendable { public let targetInfo: TargetInfo }
            public var targetId: String?
            public init(targetId: String? = nil) { self.targetId = targetId }
        }

        public struct SetAutoAttach: CDPCommand {
            public static let method = "Target.setAutoAttach"
            public typealias Response = EmptyResponse
            public var autoAttach: Bool
            public var waitForDebuggerOnStart: Bool
            public var flatten: Bool?
            public init(autoAttach: Bool = true, waitForDebuggerOnStart: Bool = true, flatten: Bool? = true) {
                self.autoAttach = autoAttach
                self.waitForDebuggerOnStart = waitForDebuggerOnStart
                self.flatten = flatten
            }
        }

        public struct AttachToTarget: CDPCommand {
            public static let method = "Target.attachToTarget"
            public struct Response: Decodable, Sendable { public let sessionId: String }
            public var targetId: String
            public var flatten: Bool?
            public init(targetId: String, flatten: Bool? = true) {
                self.targetId = targetId
                self.flatten = flatten
            }
        }

        public struct DetachFromTarget: CDPCommand {
            public static let method = "Target.detachFromTarget"
            public typealias Response = EmptyResponse
            public var sessionId: String?
            public init(sessionId: String? = nil) { self.sessionId = sessionId }
        }

        public struct AttachedToTarget: CDPEventPayload {
            public static let method = "Target.attachedToTarget"
            public let sessionId: String
            public let targetInfo: TargetInfo
            public let waitingForDebugger: Bool
        }

        public struct DetachedFromTarget: CDPEventPayload {
            public static let method = "Target.detachedFromTarget"
            public let sessionId: String
            public let targetId: String?
        }

        public struct TargetCrashed: CDPEventPayload {
            public static let method = "Target.targetCrashed"
            public let targetId: String
            public let status: String
            public let errorCode: Int
        }
    }
}
