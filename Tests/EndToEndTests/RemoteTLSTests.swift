import Foundation
import JSONCore
import Testing
import TestSupport
import Wire

/// `discover run --connect` to a real Chromium behind a real TLS terminator (stunnel) on loopback, as a
/// remote browser behind a TLS-terminating gateway is reached: the built binary, as a user runs it.
@Suite(.serialized) struct RemoteTLSTests {
    static let token = "tok-7Qx93LmZ"
    static let headerValue = "gw-K3y-55a1c0ffee"

    struct Outcome {
        let status: Int32
        let console: String
    }

    /// Runs the binary with stdout and stderr into one file (so neither pipe can fill and block it).
    static func discover(_ arguments: [String], folder: URL) async throws -> Outcome {
        try await onOwnThread {
            let log = folder.appendingPathComponent("console-\(UUID().uuidString.prefix(6)).txt")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            defer { try? handle.close() }
            let process = Process()
            process.executableURL = try Repository.discoverBinary
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(["AI_TOOLKIT_PASSWORD": e2ePassword]) { _, new in new }
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            process.waitUntilExit()
            return Outcome(status: process.terminationStatus, console: try String(contentsOf: log, encoding: .utf8))
        }
    }

    /// Each observed endpoint (`GET /api/jobs/{}`) with its success statuses: failure statuses depend on
    /// races two runs lose differently (the monitor's 401 before login).
    static func observedEndpoints(_ output: URL) throws -> [String: [Int]] {
        let endpoints = try readJSON(output.appendingPathComponent("discovered-endpoints.json"))["endpoints"]?.arrayValue ?? []
        var observed: [String: [Int]] = [:]
        for endpoint in endpoints where (endpoint["observations"]?["count"]?.intValue ?? 0) > 0 {
            guard let method = endpoint["method"]?.stringValue, let path = endpoint["path"]?.stringValue else { continue }
            observed[shape(method, path)] = endpoint["statusCodes"]?.arrayValue?.compactMap(\.intValue).filter { $0 < 400 } ?? []
        }
        return observed
    }

    @Test func aRunThroughWSSWithVerificationRecordsWhatADirectRunRecordsAndKeepsTheCredentialsSecret() async throws {
        let chromium = try await DebuggingPortChromium.launch()
        defer { chromium.close() }
        let replica = try await TestReplica.start(password: e2ePassword)
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let folder = try temporaryFolder("remote-tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let gateway = try RecordingGateway.start(forwardingTo: chromium.port, header: ("X-Gateway-Key", Self.headerValue), token: Self.token)
        defer { gateway.stop() }
        let terminator = try await TLSTerminator.start(
            forwardingTo: gateway.port, identity: try certificates.server("devtools", names: ["DNS:localhost"]), folder: certificates.folder)
        defer { terminator.stop() }
        let flow = Repository.aiToolkitFlows.appendingPathComponent("01-login.flow.json").path

        let direct = folder.appendingPathComponent("direct")
        let directRun = try await Self.discover(["run", flow, "--base-url", replica.baseURL, "--output", direct.path, "--connect", chromium.httpURL], folder: folder)
        let overTLS = folder.appendingPathComponent("tls")
        let tlsRun = try await Self.discover([
            "run", flow, "--base-url", replica.baseURL, "--output", overTLS.path, "--verbose",
            "--connect", "https://localhost:\(terminator.port)?token=\(Self.token)",
            "--connect-header", "X-Gateway-Key: \(Self.headerValue)", "--ca-file", certificates.caFile,
        ], folder: folder)
        await replica.stop()
        #expect(directRun.status == 0, "\(directRun.console)")
        #expect(tlsRun.status == 0, "\(tlsRun.console)\n\(terminator.log)")

        let viaTLS = try Self.observedEndpoints(overTLS)
        let directly = try Self.observedEndpoints(direct)
        #expect(viaTLS["GET /api/auth"] == [200], "\(viaTLS)")
        let differing = Set(directly.keys).union(viaTLS.keys).filter { directly[$0] != viaTLS[$0] }.sorted()
        #expect(differing.isEmpty, "\(differing.map { "\($0): direct \(directly[$0] ?? []) over TLS \(viaTLS[$0] ?? [])" })")

        // Both requests carried the credentials inside TLS: /json/version, then the upgrade to wss,
        // on the host and port given (not the ws:// URL Chromium reported) with the token kept.
        let requests = gateway.requests
        #expect(requests.count == 2, "\(requests.map(\.target))")
        #expect(requests.first?.target == "/json/version?token=\(Self.token)")
        #expect(requests.last?.path.hasPrefix("/devtools/browser/") == true)
        #expect(requests.last?.query == "token=\(Self.token)")
        for request in requests {
            #expect(request.headers["X-Gateway-Key"] == Self.headerValue)
            #expect(request.headers["Host"] == "localhost:\(terminator.port)")
        }

        // Never on the console, never in a file.
        #expect(tlsRun.console.contains("attaching to https://localhost:\(terminator.port)?token=<redacted:"), "\(tlsRun.console)")
        #expect(tlsRun.console.contains("with header X-Gateway-Key"))
        for secret in [Self.token, Self.headerValue] {
            #expect(!tlsRun.console.contains(secret), "the console shows \(secret)")
            for file in files(under: overTLS) {
                let bytes = try Data(contentsOf: file)
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file.lastPathComponent) holds \(secret)")
            }
        }
    }

    @Test func aWrongCAOrAWrongHostNameOrNoCAExitsThreeAndSaysWhy() async throws {
        let chromium = try await DebuggingPortChromium.launch()
        defer { chromium.close() }
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let folder = try temporaryFolder("remote-tls-refused")
        defer { try? FileManager.default.removeItem(at: folder) }
        let terminator = try await TLSTerminator.start(
            forwardingTo: chromium.port, identity: try certificates.server("devtools", names: ["DNS:localhost"]), folder: certificates.folder)
        defer { terminator.stop() }
        let flow = Repository.aiToolkitFlows.appendingPathComponent("01-login.flow.json").path
        let common = ["run", flow, "--base-url", "http://127.0.0.1:9", "--output", folder.appendingPathComponent("out").path]

        let wrongCA = try await Self.discover(common + ["--connect", "https://localhost:\(terminator.port)", "--ca-file", certificates.otherCAFile], folder: folder)
        #expect(wrongCA.status == 3, "\(wrongCA.console)")
        #expect(wrongCA.console.contains("the TLS certificate of localhost:\(terminator.port) could not be verified: unable to get local issuer certificate"), "\(wrongCA.console)")

        let noCA = try await Self.discover(common + ["--connect", "wss://localhost:\(terminator.port)\(chromium.browserPath)"], folder: folder)
        #expect(noCA.status == 3, "\(noCA.console)")
        #expect(noCA.console.contains("could not be verified"), "\(noCA.console)")

        let wrongName = try await Self.discover(common + ["--connect", "https://127.0.0.1:\(terminator.port)", "--ca-file", certificates.caFile], folder: folder)
        #expect(wrongName.status == 3, "\(wrongName.console)")
        #expect(wrongName.console.contains("does not match the name 127.0.0.1"), "\(wrongName.console)")

        // --insecure attaches to the same name-mismatched server without its CA, and says loudly what it turned off.
        let replica = try await TestReplica.start(password: e2ePassword)
        let insecure = try await Self.discover(
            ["run", flow, "--base-url", replica.baseURL, "--output", folder.appendingPathComponent("insecure").path,
             "--connect", "https://127.0.0.1:\(terminator.port)", "--insecure"], folder: folder)
        await replica.stop()
        #expect(insecure.status == 0, "\(insecure.console)")
        #expect(insecure.console.contains("warning: --insecure: the browser endpoint's TLS certificate is NOT verified"), "\(insecure.console)")
    }
}
