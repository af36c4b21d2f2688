extension CDP {
    public enum DOM {
        public struct Node: Codable, Sendable, Equatable {
            public let nodeId: Int
            public let backendNodeId: Int
            public let nodeType: Int
            public let nodeName: String
            public let localName: String
            public let nodeValue: String
            public let childNodeCount: Int?
            public let children: [Node]?
            public let attributes: [String]?
            public let frameId: String?
        }

        public struct BoxModel: Codable, Sendable, Equatable {
            /// Quads: x1,y1 .. x4,y4 clockwise.
            public let content: [Double]
            public let padding: [Double]
            public let border: [Double]
            public let margin: [Double]
            public let width: Int
            public let height: Int
        }

        /// Which node a command is about: one of these is enough.
        public struct NodeReference: Codable, Sendable, Equatable {
            public var nodeId: Int?
            public var backendNodeId: Int?
            public var objectId: String?
            public init(nodeId: Int? = nil, backendNodeId: Int? = nil, objectId: String? = nil) {
                self.nodeId = nodeId
                self.backendNodeId = backendNodeId
                self.objectId = objectId
            }
        }

        public struct Enable: CDPCommand {
            public static let method = "DOM.enable"
            public typealias Response = EmptyResponse
            public init() {}
        }

        public struct GetDocument: CDPCommand {
            public static let method = "DOM.getDocument"
            public struct Response: Decodable, Sendable { public let root: Node }
            public var depth: Int?
            public var pierce: Bool?
            public init(depth: Int? = nil, pierce: Bool? = nil) {
                self.depth = depth
                self.pierce = pierce
            }
        }

        public struct QuerySelector: CDPCommand {
            public static let method = "DOM.querySelector"
            public struct Response: Decodable, Sendable { public let nodeId: Int }
            public var nodeId: Int
            public var selector: String
            public init(nodeId: Int, selector: String) {
                self.nodeId = nodeId
                self.selector = selector
            }
        }

        public struct QuerySelectorAll: CDPCommand {
            public static let method = "DOM.querySelectorAll"
            public struct Response: Decodable, Sendable { public let nodeIds: [Int] }
            public var nodeId: Int
            public var selector: String
            public init(nodeId: Int, selector: String) {
                self.nodeId = nodeId
                self.selector = selector
            }
        }

        public struct DescribeNode: CDPCommand {
            public static let method = "DOM.describeNode"
            public struct Response: Decodable, Sendable { public let node: Node }
            public var nodeId: Int?
            public var backendNodeId: Int?
            public var objectId: String?
            public var depth: Int?
            public init(_ node: NodeReference, depth: Int? = nil) {
                nodeId = node.nodeId
                backendNodeId = node.backendNodeId
                objectId = node.objectId
                self.depth = depth
            }
        }

        public struct ResolveNode: CDPCommand {
            public static let method = "DOM.resolveNode"
            public struct Response: Decodable, Sendable { public let object: CDP.Runtime.RemoteObject }
            public var nodeId: Int?
            public var backendNodeId: Int?
            public var executionContextId: Int?
            public init(nodeId: Int? = nil, backendNodeId: Int? = nil, executionContextId: Int? = nil) {
                self.nodeId = nodeId
                self.backendNodeId = backendNodeId
                self.executionContextId = executionContextId
            }
        }

        public struct GetBoxModel: CDPCommand {
            public static let method = "DOM.getBoxModel"
            public struct Response: Decodable, Sendable { public let model: BoxModel }
            public var nodeId: Int?
            public var backendNodeId: Int?
            public var objectId: String?
            public init(_ node: NodeReference) {
                nodeId = node.nodeId
                backendNodeId = node.backendNodeId
                objectId = node.objectId
            }
        }

        public struct SetFileInputFiles: CDPCommand {
            public static let method = "DOM.setFileInputFiles"
            public typealias Response = EmptyResponse
            public var files: [String]
            public var nodeId: Int?
            public var backendNodeId: Int?
            public var objectId: String?
            public init(files: [String], _ node: NodeReference) {
                self.files = files
                nodeId = node.nodeId
                backendNodeId = node.backendNodeId
                objectId = node.objectId
            }
        }

        public struct ScrollIntoViewIfNeeded: CDPCommand {
            public static let method = "DOM.scrollIntoViewIfNeeded"
            public typealias Response = EmptyResponse
            public var nodeId: Int?
            public var backendNodeId: Int?
            public var objectId: String?
            public init(_ node: NodeReference) {
                nodeId = node.nodeId
                backendNodeId = node.backendNodeId
                objectId = node.objectId
            }
        }

        public struct Focus: CDPCommand {
            public static let method = "DOM.focus"
            public typealias Response = EmptyResponse
            public var nodeId: Int?
            public var backendNodeId: Int?
            public var objectId: String?
            public init(_ node: NodeReference) {
                nodeId = node.nodeId
                backendNodeId = node.backendNodeId
                objectId = node.objectId
            }
        }
    }
}
