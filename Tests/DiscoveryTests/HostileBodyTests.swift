import Discovery
import Foundation
import JSONCore
import Recording
import Testing

/// Bodies an app under test can send to break the tool that records it.
@Suite("hostile bodies")
struct HostileBodyTests {
    @Test("a response nested 20,000 levels deep is kept undescribed and noted; discovery and every writer finish")
    func aTooDeepResponseIsNotedNotFatal() throws {
        let builder = SessionBuilder()
        let deep = String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)
        builder.http("GET", "/api/deep", responseText: deep, responseType: "application/json")
        builder.http("GET", "/api/deep", responseText: deep, responseType: "application/json")
        builder.http("GET", "/api/fine", response: ["ok": true])
        let api = Discovery.discover(from: builder.exchanges, options: DiscoveryOptions(appName: "x"))
        #expect(api.endpoints.map(\.path).sorted() == ["/api/deep", "/api/fine"])
        #expect(api.notes.contains { $0.hasPrefix("1 JSON bodies nest deeper than \(JSON.maximumNestingDepth) levels") }, "\(api.notes)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Discovery.writeOutputs(api, to: folder)
        let written = try JSON.parse(bytes: Data(contentsOf: folder.appendingPathComponent("discovered-endpoints.json")))
        #expect(written["notes"]?.arrayValue?.isEmpty == false)
    }
}
