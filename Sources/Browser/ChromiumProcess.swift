import Durations
import Foundation
import Synchronization

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func posixSpawnFileActionsAddCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32

public struct BrowserLaunchError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A spawned browser in its own process group. Terminating it reaches the renderers too, and the
/// child is always reaped.
final class ChromiumProcess: Sendable {
    let pid: pid_t
    let executable: String
    /// The temporary folder holding the profile and stderr log, removed on termination; nil when the
    /// caller supplied the profile.
    let temporaryFolder: String?
    let stderrLogPath: String?
    private let exitStatus = Mutex<Int32?>(nil)
    /// Pipe ends held open only so Chromium quits when this process dies (WebSocket launches).
    private let lifeline = Mutex<[Int32]>([])

    private init(pid: pid_t, executable: String, temporaryFolder: String?, stderrLogPath: String?) {
        self.pid = pid
        self.executable = executable
        self.temporaryFolder = temporaryFolder
        self.stderrLogPath = stderrLogPath
    }

    struct Spawned {
        let process: ChromiumProcess
        /// Our ends of the pipe transport: we write to the browser's fd 3 and read its fd 4.
        let pipe: (read: Int32, write: Int32)?
    }

    /// `environment`: variables set for the browser on top of this process's own.
    static func spawn(
        executable: String, arguments: [String], environment: [String: String] = [:], withPipe: Bool, temporaryFolder: String?,
        stderrLogPath: String?
    ) throws -> Spawned {
        var toBrowser: (read: Int32, write: Int32) = (-1, -1)
        var fromBrowser: (read: Int32, write: Int32) = (-1, -1)
        var toClose: [Int32] = []
        defer { for descriptor in toClose { close(descriptor) } }
        if withPipe {
            toBrowser = try makePipe()
            fromBrowser = try makePipe()
            // The browser's ends are closed here after the spawn; ours only on failure.
            toClose += [toBrowser.read, fromBrowser.write]
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        if let stderrLogPath {
            posix_spawn_file_actions_addopen(&actions, 2, stderrLogPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        if withPipe {
            posix_spawn_file_actions_adddup2(&actions, toBrowser.read, 3)
            posix_spawn_file_actions_adddup2(&actions, fromBrowser.write, 4)
            _ = posixSpawnFileActionsAddCloseFrom(&actions, 5)
        } else {
            _ = posixSpawnFileActionsAddCloseFrom(&actions, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group, default signal dispositions (our SIGINT/SIGTERM are ignored in favour of
        // Dispatch sources; the browser must still die of them) and an empty signal mask.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, given in given }
        let envp = variables.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            if withPipe { toClose += [toBrowser.write, fromBrowser.read] }
            throw BrowserLaunchError(message: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        let process = ChromiumProcess(pid: pid, executable: executable, temporaryFolder: temporaryFolder, stderrLogPath: stderrLogPath)
        return Spawned(process: process, pipe: withPipe ? (fromBrowser.read, toBrowser.write) : nil)
    }

    /// A pipe whose ends sit at fds >= 10 with close-on-exec, so the dup2 onto 3 and 4 cannot
    /// collide and no other child inherits them.
    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else {
            throw BrowserLaunchError(message: "pipe() failed: \(String(cString: strerror(errno)))")
        }
        let moved = descriptors.map { fcntl($0, F_DUPFD_CLOEXEC, 10) }
        for descriptor in descriptors { close(descriptor) }
        guard moved.allSatisfy({ $0 >= 0 }) else {
            for descriptor in moved where descriptor >= 0 { close(descriptor) }
            throw BrowserLaunchError(message: "fcntl(F_DUPFD_CLOEXEC) failed: \(String(cString: strerror(errno)))")
        }
        return (moved[0], moved[1])
    }

    /// Reaps the child if it has exited; true once it is gone.
    func hasExited() -> Bool {
        exitStatus.withLock { status in
            if status != nil { return true }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) {
                status = raw
                return true
            }
            return false
        }
    }

    /// Waits up to `limit` for the child to exit, polling so no thread blocks in waitpid forever.
    func waitForExit(upTo limit: Duration) -> Bool {
        let deadline = Deadline(after: limit)
        while !hasExited() {
            if deadline.hasPassed { return false }
            usleep(5_000)
        }
        return true
    }

    /// SIGTERM to the whole group, SIGKILL after the grace period, reap, remove the profile.
    /// Synchronous so a signal handler or atexit can call it.
    func terminate(gracePeriod: Duration) {
        if !hasExited() {
            kill(-pid, SIGTERM)
            if !waitForExit(upTo: gracePeriod) {
                kill(-pid, SIGKILL)
                _ = waitForExit(upTo: .seconds(5))
            }
        }
        // Helpers (zygote, renderers) share the group and may outlive the main process briefly.
        kill(-pid, SIGKILL)
        let deadline = Deadline(after: .seconds(2))
        while groupHasLiveMembers(), !deadline.hasPassed { usleep(5_000) }
        lifeline.withLock { descriptors in
            for descriptor in descriptors { close(descriptor) }
            descriptors.removeAll()
        }
        removeTemporaryFolder()
    }

    /// Whether any process of the group is still running (zombies waiting for init do not count).
    private func groupHasLiveMembers() -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        for entry in entries {
            guard let member = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(member)/stat", encoding: .utf8),
                let nameEnd = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
            if fields.count > 2, fields[0] != "Z", Int32(fields[2]) == pid { return true }
        }
        return false
    }

    func keepLifeline(_ descriptors: [Int32]) {
        lifeline.withLock { $0 += descriptors }
    }

    func removeTemporaryFolder() {
        if let temporaryFolder { OwnedTemporaryFolder.release(temporaryFolder) }
    }

    /// The last lines Chromium wrote to stderr, for launch error messages.
    func stderrTail(lines: Int = 15) -> String {
        guard let stderrLogPath, let text = try? String(contentsOfFile: stderrLogPath, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
