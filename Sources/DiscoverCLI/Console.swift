@preconcurrency import Glibc
import Foundation
import Synchronization

/// Progress and logs go to stderr; results go to files. `--quiet`, `--verbose` and NO_COLOR are
/// honoured here, once, so no command prints around them.
final class Console: Sendable {
    enum Level: Int, Comparable, Sendable {
        case quiet, normal, verbose
        static func < (left: Level, right: Level) -> Bool { left.rawValue < right.rawValue }
    }

    let level: Level
    let color: Bool
    /// `[name] ` before every line, when several runs print at once.
    let tag: String
    /// One for every console, so the lines of runs printing at once never mix.
    private static let lock = Mutex(())

    init(level: Level, color: Bool, tag: String = "") {
        self.level = level
        self.color = color
        self.tag = tag
    }

    /// The same console, its lines marked as one run's.
    func tagged(_ name: String) -> Console {
        Console(level: level, color: color, tag: "[\(name)] ")
    }

    static func from(_ arguments: ParsedArguments) -> Console {
        let level: Level = arguments.has("quiet") ? .quiet : arguments.has("verbose") ? .verbose : .normal
        let environment = ProcessInfo.processInfo.environment
        let color = !arguments.has("no-color") && environment["NO_COLOR"] == nil && isatty(2) == 1 && environment["TERM"] != "dumb"
        return Console(level: level, color: color)
    }

    func step(_ message: String) { write(message, minimum: .normal, style: "1;34", prefix: "==> ") }
    func info(_ message: String) { write(message, minimum: .normal, style: nil, prefix: "") }
    func detail(_ message: String) { write(message, minimum: .verbose, style: "2", prefix: "    ") }
    func success(_ message: String) { write(message, minimum: .normal, style: "32", prefix: "") }
    func warning(_ message: String) { write(message, minimum: .quiet, style: "33", prefix: "warning: ") }
    func error(_ message: String) { write(message, minimum: .quiet, style: "31", prefix: "error: ") }

    private func write(_ message: String, minimum: Level, style: String?, prefix: String) {
        guard level >= minimum else { return }
        var line = prefix + message
        if !tag.isEmpty { line = tag + line.replacingOccurrences(of: "\n", with: "\n" + tag) }
        if color, let style { line = "\u{1B}[\(style)m\(line)\u{1B}[0m" }
        line += "\n"
        Self.lock.withLock { _ in
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}
