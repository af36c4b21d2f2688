import Browser
@preconcurrency import Glibc
import Foundation
import Replica

/// Runs the AI Toolkit replica in the foreground, for trying flows by hand or pointing `discover run` at.
struct ReplicaCommand: Command {
    static let name = "replica"
    static let summary = "Run the AI Toolkit replica in the foreground"
    static let usage = "discover replica [--port N] [--password P] [--ui-version 2026-08|2025-10] [--data DIR] [--production] [--allow-host NAME]..."
    static let discussion = """
        Serves the replica's UI and API on 127.0.0.1 until interrupted. The password is --password, else the
        AI_TOOLKIT_AUTH environment variable (as on the real app); with neither, auth is off. Without --data the
        datasets and training output live in a temporary folder that is removed on exit; job and dataset names,
        file paths and the settings' folders are kept inside that data folder.

        Requests must address the replica as localhost, 127.0.0.1 or [::1] (Host, and Origin when sent); any
        other name gets 403, so a web page cannot reach it by rebinding its own name to 127.0.0.1. Behind a
        proxy, name the proxy's host with --allow-host.

        Example:
          discover replica --port 8675 --password secret &
          AI_TOOLKIT_PASSWORD=secret discover run flows/ai-toolkit --base-url http://127.0.0.1:8675
        """
    static let options: [OptionSpec] = [
        .value("port", "N", "The port on 127.0.0.1 (default: any free port, printed on start)."),
        .value("password", "P", "The password the UI asks for (default: $AI_TOOLKIT_AUTH; none: auth off)."),
        .value("ui-version", "V", "2026-08 (current, default) or 2025-10 (polls /api/gpu, older wire formats)."),
        .value("data", "DIR", "Keep datasets and training output in DIR."),
        .flag("production", "No hot-reload WebSocket at /_next/webpack-hmr (as `npm run start`; default is dev mode)."),
        .value("training-seconds", "S", "How long a simulated training run takes (default: 8)."),
        .value("allow-host", "NAME", "Also accept this host name in Host and Origin (behind a proxy).", repeatable: true),
        .flag("no-gpu", "Report no GPU (as a pod without one): /jobs/new stays at Loading..."),
        .value("latency", "MS[:JITTER]", "Delay each answer by MS milliseconds (± JITTER), half on the way in and half on the way out, as a RunPod proxy does (default: 0)."),
    ]

    static func replicaOptions(_ arguments: ParsedArguments) throws -> ReplicaOptions {
        var options = ReplicaOptions()
        if let port = arguments.value("port") {
            guard let value = UInt16(port) else { throw UsageError(message: "--port takes a number from 0 to 65535, not '\(port)'", command: name) }
            options.port = value
        }
        options.password = arguments.value("password") ?? ProcessInfo.processInfo.environment["AI_TOOLKIT_AUTH"]
        if let version = arguments.value("ui-version") { options.uiVersion = version }
        if let data = arguments.value("data") { options.dataRoot = URL(fileURLWithPath: data) }
        options.devMode = !arguments.has("production")
        options.allowedHosts = arguments.all("allow-host")
        options.latency = try replicaLatency(arguments, command: name)
        options.hasGPU = !arguments.has("no-gpu")
        if let text = arguments.value("training-seconds") {
            guard let value = Double(text), value > 0, value <= 86_400 else {
                throw UsageError(message: "--training-seconds takes a positive number of seconds, at most 86400", command: name)
            }
            options.trainer.trainingDuration = .milliseconds(Int(value * 1000))
        }
        return options
    }

    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode {
        var options = try replicaOptions(arguments)
        // A data folder of our own is removed when the replica stops, and swept by a later start when
        // this process was killed before it could remove it.
        var ownedDataRoot: String?
        if options.dataRoot == nil {
            OwnedTemporaryFolder.sweep(prefix: "discover-replica")
            do {
                ownedDataRoot = try OwnedTemporaryFolder.make(prefix: "discover-replica")
            } catch {
                throw CommandFailure(code: .environment, message: "\(error)")
            }
            options.dataRoot = ownedDataRoot.map { URL(fileURLWithPath: $0) }
        }
        defer { ownedDataRoot.map(OwnedTemporaryFolder.release) }
        let server: ReplicaServer
        do {
            server = try await ReplicaServer.start(options)
        } catch let error as ReplicaServer.OptionsError {
            throw UsageError(message: error.description, command: name)
        } catch {
            throw CommandFailure(code: .environment, message: "the replica could not start: \(error)")
        }
        console.success("AI Toolkit replica (UI \(options.uiVersion)\(options.devMode ? ", dev mode" : "")) on \(server.baseURL)")
        console.info(options.password == nil ? "auth: off" : "auth: on (password from --password or AI_TOOLKIT_AUTH)")
        console.info("data: \(server.dataRoot.path)")
        console.info("Press Ctrl-C to stop.")
        await waitForInterrupt()
        console.info("stopping")
        await server.stop()
        return .success
    }
}

/// Suspends until SIGINT, SIGTERM or SIGHUP arrives.
func waitForInterrupt() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumer = InterruptResumer(continuation)
        resumer.start()
    }
}

private final class InterruptResumer: @unchecked Sendable {
    // Dispatch sources are thread-safe; the lock keeps the continuation from resuming twice.
    private let continuation: CheckedContinuation<Void, Never>
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var resumed = false

    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }

    func start() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: makeHandler())
            source.resume()
            sources.append(source)
        }
    }

    private func makeHandler() -> @Sendable () -> Void {
        { [self] in
            lock.lock()
            defer { lock.unlock() }
            guard !resumed else { return }
            resumed = true
            for source in sources { source.cancel() }
            continuation.resume()
        }
    }
}

/// `--latency MS[:JITTER]` of `replica` and `demo`.
func replicaLatency(_ arguments: ParsedArguments, command: String) throws -> NetworkLatency {
    guard let text = arguments.value("latency") else { return .none }
    guard let latency = NetworkLatency(parsing: text) else {
        throw UsageError(message: "--latency takes MS or MS:JITTER in whole milliseconds (jitter at most MS, MS at most 60000), such as 300:150, not '\(text)'", command: command)
    }
    return latency
}
