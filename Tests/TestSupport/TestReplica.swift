import Foundation
import JSONCore
import Replica

/// A replica on a free port with a password, a temporary data root and fast trainer timings.
/// `stop()` ends it and removes the data root.
public final class TestReplica: Sendable {
    public static let defaultPassword = "test-password"

    public let server: ReplicaServer
    public let password: String?
    public var port: UInt16 { server.port }
    public var baseURL: String { server.baseURL }
    public var dataRoot: URL { server.dataRoot }
    /// `Authorization: Bearer <password>` (empty when auth is off).
    public var authHeaders: [(String, String)] { password.map { [("Authorization", "Bearer \($0)")] } ?? [] }

    private init(server: ReplicaServer, password: String?) {
        self.server = server
        self.password = password
    }

    public static func start(
        password: String? = defaultPassword, uiVersion: String = "2026-08", devMode: Bool = false,
        configure: (inout ReplicaOptions) -> Void = { _ in }
    ) async throws -> TestReplica {
        var options = ReplicaOptions()
        options.password = password
        options.uiVersion = uiVersion
        options.devMode = devMode
        options.trainer = .fast
        options.monitorInterval = .milliseconds(50)
        options.hotReloadInterval = .milliseconds(100)
        configure(&options)
        return TestReplica(server: try await ReplicaServer.start(options), password: password)
    }

    public func stop() async { await server.stop() }

    /// One authorized request on a fresh connection.
    public func request(
        _ method: String, _ target: String, json: JSON? = nil, headers: [(String, String)] = [], body rawBody: [UInt8] = []
    ) async throws -> LoopbackHTTPConnection.Response {
        var allHeaders = authHeaders + headers
        var body = rawBody
        if let json {
            allHeaders.append(("Content-Type", "application/json"))
            body = Array(json.serialized().utf8)
        }
        return try await loopbackRequest(port: port, method, target, headers: allHeaders, body: body)
    }

    public func get(_ target: String) async throws -> LoopbackHTTPConnection.Response { try await request("GET", target) }
    public func post(_ target: String, _ json: JSON) async throws -> LoopbackHTTPConnection.Response { try await request("POST", target, json: json) }

    /// A `multipart/form-data` body with the given text fields and files, and its Content-Type.
    public static func multipart(fields: [(String, String)], files: [(field: String, name: String, type: String, bytes: [UInt8])]) -> (contentType: String, body: [UInt8]) {
        let boundary = "----discoverTestBoundary7MA4YWxkTrZu0gW"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n".utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return ("multipart/form-data; boundary=\(boundary)", body)
    }
}
