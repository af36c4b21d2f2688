import JSONCore

extension CDP {
    public enum Network {
        public struct Request: Codable, Sendable, Equatable {
            public let url: String
            public let urlFragment: String?
            public let method: String
            public let headers: [String: String]
            public let postData: String?
            public let hasPostData: Bool?
        }

        public struct Response: Codable, Sendable, Equatable {
            public let url: String
            public let status: Int
            public let statusText: String
            public let headers: [String: String]
            public let mimeType: String
            public let remoteIPAddress: String?
            public let remotePort: Int?
            public let fromDiskCache: Bool?
            public let fromServiceWorker: Bool?
            public let encodedDataLength: Double?
            public let `protocol`: String?
        }

        public struct Enable: CDPCommand {
            public static let method = "Network.enable"
            public typealias Response = EmptyResponse
            public var maxTotalBufferSize: Int?
            public var maxResourceBufferSize: Int?
            public var maxPostDataSize: Int?
            public init(maxTotalBufferSize: Int? = nil, maxResourceBufferSize: Int? = nil, maxPostDataSize: Int? = nil) {
                self.maxTotalBufferSize = maxTotalBufferSize
                self.maxResourceBufferSize = maxResourceBufferSize
                self.maxPostDataSize = maxPostDataSize
            }
        }

        public struct Disable: CDPCommand {
            public static let method = "Network.disable"
            public typealias Response = EmptyResponse
            public init() {}
        }

        public struct GetResponseBody: CDPCommand {
            public static let method = "Network.getResponseBody"
            public struct Response: Decodable, Sendable {
                public let body: String
                public let base64Encoded: Bool
            }
            public var requestId: String
            public init(requestId: String) { self.requestId = requestId }
        }

        public struct GetRequestPostData: CDPCommand {
            public static let method = "Network.getRequestPostData"
            public struct Response: Decodable, Sendable { public let postData: String }
            public var requestId: String
            public init(requestId: String) { self.requestId = requestId }
        }

        /// Makes `dataReceived` carry the bytes of a response still streaming (Chromium 126+).
        public struct StreamResourceContent: CDPCommand {
            public static let method = "Network.streamResourceContent"
            public struct Response: Decodable, Sendable { public let bufferedData: String }
            public var requestId: String
            public init(requestId: String) { self.requestId = requestId }
        }

        public struct SetExtraHTTPHeaders: CDPCommand {
            public static let method = "Network.setExtraHTTPHeaders"
            public typealias Response = EmptyResponse
            public var headers: [String: String]
            public init(headers: [String: String]) { self.headers = headers }
        }

        public struct SetCacheDisabled: CDPCommand {
            public static let method = "Network.setCacheDisabled"
            public typealias Response = EmptyResponse
            public var cacheDisabled: Bool
            public init(cacheDisabled: Bool) { self.cacheDisabled = cacheDisabled }
        }

        public struct RequestWillBeSent: CDPEventPayload {
            public static let method = "Network.requestWillBeSent"
            public let requestId: String
            public let loaderId: String
            public let documentURL: String
            public let request: Request
            public let timestamp: Double
            public let wallTime: Double
            public let initiator: JSON
            public let redirectResponse: Response?
            public let type: String?
            public let frameId: String?
        }

        public struct ResponseReceived: CDPEventPayload {
            public static let method = "Network.responseReceived"
            public let requestId: String
            public let loaderId: String
            public let timestamp: Double
            public let type: String
            public let response: Response
            public let frameId: String?
        }

        public struct LoadingFinished: CDPEventPayload {
            public static let method = "Network.loadingFinished"
            public let requestId: String
            public let timestamp: Double
            public let encodedDataLength: Double
        }

        public struct LoadingFailed: CDPEventPayload {
            public static let method = "Network.loadingFailed"
            public let requestId: String
            public let timestamp: Double
            public let type: String
            public let errorText: String
            public let canceled: Bool?
        }
    }
}
