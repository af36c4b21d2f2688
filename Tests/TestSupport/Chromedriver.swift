import Durations
import Foundation
import Glibc
import JSONCore
import Synchronization
import Wire

/// A real chromedriver (Debian's `chromium-driver`) on a free loopback port, in a process group of its
/// own, for the tests of `--webdriver`. A missing chromedriver is an error whose text carries the install
/// command, so a test fails (never skips) on a machine without it.
public final class Chromedriver: Sendable {
    public let port: UInt16
    public let processID: pid_t
    private let stopped = Mutex(false)

    public var url: String { "http://127.0.0.1:\(port)" }

    public static let defaultExecutable = "/usr/bin/chromedriver"

    private init(port: UInt16, processID: pid_t) {
        self.port = port
        self.processID = processID
    }

    deinit { stop() }

    /// Starts chromedriver and waits (at most `timeout`) until `/status` says it is ready.
    public static func start(
        executable: String = ProcessInfo.processInfo.environment["CHROMEDRIVER_PATH"] ?? defaultExecutable, timeout: Duration = .seconds(20)
    ) async throws -> Chromedriver {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw DebuggingPortChromium.LaunchError(
                "chromedriver is required for this test and \(executable) is not executable. "
                    + "Install it: apt-get install -y chromium-driver (or run scripts/install-deps.sh, or set CHROMEDRIVER_PATH)")
        }
        // A port the kernel just handed out; chromedriver binds it a moment later.
        let probe = try Socket.listen()
        let port = probe.localPort
        probe.close()
        let driver = Chromedriver(port: port, processID: try DebuggingPortChromium.spawnInOwnGroup([executable, "--port=\(port)"]))
        let deadline = Deadline(after: timeout)
        while true {
            if let status = try? await HTTPClient.get(url: driver.url + "/status", timeout: .seconds(2)),
                (try? JSON.parse(bytes: status.body))?["value"]?["ready"]?.boolValue == true
            {
                return driver
            }
            if !ProcessTable.isAlive(driver.processID) || deadline.hasPassed {
                driver.stop()
                throw DebuggingPortChromium.LaunchError("chromedriver (\(executable) --port=\(port)) was not ready within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The ids of the sessions chromedriver holds now (its `GET /sessions`).
    public func liveSessions() async throws -> [String] {
        let answer = try JSON.parse(bytes: try await HTTPClient.get(url: url + "/sessions", timeout: .seconds(5)).body)
        guard let sessions = answer["value"]?.arrayValue else {
            throw DebuggingPortChromium.LaunchError("chromedriver's GET /sessions answered without a value list: \(answer.serialized())")
        }
        return sessions.compactMap { $0["id"]?.stringValue }
    }

    /// The browser processes (and their helpers) chromedriver started and that are still running.
    public var browserProcesses: [Int32] { ProcessTable.liveDescendants(of: processID) }

    /// Ends chromedriver, then whatever it started that is still running. Safe to call more than once.
    public func stop() {
        let wasStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !wasStopped else { return }
        let left = browserProcesses
        DebuggingPortChromium.endGroup(processID, alreadyReaped: false)
        for pid in left { kill(pid, SIGKILL) }
    }
}
