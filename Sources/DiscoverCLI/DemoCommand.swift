import Browser
import Foundation
import Replica

/// The whole product on one machine: the bundled AI Toolkit replica on loopback, the AI Toolkit flows
/// against it in headless Chromium, and every output in `output/ai-toolkit/`.
struct DemoCommand: Command {
    static let name = "demo"
    static let summary = "Start the bundled AI Toolkit replica and run flows/ai-toolkit against it"
    static let usage = "discover demo [--until started|checkpoint|completed] [--ui-version 2026-08|2025-10] [options]"
    static let discussion = """
        Starts the replica on a free loopback port with a generated password (handed to the flows as
        AI_TOOLKIT_PASSWORD, and redacted from every output), runs flows/ai-toolkit, writes output/ai-toolkit/
        (report.html is the page to open first) and stops the replica. Installs Chromium with apt first when
        it is missing. Exit codes as for run.

        Examples:
          swift run discover demo
          swift run discover demo --ui-version 2025-10 --output output/ai-toolkit-2025-10
          swift run discover demo --baseline output/ai-toolkit-2025-10
        """
    static let options: [OptionSpec] =
        [
            .value("flows", "DIR", "The flows to run (default: flows/ai-toolkit)."),
            .value("ui-version", "V", "The replica's UI version: 2026-08 (default) or 2025-10."),
            .value("training-seconds", "S", "How long the replica's simulated training takes (default: 8)."),
            .value("latency", "MS[:JITTER]", "The replica answers MS milliseconds (± JITTER) late, as a pod behind the RunPod proxy does (default: 0)."),
        ] + browserOptions + flowOptions + captureOptions + reportOptions

    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode {
        guard arguments.positionals.isEmpty else {
            throw UsageError(message: "demo takes no positional arguments (did you mean 'discover run \(arguments.positionals[0])'?)", command: name)
        }
        let flows = try locateFlows(arguments.value("flows"))
        try await ensureBrowser(arguments, console: console)

        var replicaOptions = ReplicaOptions()
        // Owned, so that an interrupted demo removes it and the next one sweeps it after a SIGKILL.
        Browser.installSignalHandlers()
        OwnedTemporaryFolder.sweep(prefix: "discover-replica")
        let dataRoot: String
        do {
            dataRoot = try OwnedTemporaryFolder.make(prefix: "discover-replica")
        } catch {
            throw CommandFailure(code: .environment, message: "\(error)")
        }
        defer { OwnedTemporaryFolder.release(dataRoot) }
        replicaOptions.dataRoot = URL(fileURLWithPath: dataRoot)
        replicaOptions.password = generatedPassword()
        replicaOptions.uiVersion = arguments.value("ui-version") ?? replicaOptions.uiVersion
        replicaOptions.devMode = true
        replicaOptions.latency = try replicaLatency(arguments, command: name)
        if let text = arguments.value("training-seconds") {
            guard let value = Double(text), value > 0, value <= 86_400 else {
                throw UsageError(message: "--training-seconds takes a positive number of seconds, at most 86400", command: name)
            }
            replicaOptions.trainer.trainingDuration = .milliseconds(Int(value * 1000))
        }
        let replica: ReplicaServer
        do {
            replica = try await ReplicaServer.start(replicaOptions)
        } catch let error as ReplicaServer.OptionsError {
            throw UsageError(message: error.description, command: name)
        } catch {
            throw CommandFailure(code: .environment, message: "the replica could not start: \(error)")
        }
        console.step("AI Toolkit replica (UI \(replicaOptions.uiVersion)) on \(replica.baseURL)")

        var configuration = try RunConfiguration(flowsPath: flows, baseURL: replica.baseURL, arguments: arguments)
        if arguments.value("output") == nil, arguments.value("recapture") == nil { configuration.outputFolder = URL(fileURLWithPath: "output/ai-toolkit") }
        if arguments.value("app-name") == nil { configuration.appName = "ai-toolkit" }
        configuration.environment["AI_TOOLKIT_PASSWORD"] = replicaOptions.password
        do {
            let code = try await RunPipeline.run(configuration, console: console)
            await replica.stop()
            if code == .success { console.success("done: see \(configuration.outputFolder.path)/report.html (or report.md)") }
            return code
        } catch {
            await replica.stop()
            throw error
        }
    }

    /// `flows/ai-toolkit` from the working directory, else from the package this binary was built from.
    static func locateFlows(_ explicit: String?) throws -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        let candidates = [
            URL(fileURLWithPath: "flows/ai-toolkit"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("flows/ai-toolkit"),
        ]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw CommandFailure(code: .input, message: "flows/ai-toolkit not found (looked in \(candidates.map(\.path).joined(separator: ", "))); run from the repository root or pass --flows DIR")
        }
        return found
    }

    static func ensureBrowser(_ arguments: ParsedArguments, console: Console) async throws {
        guard arguments.value("connect") == nil, arguments.value("webdriver") == nil else { return }
        do {
            _ = try Browser.findExecutable(explicit: arguments.value("browser"), headless: !arguments.has("headed"))
        } catch {
            guard arguments.value("browser") == nil, FileManager.default.isExecutableFile(atPath: "/usr/bin/apt-get") else {
                throw CommandFailure(code: .environment, message: "\(error)")
            }
            console.step("no Chromium found: installing it with apt (discover install-browser)")
            _ = try await InstallBrowserCommand.run(ParsedArguments(), console: console)
        }
    }

    static func generatedPassword() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return "demo-" + String((0..<20).map { _ in alphabet.randomElement()! })
    }
}
