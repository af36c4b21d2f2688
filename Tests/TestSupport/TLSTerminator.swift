import Durations
import Foundation
import Glibc
import Wire

/// A real TLS terminator on loopback: Debian's stunnel4 in the foreground, accepting TLS on a free port
/// and forwarding the plain bytes to `127.0.0.1:<target>`, as a TLS-terminating proxy in front of a
/// remote browser does. `stop()` ends it; none may outlive its test. A missing stunnel is an error with
/// the install command, never a skipped test.
public final class TLSTerminator: @unchecked Sendable {  // `process` is touched by start, then by stop only
    public let port: UInt16
    private let process: Process
    private let logFile: String

    private init(port: UInt16, process: Process, logFile: String) {
        self.port = port
        self.process = process
        self.logFile = logFile
    }

    deinit { stop() }

    public static let executables = ["/usr/bin/stunnel4", "/usr/bin/stunnel"]

    /// Starts stunnel with `identity`'s certificate in front of `targetPort`, and waits until it accepts.
    /// Its configuration and log go to `folder`.
    public static func start(forwardingTo targetPort: UInt16, identity: TestCertificates.ServerIdentity, folder: String) async throws -> TLSTerminator {
        guard let executable = executables.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TLSTestError("stunnel is required for the TLS tests. Install it: apt-get install -y stunnel4 (scripts/install-deps.sh does)")
        }
        // A free port: the kernel picks one, and it is released for stunnel to bind (SO_REUSEADDR).
        let probe = try Socket.listen()
        let port = probe.localPort
        probe.close()
        let name = "stunnel-\(port)"
        let configuration = "\(folder)/\(name).conf"
        let logFile = "\(folder)/\(name).log"
        try """
            foreground = yes
            pid =
            [devtools]
            accept = 127.0.0.1:\(port)
            connect = 127.0.0.1:\(targetPort)
            cert = \(identity.certificateFile)
            key = \(identity.keyFile)

            """.write(toFile: configuration, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [configuration]
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try? log.close()
        let terminator = TLSTerminator(port: port, process: process, logFile: logFile)
        // Ready once it accepts TCP; a bare connection never reaches the target (stunnel handshakes first).
        let deadline = Deadline(after: .seconds(10))
        while true {
            if let socket = try? Socket.connect(host: "127.0.0.1", port: port, timeout: .seconds(1)) {
                socket.close()
                return terminator
            }
            guard process.isRunning, !deadline.hasPassed else {
                terminator.stop()
                throw TLSTestError("stunnel did not start accepting on 127.0.0.1:\(port): \(terminator.log)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// What stunnel wrote (its errors explain a failed handshake on the server's side).
    public var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// Ends stunnel and waits for it. Safe to call more than once. SIGKILL, because a child started from
    /// a Dispatch worker thread inherits its blocked signals, and stunnel then never sees a SIGTERM.
    public func stop() {
        guard process.isRunning else { return }
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
