import Foundation
import JSONCore
import Testing
import TestSupport
import Wire

@testable import Replica

/// Each UI version serves exactly the routes the real source exports at its commit: the table in
/// `ReplicaVersion.routes` is the fixture `scripts/replica/route-table.sh` printed from the mirror
/// (`make route-tables` checks the fixtures against the mirror), and the running replica answers every
/// route of its version, and the other version's extra routes as Next does: its 404 page, or 405 where a
/// route of the version has the path (`POST /api/files/delete` at c9843692 lands on `files/[...filePath]`,
/// which exports only GET).
@Suite struct ReplicaRouteTableTests {
    @Test(arguments: ReplicaVersion.allCases)
    func theTableIsTheRealOne(_ version: ReplicaVersion) throws {
        let fixture = try RealRouteTable.routes(version)
        #expect(fixture == fixture.sorted() && Set(fixture).count == fixture.count, "the fixture is sorted and unique, as the script prints it")
        #expect(fixture.count >= 29, "a real table, not an empty file")
        #expect(version.routes.subtracting(fixture).sorted() == [], "served but not a real route at \(version.commit)")
        #expect(Set(fixture).subtracting(version.routes).sorted() == [], "a real route at \(version.commit) the replica does not serve")
    }

    /// A concrete request target for a route: `{x}` and `{+x}` get a value that exists nowhere.
    static func target(_ path: String) -> String {
        path.replacingOccurrences(of: #"\{\+?[A-Za-z]+\}"#, with: "missing", options: .regularExpression)
    }

    static func isUnrouted(_ response: LoopbackHTTPConnection.Response) -> Bool {
        response.status == 405 || response.status == 404 && response.text.contains("This page could not be found.")
    }

    @Test(arguments: ReplicaVersion.allCases)
    func theReplicaServesItsVersionsRoutesAndNoOthers(_ version: ReplicaVersion) async throws {
        let replica = try await TestReplica.start(uiVersion: version.rawValue)
        let all = Set(try RealRouteTable.routes(.current)).union(try RealRouteTable.routes(.october2025))
        var served: [String] = []
        var missing: [String] = []
        for route in all.sorted() {
            let parts = route.split(separator: " ")
            let method = String(parts[0]), path = Self.target(String(parts[1]))
            let isServed: Bool
            if path == "/api/monitor" {
                // A stream: its head is enough.
                let connection = try await LoopbackHTTPConnection.open(
                    port: replica.port, sending: LoopbackHTTPConnection.requestBytes("GET", path, headers: replica.authHeaders))
                let head = try await connection.readHead()
                isServed = head.status == 200
            } else {
                isServed = !Self.isUnrouted(try await replica.request(method, path, json: method == "POST" ? [:] : nil))
            }
            if isServed { served.append(route) } else { missing.append(route) }
        }
        let filesDelete = try await replica.post("/api/files/delete", [:]).status
        await replica.stop()
        #expect(Set(served) == version.routes, "served: \(served)")
        #expect(Set(missing) == all.subtracting(version.routes), "answered 404 or 405: \(missing)")
        #expect(filesDelete == (version == .october2025 ? 405 : 400))
    }
}
