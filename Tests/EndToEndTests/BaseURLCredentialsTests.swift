import Foundation
import JSONCore
import Testing
import HTTPServer
import Wire

/// `--base-url http://user:password@host`: the credentials log the browser in, and appear nowhere.
@Suite(.serialized) struct BaseURLCredentialsTests {
    @Test func credentialsInTheBaseURLAreUsedForBasicAuthAndLeaveNoTraceInAnyOutput() async throws {
        let password = "pa ss\"w0rd-\(UUID().uuidString.prefix(6))"
        let expected = "Basic " + Data("admin:\(password)".utf8).base64EncodedString()
        let server = try HTTPServer.start { request in
            guard request.headers["Authorization"] == expected else {
                var headers = HTTPHeaders()
                headers.set("WWW-Authenticate", #"Basic realm="app""#)
                return HTTPResponse(status: 401, headers: headers, bytes: Array("Unauthorized".utf8))
            }
            if request.target.hasPrefix("/api/items") { return .json(["items": [["id": 1]]]) }
            return .html("<html><body><h1>Inside</h1><script>fetch('/api/items?page=1')</script></body></html>")
        }
        defer { Task { await server.stop() } }
        let folder = try temporaryFolder("base-url-credentials")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flow = folder.appendingPathComponent("inside.flow.json")
        try #"{"name": "inside", "steps": [{"goto": "/"}, {"expect": {"text": "Inside"}}, {"waitFor": {"response": "/api/items*"}}]}"#
            .write(to: flow, atomically: true, encoding: .utf8)
        let encodedPassword = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let output = folder.appendingPathComponent("out")
        let outcome = try await CommandLineTests.discover([
            "run", flow.path, "--base-url", "http://admin:\(encodedPassword)@127.0.0.1:\(server.port)", "--output", output.path,
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let endpoints = try readJSON(output.appendingPathComponent("discovered-endpoints.json"))
        #expect(endpoints["baseURL"]?.stringValue == "http://127.0.0.1:\(server.port)")
        #expect(endpoints["endpoints"]?.arrayValue?.contains { $0["path"]?.stringValue == "/api/items" } == true)
        let forms = [password, encodedPassword, Data("admin:\(password)".utf8).base64EncodedString(), "admin:"]
        for file in files(under: output) {
            let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            for form in forms { #expect(!text.contains(form), "\(form) in \(file.lastPathComponent)") }
        }
        for form in forms { #expect(!(outcome.stderr + outcome.stdout).contains(form), "\(form) printed") }
    }
}
