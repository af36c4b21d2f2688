import Foundation

/// Names and paths from requests turned into file URLs that cannot leave their root: not through `..`,
/// not as an absolute path, not through a symlink. Everything the replica reads, writes or removes on
/// a client's say-so goes through here, so no request reaches a file outside the data root.
enum ConfinedPath {
    /// `name` as one entry directly in `root`; nil when it is empty, `.` or `..`, holds a `/` or NUL, or
    /// resolves (through a symlink) to somewhere outside `root`.
    static func child(_ name: String, of root: String) -> URL? {
        guard isSingleComponent(name) else { return nil }
        return inside(URL(fileURLWithPath: root).appendingPathComponent(name).path, roots: [root])
    }

    static func isSingleComponent(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
    }

    /// An absolute path from a request, `..` collapsed, if it lies inside one of `roots` before and after
    /// resolving symlinks. Returns the path as given (collapsed), so removing it removes a link, not its target.
    static func inside(_ path: String, roots: [String]) -> URL? {
        guard path.hasPrefix("/"), !path.contains("\0") else { return nil }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        guard let resolved = resolvingExistingPart(url.path) else { return nil }
        let fits = roots.contains { root in
            let base = URL(fileURLWithPath: root).standardizedFileURL.path
            guard contains(base, url.path), let resolvedBase = resolvingExistingPart(base) else { return false }
            return contains(resolvedBase, resolved)
        }
        return fits ? url : nil
    }

    private static func contains(_ root: String, _ path: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// The path with symlinks resolved as far as it exists, the missing rest appended as it is; nil when
    /// a dangling symlink is in the way (a write through it would land wherever it points).
    static func resolvingExistingPart(_ path: String) -> String? {
        var existing = path
        var missing: [String] = []
        while existing != "/" {
            if let real = realPath(existing) {
                return missing.reversed().reduce(URL(fileURLWithPath: real)) { $0.appendingPathComponent($1) }.path
            }
            var status = stat()
            if lstat(existing, &status) == 0 { return nil }
            let url = URL(fileURLWithPath: existing)
            missing.append(url.lastPathComponent)
            existing = url.deletingLastPathComponent().path
        }
        return path
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
