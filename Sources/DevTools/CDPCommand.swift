/// A typed DevTools command: its encoded form is the `params` object.
public protocol CDPCommand: Encodable, Sendable {
    associatedtype Response: Decodable & Sendable
    static var method: String { get }
}

/// The reply of commands that return nothing worth reading.
public struct EmptyResponse: Decodable, Sendable {
    public init() {}
}
