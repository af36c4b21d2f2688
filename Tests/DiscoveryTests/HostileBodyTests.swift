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

    @Test("a write that answered without credentials, where the rest of the API needs a token, heads the report")
    func unauthenticatedWritesAreFindings() throws {
        let builder = SessionBuilder()
        builder.token = "t0k3n-value"
        builder.http("GET", "/api/jobs", response: ["jobs": []])
        builder.http("POST", "/api/jobs", request: ["name": "a"], response: ["id": "1"])
        builder.token = nil
        builder.http("POST", "/api/img/delete", request: ["imgPath": "/x.png"], response: ["success": true])
        // A sign-in answers without credentials by design (every login in the corpus does).
        builder.http("POST", "/api/login", request: ["username": "a", "password": "p"], response: ["token": "t"])
        builder.http("GET", "/api/img/a.png", responseText: "png", responseType: "image/png")
        let api = Discovery.discover(from: builder.exchanges, options: DiscoveryOptions(appName: "x"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("findings-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Discovery.writeOutputs(api, to: folder)
        let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        let findings = try #require(report.range(of: "## Findings"))
        let endpoints = try #require(report.range(of: "## Endpoints by area"))
        #expect(findings.lowerBound < endpoints.lowerBound)
        let section = report[findings.upperBound..<endpoints.lowerBound]
        #expect(section.contains("- `POST /api/img/delete` answers without credentials (1 request without any succeeded)"), "\(report)")
        #expect(!section.contains("GET"), "reads without credentials are not findings")
        #expect(!section.contains("/api/jobs"), "a write that carried the token is not one")
        #expect(!section.contains("/api/login"), "a sign-in is where credentials come from")
    }
}
