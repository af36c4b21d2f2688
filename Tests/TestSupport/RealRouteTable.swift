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
}
