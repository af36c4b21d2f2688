extension CDP {
    public enum Fetch {
        public struct RequestPattern: Codable, Sendable, Equatable {
            public var urlPattern: String?
            public var resourceType: String?
            /// Request or Response
            public var requestStage: String?
            public init(urlPattern: String? = "*", resourceType: String? = nil, requestStage: String? = nil) {
                self.urlPattern = urlPattern
                self.resourceType = resourceType
                self.requestStage = requestStage
            }
        }

        public struct HeaderEntry: Codable, Sendable, Equatable {
            public var name: String
            public var value: String
            public init(name: String, value: String) {
                self.name = name
                self.value = value
            }
        }

        public struct Enable: CDPCommand {
            public static let method = "Fetch.enable"
            public typealias Response = EmptyResponse
            public var patterns: [RequestPattern]?
            public var handleAuthRequests: Bool?
            public init(patterns: [RequestPattern]? = nil, handleAuthRequests: Bool? = nil) {
                self.patterns = patterns
                self.handleAuthRequests = handleAuthRequests
            }
        }

        public struct Disable: CDPCommand {
            public static let method = "Fetch.disable"
            public typealias Response = EmptyResponse
            public init() {}
        }

        public struct ContinueRequest: CDPCommand {
            public static let method = "Fetch.continueRequest"
            public typealias Response = EmptyResponse
            public var requestId: String
            public var url: String?
            public var method: String?
            /// Base64.
            public var postData: String?
            public var headers: [HeaderEntry]?
            public init(requestId: String, url: String? = nil, method: String? = nil, postData: String? = nil, headers: [HeaderEntry]? = nil) {
                self.requestId = requestId
                self.url = url
                self.method = method
                self.postData = postData
                self.headers = headers
            }
        }

        public struct FulfillRequest: CDPCommand {
            public static let method = "Fetch.fulfillRequest"
            public typealias Response = EmptyResponse
            public var requestId: String
            public var responseCode: Int
            public var responseHeaders: [HeaderEntry]?
            /// Base64.
            public var body: String?
            public var responsePhrase: String?
            public init(requestId: String, responseCode: Int, responseHeaders: [HeaderEntry]? = nil, body: String? = nil, responsePhrase: String? = nil) {
                self.requestId = requestId
                self.responseCode = responseCode
                self.responseHeaders = responseHeaders
                self.body = body
                self.responsePhrase = responsePhrase
            }
        }

        public struct FailRequest: CDPCommand {
            public static let method = "Fetch.failRequest"
            public typealias Response = EmptyResponse
            public var requestId: String
            /// Failed, Aborted, TimedOut, AccessDenied, ConnectionRefused, ... (Network.ErrorReason)
            public var errorReason: String
            public init(requestId: String, errorReason: String = "Failed") {
                self.requestId = requestId
                self.errorReason = errorReason
            }
        }

        public struct GetResponseBody: CDPCommand {
            public static let method = "Fetch.getResponseBody"
            public struct Response: Decodable, Sendable {
                public let body: String
                public let base64Encoded: Bool
            }
            public var requestId: String
            public init(requestId: String) { self.requestId = requestId }
        }

        public struct RequestPaused: CDPEventPayload {
            public static let method = "Fetch.requestPaused"
            public let requestId: String
            public let request: CDP.Network.Request
            public let frameId: String
            public let resourceType: String
            public let responseStatusCode: Int?
            public let responseHeaders: [HeaderEntry]?
            public let networkId: String?
        }
    }
}
