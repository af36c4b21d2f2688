import Durations
import Foundation
import Glibc
import Synchronization

/// A real Chromium listening on a DevTools debugging port (`--remote-debugging-port=0`), for tests of
/// the WebSocket transport and endpoint discovery. It runs in its own process group with a fresh profile;
/// `close()` ends the whole group and removes the profile. A missing Chromium is an error whose text
/// carries the install command, so a test fails (never skips) on a machine without it.
public final class DebuggingPortChromium: Sendable {
    /// The port Chromium chose, from `<profile>/DevToolsActivePort`.
    public let port: UInt16
    /// `/devtools/browser/<uuid>`, the second line of `DevToolsActivePort`.
    public let browserPath: String
    public let processID: pid_t
    public let profileDirectory: String
    private let closed = Mutex(false)

    public var browserWebSocketURL: String { "ws://127.0.0.1:\(port)\(browserPath)" }
    public var httpURL: String { "http://127.0.0.1:\(port)" }
    public var activePortFile: String { profileDirectory + "/DevToolsActivePort" }

    public static let defaultExecutable = "/usr/lib/chromium/chromium"

    private init(port: UInt16, browserPath: String, processID: pid_t, profileDirectory: String) {
        self.port = port
        self.browserPath = browserPath
        self.processID = processID
        self.profileDirectory = profileDirectory
    }

    deinit { close() }

    /// Starts Chromium headless and waits (at most `timeout`) until it has written its port.
    public static func launch(
        executable: String = ProcessInfo.processInfo.environment["CHROME_PATH"] ?? defaultExecutable,
        extraArguments: [String] = [], timeout: Duration = .seconds(30)
    ) async throws -> DebuggingPortChromium {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw LaunchError(
                "Chromium is required for this test and \(executable) is not executable. "
                    + "Install it: apt-get install -y chromium chromium-headless-shell (or set CHROME_PATH)")
        }
        let profile = FileManager.default.temporaryDirectory
            .appendingPathComponent("discover-test-profile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        let arguments = [
            executable, "--headless", "--no-sandbox", "--remote-debugging-port=0", "--user-data-dir=\(profile)",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-extensions",
            "--disable-component-update", "--disable-dev-shm-usage", "--mute-audio",
        ] + extraArguments + ["about:blank"]
        let processID: pid_t
        do {
            processID = try spawnInOwnGroup(arguments)
        } catch {
            try? FileManager.default.removeItem(atPath: profile)
            throw error
        }
        let portFile = profile + "/DevToolsActivePort"
        let deadline = Deadline(after: timeout)
        while true {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8) {
                let lines = text.split(separator: "\n")
                if lines.count >= 2, let port = UInt16(lines[0]) {
                    return DebuggingPortChromium(port: port, browserPath: String(lines[1]), processID: processID, profileDirectory: profile)
                }
            }
            var status: Int32 = 0
            let exited = waitpid(processID, &status, WNOHANG) == processID
            if exited || deadline.hasPassed {
                endGroup(processID, alreadyReaped: exited)
                try? FileManager.default.removeItem(atPath: profile)
                throw LaunchError(
                    exited
                        ? "Chromium (\(executable)) exited with status \(status) before writing \(portFile)"
                        : "Chromium (\(executable)) wrote no port to \(portFile) within \(timeout)")
            }
            do {
                try await Task.sleep(for: .milliseconds(10))
            } catch {
                endGroup(processID, alreadyReaped: false)
                try? FileManager.default.removeItem(atPath: profile)
                throw error
            }
        }
    }

    /// Ends Chromium and every process of its group (SIGTERM, then SIGKILL after 2 s) and removes the
    /// profile. Safe to call more than once.
    public func close() {
        let wasClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        Self.endGroup(processID, alreadyReaped: false)
        try? FileManager.default.removeItem(atPath: profileDirectory)
    }

    /// Kills the browser abruptly (SIGKILL to the group), as a crash would; `close()` still cleans up.
    public func kill() {
        _ = Glibc.kill(-processID, SIGKILL)
    }

    static func endGroup(_ processID: pid_t, alreadyReaped: Bool) {
        if !alreadyReaped {
            _ = Glibc.kill(-processID, SIGTERM)
            let deadline = Deadline(after: .seconds(2))
            var status: Int32 = 0
            var reaped = false
            while !deadline.hasPassed {
                if waitpid(processID, &status, WNOHANG) == processID { reaped = true; break }
                usleep(5_000)
            }
            if !reaped {
                _ = Glibc.kill(-processID, SIGKILL)
                _ = waitpid(processID, &status, 0)
            }
        }
        // Helpers (zygote, renderers) share the group; none may outlive the test.
        _ = Glibc.kill(-processID, SIGKILL)
        let deadline = Deadline(after: .seconds(2))
        while !liveProcessIDs(inGroup: processID).isEmpty && !deadline.hasPassed { usleep(5_000) }
    }

    /// Live (non-zombie) processes of process group `group`, read from /proc.
    public static func liveProcessIDs(inGroup group: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            // After "pid (comm) ": state, ppid, pgrp, ...
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && fields[0] != "Z" && pid_t(fields[2]) == group
        }
    }

    /// Also starts the test's chromedriver (`Chromedriver`).
    static func spawnInOwnGroup(_ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Chromium's stderr is full of harmless dbus noise.
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var processID: pid_t = 0
        let status = posix_spawn(&processID, arguments[0], &actions, &attributes, argv, environ)
        guard status == 0 else {
            throw LaunchError("posix_spawn \(arguments[0]) failed: \(String(cString: strerror(status)))")
        }
        return processID
    }

    public struct LaunchError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
