extension CDP {
    public enum Storage {
        public struct Cookie: Codable, Sendable, Equatable {
            public let name: String
            public let value: String
            public let domain: String
            public let path: String
            /// Epoch seconds; -1 for a session cookie.
            public let expires: Double
            public let size: Int
            public let httpOnly: Bool
            public let secure: Bool
            public let session: Bool
            public let sameSite: String?
        }

        public struct CookieParam: Codable, Sendable, Equatable {
            public var name: String
            public var value: String
            public var url: String?
            public var domain: String?
            public var path: String?
            public var secure: Bool?
            public var httpOnly: Bool?
            public var sameSite: String?
            public var expires: Double?
            public init(
                name: String, value: String, url: String? = nil, domain: String? = nil, path: String? = nil, secure: Bool? = nil,
                httpOnly: Bool? = nil, sameSite: String? = nil, expires: Double? = nil
            ) {
                self.name = name
                self.value = value
                self.url = url
                self.domain = domain
                self.path = path
                self.secure = secure
                self.httpOnly = httpOnly
                self.sameSite = sameSite
                self.expires = expires
            }
        }

        public struct GetCookies: CDPCommand {
            public static let method = "Storage.getCookies"
            public struct Response: Decodable, Sendable { public let cookies: [Cookie] }
            public var browserContextId: String?
            public init(browserContextId: String? = nil) { self.browserContextId = browserContextId }
        }

        public struct SetCookies: CDPCommand {
            public static let method = "Storage.setCookies"
            public typealias Response = EmptyResponse
            public var cookies: [CookieParam]
            public var browserContextId: String?
            public init(cookies: [CookieParam], browserContextId: String? = nil) {
                self.cookies = cookies
                self.browserContextId = browserContextId
            }
        }

        public struct ClearCookies: CDPCommand {
            public static let method = "Storage.clearCookies"
            public typealias Response = EmptyResponse
            public var browserContextId: String?
            public init(browserContextId: String? = nil) { self.browserContextId = browserContextId }
        }

        public struct ClearDataForOrigin: CDPCommand {
            public static let method = "Storage.clearDataForOrigin"
            public typealias Response = EmptyResponse
            public var origin: String
            /// Comma-separated: cookies, local_storage, indexeddb, cache_storage, all, ...
            public var storageTypes: String
            public init(origin: String, storageTypes: String = "all") {
                self.origin = origin
                self.storageTypes = storageTypes
            }
        }
    }
}
