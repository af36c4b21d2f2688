import Durations
import Foundation

/// Reads /proc to check what a test left behind.
public enum ProcessTable {
    /// Live (non-zombie) processes whose process group is `group`.
    public static func liveMembers(ofGroup group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let fields = statFields(pid) else { return false }
            return fields.state != "Z" && fields.group == group
        }
    }

    /// True while `pid` exists and is not a zombie.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard let fields = statFields(pid) else { return false }
        return fields.state != "Z"
    }

    /// Live (non-zombie) processes descended from `ancestor`, children first: what a server such as
    /// chromedriver started, wherever their process groups are.
    public static func liveDescendants(of ancestor: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var children: [Int32: [Int32]] = [:]
        for pid in entries.compactMap({ Int32($0) }) {
            guard let fields = statFields(pid), fields.state != "Z" else { continue }
            children[fields.parent, default: []].append(pid)
        }
        var found: [Int32] = []
        var next = children[ancestor] ?? []
        while let pid = next.popLast() {
            found.append(pid)
            next += children[pid] ?? []
        }
        return found
    }

    /// Polls until `condition` holds or `limit` passes; returns whether it held.
    public static func waitUntil(_ limit: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = Deadline(after: limit)
        while !condition() {
            if deadline.hasPassed { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    private static func statFields(_ pid: Int32) -> (state: String, parent: Int32, group: Int32)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm) ": state, ppid, pgrp, ...
        let rest = text[text.index(after: close)...].split(separator: " ")
        guard rest.count > 2, let parent = Int32(rest[1]), let group = Int32(rest[2]) else { return nil }
        return (String(rest[0]), parent, group)
    }
}
