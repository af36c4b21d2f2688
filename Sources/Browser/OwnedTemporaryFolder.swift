import Foundation
import Synchronization

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Temporary folders (browser profiles, the demo replica's data) that belong to this process: removed
/// on every exit that can run code (close, error, `exit`, SIGINT/SIGTERM/SIGHUP), and, for the exits
/// that cannot (SIGKILL, a power cut), swept by the next run that finds their owner gone.
public enum OwnedTemporaryFolder {
    private static let owned = Mutex<Set<String>>([])
    private static let ownerFile = ".discover-owner"

    /// A new `<tmp>/<prefix>-XXXXXX`, marked with this process's id and start time.
    public static func make(prefix: String) throws -> String {
        var template = Array((NSTemporaryDirectory() + "/\(prefix)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw BrowserLaunchError(message: "cannot create a temporary folder in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))")
        }
        let path = String(cString: made)
        owned.withLock { _ = $0.insert(path) }
        let pid = getpid()
        try? "\(pid) \(startTime(of: pid) ?? "")".write(toFile: path + "/" + ownerFile, atomically: false, encoding: .utf8)
        return path
    }

    /// Removes the folder now; it is no longer this process's to clean up.
    public static func release(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
        _ = owned.withLock { $0.remove(path) }
    }

    /// Removes every folder still owned. Synchronous, for signal handlers and atexit.
    static func removeAll() {
        let paths = owned.withLock { owned in
            defer { owned.removeAll() }
            return owned
        }
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Removes `<tmp>/<prefix>-*` folders whose owner process has ended; returns how many.
    @discardableResult
    public static func sweep(prefix: String) -> Int {
        let root = NSTemporaryDirectory()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(prefix + "-") {
            let path = (root as NSString).appendingPathComponent(name)
            if owned.withLock({ $0.contains(path) }) { continue }
            guard ownerIsGone(path) else { continue }
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed += 1 }
        }
        return removed
    }

    /// A folder without an owner file is an older run's (or one cut short before writing it): gone
    /// once it is an hour old. Otherwise its owner is gone when that pid no longer runs, or runs a
    /// different process (a reused pid has another start time).
    private static func ownerIsGone(_ path: String) -> Bool {
        guard let text = try? String(contentsOfFile: path + "/" + ownerFile, encoding: .utf8) else {
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? nil
            return modified.map { Date().timeIntervalSince($0) > 3600 } ?? false
        }
        let fields = text.split(separator: " ")
        guard let pidText = fields.first, let pid = pid_t(pidText) else { return true }
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        if fields.count > 1, let now = startTime(of: pid), now != fields[1] { return true }
        return false
    }

    /// Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot.
    private static func startTime(of pid: pid_t) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let nameEnd = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        return fields.count > 19 ? String(fields[19]) : nil
    }
}
