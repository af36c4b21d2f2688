/// A flow file that cannot be used, naming the file and, when it is about one step, the step number.
public struct FlowFileError: Error, Sendable, CustomStringConvertible {
    public let file: String
    /// 1-based step number, nil when the problem is not in a step.
    public let step: Int?
    public let message: String

    public init(file: String, step: Int? = nil, message: String) {
        self.file = file
        self.step = step
        self.message = message
    }

    public var description: String {
        if let step { return "\(file): step \(step): \(message)" }
        return "\(file): \(message)"
    }
}

/// A problem inside a value (a locator shorthand, a screenshot name); `FlowDecoder` reports it at the
/// value's own position.
public struct FlowValueError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
