import Foundation
import JSONCore
import Recording
import Testing
import TestSupport
import Wire
@testable import DiscoverCLI

/// The built `discover` binary, as a shell or a scheduled job calls it.
@Suite(.serialized) struct CommandLineTests {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func discover(_ arguments: [String], environment: [String: String] = [:]) async throws -> Outcome {
        try await onOwnThread { try runBlocking(arguments, environment: environment) }
    }

    static func runBlocking(_ arguments: [String], environment: [String: String]) throws -> Outcome {
        let process = Process()
        process.executableURL = try Repository.discoverBinary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.currentDirectoryURL = Repository.root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func validateNamesFileLineAndColumnAndExitsOneOnErrors() async throws {
        let folder = try temporaryFolder("validate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.flow.json")
        try "{\n  \"name\": \"broken\",\n  \"steps\": [\n    {\"clik\": \"text=Save\"}\n  ]\n}\n".write(to: broken, atomically: true, encoding: .utf8)
        let outcome = try await Self.discover(["validate", broken.path])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("broken.flow.json:4:6"), "got: \(outcome.stdout)")
        #expect(outcome.stdout.contains("did you mean 'click'") || outcome.stdout.contains("did you mean `click`") || outcome.stdout.contains("click"))

        let clean = try await Self.discover(["validate", Repository.aiToolkitFlows.path])
        #expect(clean.status == 0, "flows/ai-toolkit should validate: \(clean.stdout)")
    }

    @Test func usageErrorsExitTwoWithTheCommandsHelpPointer() async throws {
        let outcome = try await Self.discover(["run", "flows/ai-toolkit", "--base-ulr", "http://x"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("did you mean '--base-url'"))
        #expect(try await Self.discover(["diff", "only-one"]).status == 2)
        #expect(try await Self.discover(["--version"]).stdout.hasPrefix("discover "))
    }

    @Test func headedWithoutADisplayExitsThreeAndSaysWhatToDo() async throws {
        let folder = try temporaryFolder("headed")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await Self.discover(
            ["run", Repository.aiToolkitFlows.path, "--base-url", "http://127.0.0.1:9", "--headed", "--output", folder.path],
            environment: ["DISPLAY": "", "WAYLAND_DISPLAY": "", "AI_TOOLKIT_PASSWORD": "x"])
        #expect(outcome.status == 3)
        #expect(outcome.stderr.contains("--headed needs a display") && outcome.stderr.contains("xvfb-run"), "\(outcome.stderr)")
    }

    @Test func everyCommandAndOptionIsInTheREADME() async throws {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        for command in DiscoverCommand.commands {
            #expect(readme.contains("discover \(command.name)"), "README does not show `discover \(command.name)`")
            for option in command.options {
                #expect(readme.contains("--\(option.name)"), "README does not document --\(option.name) of \(command.name)")
            }
        }
    }

    @Test func generateAndDiffWorkFromFilesWithoutABrowser() async throws {
        let folder = try temporaryFolder("files")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A small capture written by the real writer: a JSON list and an item.
        let writer = try CaptureWriter(url: folder.appendingPathComponent("capture.jsonl"))
        try writer.append(.header(CaptureHeader(toolVersion: "test", startedAt: 1, baseURL: "http://127.0.0.1:1", flows: [], redacted: true)))
        for (index, id) in ["3f2b8c1e-0d6a-4b5e-9f1a-2c3d4e5f6a7b", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"].enumerated() {
            try writer.append(.exchange(Exchange(
                id: "e\(index)", method: "GET", url: "http://127.0.0.1:1/api/jobs/\(id)/log?offset=0", resourceType: "Fetch",
                startedAt: Double(index + 2), endedAt: Double(index + 2) + 0.01,
                response: Response(status: 200, headers: [Header(name: "Content-Type", value: "application/json")], mimeType: "application/json",
                                   body: Body(size: 30, mimeType: "application/json", text: #"{"log":"step 1","offset":6,"reset":false}"#)))))
        }
        try writer.append(.trailer(CaptureTrailer(complete: true, reason: nil, endedAt: 9, counts: [:])))
        try writer.close()

        let generated = try await Self.discover(["generate", folder.appendingPathComponent("capture.jsonl").path, "--app-name", "sample"])
        #expect(generated.status == 0, "\(generated.stderr)")
        for name in ["discovered-endpoints.json", "openapi.json", "sample-client.generated.ts", "report.md", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "missing \(name)")
        }
        let endpoints = try readJSON(folder.appendingPathComponent("discovered-endpoints.json"))["endpoints"]?.arrayValue ?? []
        #expect(endpoints.compactMap { $0["path"]?.stringValue }.contains { $0.hasPrefix("/api/jobs/{") && $0.hasSuffix("}/log") })

        let same = try await Self.discover(["diff", folder.path, folder.appendingPathComponent("discovered-endpoints.json").path])
        #expect(same.status == 0)
        #expect(same.stdout.contains("No changes"))

        // The same API without its only endpoint: a breaking change.
        var api = try readJSON(folder.appendingPathComponent("discovered-endpoints.json")).objectValue ?? [:]
        api["endpoints"] = .array([])
        let emptied = folder.appendingPathComponent("emptied.json")
        try JSON.object(api).serialized(.pretty).write(to: emptied, atomically: true, encoding: .utf8)
        let breaking = try await Self.discover(["diff", folder.path, emptied.path, "--json"])
        #expect(breaking.status == 2)
        #expect(try JSON.parse(breaking.stdout)["breaking"] == .bool(true))
        #expect(try await Self.discover(["diff", folder.path, emptied.path, "--fail-on", "none"]).status == 0)
        #expect(try await Self.discover(["diff", folder.path, folder.appendingPathComponent("missing.json").path]).status == 4)
    }

    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func interruptingARunClosesTheBrowserWritesTheCaptureAndLeavesNothing(signal: Int32) async throws {
        let replica = try await TestReplica.start(password: e2ePassword)
        let folder = try temporaryFolder("interrupt")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out")
        let run = try SlowRun.start(in: folder, baseURL: replica.baseURL, output: output)
        let process = run.process
        let capture = output.appendingPathComponent("capture.jsonl")
        // Interrupt once the page has made its first requests.
        #expect(await run.recording())
        let browsers = childProcesses(of: process.processIdentifier)
        #expect(!browsers.isEmpty, "the run should have a browser")
        let profiles = ownedTemporaryFolders(of: process.processIdentifier)
        #expect(!profiles.isEmpty, "the run should own a temporary profile")
        kill(process.processIdentifier, signal)
        let exited = await ProcessTable.waitUntil(.seconds(15)) { !process.isRunning }
        await replica.stop()
        #expect(exited)
        if exited { #expect(process.terminationStatus == 128 + signal) }
        let leftovers = await ProcessTable.waitUntil(.seconds(5)) { browsers.allSatisfy { !ProcessTable.isAlive($0) } }
        #expect(leftovers, "a browser process outlived discover")
        #expect(profiles.allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "left behind: \(profiles)")
        let file = try CaptureFile.read(capture)
        #expect(!file.isComplete)
        let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "SIGHUP"
        #expect(file.trailer?.reason?.hasPrefix("interrupted by \(name)") == true, "\(String(describing: file.trailer?.reason))")
        #expect(file.exchanges.contains { $0.url.contains("/dashboard") })
        // Written whole after the interrupt: the HAR and the endpoints parse.
        _ = try readJSON(output.appendingPathComponent("capture.har"))
        _ = try readJSON(output.appendingPathComponent("discovered-endpoints.json"))
    }

    @Test func runRefusesAFlowWithErrorsListingEveryOneAsValidateDoes() async throws {
        let folder = try temporaryFolder("refuse")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flow = folder.appendingPathComponent("three.flow.json")
        let text = """
            {
              "name": "three",
              "steps": [
                {"clik": "text=Go"},
                {"fill": "css=input"},
                {"click": "txt=Save"}
              ]
            }
            """
        try text.write(to: flow, atomically: true, encoding: .utf8)
        let validate = try await Self.discover(["validate", flow.path])
        #expect(validate.status == 1)
        let errors = validate.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.map { $0.prefix(while: { $0 != " " }) } == ["\(flow.path):4:6:", "\(flow.path):5:6:", "\(flow.path):6:15:"], "\(validate.stdout)")

        let output = folder.appendingPathComponent("out")
        let run = try await Self.discover(["run", flow.path, "--base-url", "http://127.0.0.1:9", "--output", output.path])
        #expect(run.status == 4, "\(run.stderr)")
        #expect(run.stderr.contains("3 errors in the flows; nothing ran"), "\(run.stderr)")
        for error in errors { #expect(run.stderr.contains(error), "run does not say \(error): \(run.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("capture.jsonl").path))
    }

    @Test func aRunThatCannotStartLeavesThePreviousRunsOutputsAlone() async throws {
        let folder = try temporaryFolder("keep-previous")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let previous = #"{"endpoints": [], "appName": "earlier"}"#
        try previous.write(to: output.appendingPathComponent("discovered-endpoints.json"), atomically: true, encoding: .utf8)
        try "earlier capture\n".write(to: output.appendingPathComponent("capture.jsonl"), atomically: true, encoding: .utf8)
        let flow = folder.appendingPathComponent("a.flow.json")
        try #"{"name": "a", "steps": [{"goto": "/"}]}"#.write(to: flow, atomically: true, encoding: .utf8)
        let outcome = try await Self.discover(["run", flow.path, "--base-url", "http://127.0.0.1:9", "--output", output.path, "--browser", "/no/such/chromium"])
        #expect(outcome.status == 3, "\(outcome.stderr)")
        #expect(try String(contentsOf: output.appendingPathComponent("discovered-endpoints.json"), encoding: .utf8) == previous)
        #expect(try String(contentsOf: output.appendingPathComponent("capture.jsonl"), encoding: .utf8) == "earlier capture\n")
    }

    @Test func aRunKilledHalfwayLeavesTheLastRunInPlaceAndTheNextRunSwapsIn() async throws {
        let replica = try await TestReplica.start(password: e2ePassword)
        let folder = try temporaryFolder("swap")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let earlier = #"{"endpoints": [], "appName": "earlier"}"#
        try earlier.write(to: output.appendingPathComponent("discovered-endpoints.json"), atomically: true, encoding: .utf8)
        let run = try SlowRun.start(in: folder, baseURL: replica.baseURL, output: output)
        let process = run.process
        #expect(await run.recording(), "the run writes into its staging folder")
        kill(process.processIdentifier, SIGKILL)
        _ = await ProcessTable.waitUntil(.seconds(10)) { !process.isRunning }
        #expect(try String(contentsOf: output.appendingPathComponent("discovered-endpoints.json"), encoding: .utf8) == earlier)
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("capture.jsonl").path))

        let quick = folder.appendingPathComponent("quick.flow.json")
        try #"{"name": "quick", "steps": [{"goto": "/dashboard"}]}"#.write(to: quick, atomically: true, encoding: .utf8)
        let next = try await Self.discover(["run", quick.path, "--base-url", replica.baseURL, "--output", output.path])
        await replica.stop()
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try readJSON(output.appendingPathComponent("discovered-endpoints.json"))["appName"]?.stringValue != "earlier")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("capture.jsonl").path))
        let left = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasPrefix(".run-") }
        #expect(left.isEmpty, "the killed run's staging folder is swept and the new one swapped in: \(left)")
    }

    @Test func anUnreachableAppIsAnEnvironmentErrorNamingTheRefusedConnection() async throws {
        let folder = try temporaryFolder("unreachable")
        defer { try? FileManager.default.removeItem(at: folder) }
        let flow = folder.appendingPathComponent("a.flow.json")
        try #"{"name": "a", "steps": [{"goto": "/"}]}"#.write(to: flow, atomically: true, encoding: .utf8)
        // A port the kernel just handed out and that nothing listens on any more.
        let listener = try Socket.listen()
        let port = listener.localPort
        listener.close()
        let outcome = try await Self.discover(["run", flow.path, "--base-url", "http://127.0.0.1:\(port)", "--output", folder.appendingPathComponent("out").path])
        #expect(outcome.status == 3, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("ERR_CONNECTION_REFUSED"), "\(outcome.stderr)")
    }

    @Test func generateAndDiffRefuseFilesThatAreNotWhatTheyShouldBe() async throws {
        let folder = try temporaryFolder("not-inputs")
        defer { try? FileManager.default.removeItem(at: folder) }
        let random = folder.appendingPathComponent("capture.jsonl")
        var generator = SystemRandomNumberGenerator()
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: random)
        let other = folder.appendingPathComponent("other.json")
        try #"{"a": 1}"#.write(to: other, atomically: true, encoding: .utf8)
        for input in [random, other] {
            let generated = try await Self.discover(["generate", input.path, "--output", folder.appendingPathComponent("gen").path])
            #expect(generated.status == 4, "\(input.lastPathComponent): \(generated.stderr)")
            #expect(!generated.stderr.contains("NSCocoaErrorDomain"))
            #expect(try await Self.discover(["diff", input.path, input.path]).status == 4)
        }
    }

    @Test func aMissingBaselineFailsBeforeTheRunReplacesAnything() async throws {
        let folder = try temporaryFolder("bad-baseline")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try "earlier\n".write(to: output.appendingPathComponent("capture.jsonl"), atomically: true, encoding: .utf8)
        let flow = folder.appendingPathComponent("a.flow.json")
        try #"{"name": "a", "steps": [{"goto": "/"}]}"#.write(to: flow, atomically: true, encoding: .utf8)
        let started = ContinuousClock.now
        let outcome = try await Self.discover([
            "run", flow.path, "--base-url", "http://127.0.0.1:1", "--output", output.path, "--baseline", folder.appendingPathComponent("nope").path,
        ])
        #expect(outcome.status == 4, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("nope: no such file or folder"), "\(outcome.stderr)")
        #expect(try String(contentsOf: output.appendingPathComponent("capture.jsonl"), encoding: .utf8) == "earlier\n")
        #expect(ContinuousClock.now - started < .seconds(20), "no browser should have been started")
    }

    @Test func generateRefusesAFIFOInsteadOfBlockingOnIt() async throws {
        let folder = try temporaryFolder("fifo")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("capture.jsonl")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let outcome = try await Self.discover(["generate", fifo.path, "--output", folder.appendingPathComponent("gen").path])
        #expect(outcome.status == 4, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("not a regular file"), "\(outcome.stderr)")
    }

    /// The temporary folders (`.discover-owner` names the pid) a process owns.
    func ownedTemporaryFolders(of pid: Int32) -> [String] {
        let root = NSTemporaryDirectory()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { $0.hasPrefix("discover-") }.map { (root as NSString).appendingPathComponent($0) }.filter { path in
            let owner = (try? String(contentsOfFile: path + "/.discover-owner", encoding: .utf8)) ?? ""
            return owner.split(separator: " ").first == Substring(String(pid))
        }
    }

    /// Direct children of a process, from /proc.
    func childProcesses(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == parent
        }
    }
}
