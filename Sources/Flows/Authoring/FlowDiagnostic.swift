/// One finding of the flow pass (`FlowPass`, behind both `validate` and `run`), printed the way compilers print theirs so editors can jump to it.
public struct FlowDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public let file: String
    /// 1-based; 0 when the finding is about the file as a whole (it does not exist, cannot be read).
    public let line: Int
    public let column: Int
    public let severity: Severity
    public let message: String
    /// The JSON Pointer of the value the finding is about (`/steps/2/click`), nil when it is about the
    /// file as a whole or its syntax.
    public let pointer: String?

    public init(file: String, line: Int, column: Int, severity: Severity, message: String, pointer: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
        self.pointer = pointer
    }

    public init(file: String, at position: SourcePosition, _ severity: Severity, _ message: String, pointer: String? = nil) {
        self.init(file: file, line: position.line, column: position.column, severity: severity, message: message, pointer: pointer)
    }

    public var description: String {
        line > 0
            ? "\(file):\(line):\(column): \(severity.rawValue): \(message)"
            : "\(file): \(severity.rawValue): \(message)"
    }
}

extension Array where Element == FlowDiagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
}

extension FlowDiagnostic: Error {}
