import Foundation

/// A flow file: what a person does in the UI, step by step.
public struct Flow: Sendable {
    public var name: String
    public var description: String?
    /// Environment variables that must be set before the browser starts.
    public var requires: [String]
    /// Environment variables whose values never appear in messages or logs.
    public var secrets: [String]
    /// Flow files (relative to this one) run first when this file runs alone.
    public var prerequisites: [String]
    public var when: WhenCondition?
    /// Values interpolated when the flow starts; they may use `${env.*}`, `${run.*}` and earlier vars.
    public var vars: [String: String]
    public var steps: [Step]
    /// The file the flow was read from; nil for flows built in code.
    public var file: URL?

    public init(
        name: String, description: String? = nil, requires: [String] = [], secrets: [String] = [],
        prerequisites: [String] = [], when: WhenCondition? = nil, vars: [String: String] = [:], steps: [Step],
        file: URL? = nil
    ) {
        self.name = name
        self.description = description
        self.requires = requires
        self.secrets = secrets
        self.prerequisites = prerequisites
        self.when = when
        self.vars = vars
        self.steps = steps
        self.file = file
    }

    /// The file name for messages, or the flow name when it has no file.
    public var fileName: String { file?.lastPathComponent ?? name }
}
