import Foundation
import Wire

/// An Xvfb server on a free display number, for tests of headed Chromium. A missing Xvfb is a failure
/// that says how to install it, never a skip.
public final class VirtualDisplay: @unchecked Sendable {
    /// `:N`, for `DISPLAY`.
    public let name: String
    private let process: Process

    private init(name: String, process: Process) {
        self.name = name
        self.process = process
    }

    /// Starts Xvfb and returns once it accepts clients (it writes its display number when ready).
    public static func start() async throws -> VirtualDisplay {
        let executable = ["/usr/bin/Xvfb", "/usr/local/bin/Xvfb"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let executable else {
            throw VirtualDisplayError(message: "Xvfb is required for the test of --headed. Install it: apt-get install -y xvfb (make test does).")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A blocking read must not hold a pool thread.
        let number: String? = try await BlockingWork.run(name: "xvfb-display") {
            var text = ""
            // availableData returns what the pipe holds; read(upToCount:) would wait for the whole count.
            while !text.contains("\n") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            let digits = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return digits.isEmpty ? nil : digits
        }
        guard let number, Int(number) != nil else {
            process.terminate()
            throw VirtualDisplayError(message: "Xvfb did not report a display number")
        }
        return VirtualDisplay(name: ":\(number)", process: process)
    }

    /// Ends Xvfb and waits (at most 5 s) for it to go. SIGKILL, because a test process that installed
    /// `Browser`'s signal handling passes SIGTERM on as ignored; `waitUntilExit` would spin a run loop
    /// that a pool thread never runs.
    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(10_000) }
    }
}

public struct VirtualDisplayError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
