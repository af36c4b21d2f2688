extension CDP {
    public enum IO {
        public struct Read: CDPCommand {
            public static let method = "IO.read"
            public struct Response: Decodable, Sendable {
                public let base64Encoded: Bool?
                public let data: String
                public let eof: Bool
            }
            public var handle: String
            public var offset: Int?
            public var size: Int?
            public init(handle: String, offset: Int? = nil, size: Int? = nil) {
                self.handle = handle
                self.offset = offset
                self.size = size
            }
        }

        public struct Close: CDPCommand {
            public static let method = "IO.close"
            public typealias Response = EmptyResponse
            public var handle: String
            public init(handle: String) { self.handle = handle }
        }
    }
}
