extension CDP {
    public enum Emulation {
        public struct SetDeviceMetricsOverride: CDPCommand {
            public static let method = "Emulation.setDeviceMetricsOverride"
            public typealias Response = EmptyResponse
            public var width: Int
            public var height: Int
            public var deviceScaleFactor: Double
            public var mobile: Bool
            public init(width: Int, height: Int, deviceScaleFactor: Double = 1, mobile: Bool = false) {
                self.width = width
                self.height = height
                self.deviceScaleFactor = deviceScaleFactor
                self.mobile = mobile
            }
        }

        public struct ClearDeviceMetricsOverride: CDPCommand {
            public static let method = "Emulation.clearDeviceMetricsOverride"
            public typealias Response = EmptyResponse
            public init() {}
        }

        public struct SetUserAgentOverride: CDPCommand {
            public static let method = "Emulation.setUserAgentOverride"
            public typealias Response = EmptyResponse
            public var userAgent: String
            public var acceptLanguage: String?
            public var platform: String?
            public init(userAgent: String, acceptLanguage: String? = nil, platform: String? = nil) {
                self.userAgent = userAgent
                self.acceptLanguage = acceptLanguage
                self.platform = platform
            }
        }

        public struct SetTimezoneOverride: CDPCommand {
            public static let method = "Emulation.setTimezoneOverride"
            public typealias Response = EmptyResponse
            public var timezoneId: String
            public init(timezoneId: String) { self.timezoneId = timezoneId }
        }

        public struct SetLocaleOverride: CDPCommand {
            public static let method = "Emulation.setLocaleOverride"
            public typealias Response = EmptyResponse
            public var locale: String?
            public init(locale: String? = nil) { self.locale = locale }
        }
    }
}
