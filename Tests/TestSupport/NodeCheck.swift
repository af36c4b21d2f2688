import Foundation

/// `node --check FILE` for the JavaScript the binary carries (the locator engine, the replica's UI):
/// a file that does not parse fails its test with what node said. A missing node is an error, not a skip.
public enum NodeCheck {
    /// nil when the file parses, else node's message.
    public static func problem(in file: URL) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["node", "--check", file.path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 127 { throw NodeMissing() }
        return process.terminationStatus == 0 ? nil : String(decoding: errors, as: UTF8.self)
    }

    /// The same check for a script held in memory, written to a temporary file first.
    public static func problem(inScript source: String, named name: String) throws -> String? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).js")
        defer { try? FileManager.default.removeItem(at: file) }
        try source.write(to: file, atomically: true, encoding: .utf8)
        return try problem(in: file)
    }

    public struct NodeMissing: Error, CustomStringConvertible {
        public var description: String { "node is not installed: apt-get install -y nodejs (make test installs it)" }
    }
}
