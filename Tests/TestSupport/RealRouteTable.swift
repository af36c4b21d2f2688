import Foundation
import Replica

/// The real AI Toolkit's API routes at a UI version's commit, as `scripts/replica/route-table.sh` printed
/// them into `Tests/Fixtures/ai-toolkit-routes-<short commit>.txt`: `METHOD /api/path`, `[x]` as `{x}` and
/// `[...x]` as `{+x}`.
public enum RealRouteTable {
    public static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    public static func file(_ version: ReplicaVersion) -> URL {
        fixtures.appendingPathComponent("ai-toolkit-routes-\(version.commit.prefix(8)).txt")
    }

    /// The fixture's lines; a missing fixture throws, so no test passes on an empty table.
    public static func routes(_ version: ReplicaVersion) throws -> [String] {
        try String(contentsOf: file(version), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// The same by `--ui-version` name, for targets that do not import Replica.
    public static func routes(uiVersion: String) throws -> [String] {
        guard let version = ReplicaVersion(rawValue: uiVersion) else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "UI version \(uiVersion)"]) }
        return try routes(version)
    }

    /// Whether a discovered route, normalized (`{}` a parameter, `{+}` a catch-all), is one of `table`'s
    /// (normalized the same way). Next's `[...x]` takes one segment or more, so `/api/img/{}` (the 2025-10
    /// UI sends the whole path as one encoded segment) lands on `/api/img/{+}` as well.
    public static func contains(_ table: Set<String>, _ route: String) -> Bool {
        if table.contains(route) { return true }
        guard route.hasSuffix("/{}") else { return false }
        return table.contains(route.dropLast(2) + "{+}")
    }
}
