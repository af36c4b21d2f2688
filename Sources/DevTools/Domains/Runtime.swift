import JSONCore

extension CDP {
    public enum Runtime {
        public struct RemoteObject: Codable, Sendable, Equatable {
            public let type: String
            public let subtype: String?
            public let className: String?
            public let value: JSON?
            public let unserializableValue: String?
            public let description: String?
            public let objectId: String?
        }

        public struct ExceptionDetails: Codable, Sendable, Equatable {
            public let exceptionId: Int
            public let text: String
            public let lineNumber: Int
            public let columnNumber: Int
            public let url: String?
            public let exception: RemoteObject?

            /// The thrown value's description (`Error: message` with its stack) or the text.
            public var message: String { exception?.description ?? text }
        }

        public struct Enable: CDPCommand {
            public static let method = "Runtime.enable"
            public typealias Response = EmptyResponse
            public init() {}
        }

        public struct Evaluate: CDPCommand {
            public static let method = "Runtime.evaluate"
            public struct Response: Decodable, Sendable {
                public let result: RemoteObject
                public let exceptionDetails: ExceptionDetails?
            }
            public var expression: String
            public var returnByValue: Bool?
            public var awaitPromise: Bool?
            public var userGesture: Bool?
            public var contextId: Int?
            public var uniqueContextId: String?
            /// Milliseconds (Chromium's own evaluation timeout).
            public var timeout: Double?
            public init(
                expression: String, returnByValue: Bool? = true, awaitPromise: Bool? = true, userGesture: Bool? = nil,
                contextId: Int? = nil, uniqueContextId: String? = nil, timeout: Double? = nil
            ) {
                self.expression = expression
                self.returnByValue = returnByValue
                self.awaitPromise = awaitPromise
                self.userGesture = userGesture
                self.contextId = contextId
                self.uniqueContextId = uniqueContextId
                self.timeout = timeout
            }
        }

        public struct CallArgument: Codable, Sendable, Equatable {
            public var value: JSON?
            public var objectId: String?
            public init(value: JSON? = nil, objectId: String? = nil) {
                self.value = value
                self.objectId = objectId
            }
        }

        public struct CallFunctionOn: CDPCommand {
            public static let method = "Runtime.callFunctionOn"
            public typealias Response = Evaluate.Response
            public var functionDeclaration: String
            public var objectId: String?
            public var arguments: [CallArgument]?
            public var returnByValue: Bool?
            public var awaitPromise: Bool?
            public var userGesture: Bool?
            public var executionContextId: Int?
            public init(
                functionDeclaration: String, objectId: String? = nil, arguments: [CallArgument]? = nil, returnByValue: Bool? = true,
                awaitPromise: Bool? = true, userGesture: Bool? = nil, executionContextId: Int? = nil
            ) {
                self.functionDeclaration = functionDeclaration
                self.objectId = objectId
                self.arguments = arguments
                self.returnByValue = returnByValue
                self.awaitPromise = awaitPromise
                self.userGesture = userGesture
                self.executionContextId = executionContextId
            }
        }

        public struct RunIfWaitingForDebugger: CDPCommand {
            public static let method = "Runtime.runIfWaitingForDebugger"
            public typealias Response = EmptyResponse
            public init() {}
        }

        public struct AddBinding: CDPCommand {
            public static let method = "Runtime.addBinding"
            public typealias Response = EmptyResponse
            public var name: String
            public var executionContextName: String?
            public init(name: String, executionContextName: String? = nil) {
                self.name = name
                self.executionContextName = executionContextName
            }
        }

        public struct ReleaseObject: CDPCommand {
            public static let method = "Runtime.releaseObject"
            public typealias Response = EmptyResponse
            public var objectId: String
            public init(objectId: String) { self.objectId = objectId }
        }

        public struct ConsoleAPICalled: CDPEventPayload {
            public static let method = "Runtime.consoleAPICalled"
            public let type: String
            public let args: [RemoteObject]
            public let executionContextId: Int
            public let timestamp: Double
        }

        public struct ExceptionThrown: CDPEventPayload {
            public static let method = "Runtime.exceptionThrown"
            public let timestamp: Double
            public let exceptionDetails: ExceptionDetails
        }

        public struct BindingCalled: CDPEventPayload {
            public static let method = "Runtime.bindingCalled"
            public let name: String
            public let payload: String
            public let executionContextId: Int
        }
    }
}
