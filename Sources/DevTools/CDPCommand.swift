/// A typed DevTools command: its encoded form is the `params` object.
public protocol CDPCommand: Encodable, Sendable {
    associatedtype Response: Decodable & Sendable
    static var method: String { get }
    /// Overrides the connection's default timeout; nil keeps the default.
    var timeout: Duration? { get }
}

extension CDPCommand {
    public var timeout: Duration? { nil }
}

/// The reply of commands that return nothing worth reading.
public struct EmptyResponse: Decodable, Sendable {
    public init() {}
}
