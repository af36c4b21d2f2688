import Browser
import DevTools
import Foundation
import Durations

/// A smoke test of the machine: finds and launches the browser, prints its version, the launch time and
/// the DevTools round-trip time, and closes it again.
struct DoctorCommand: Command {
    static let name = "doctor"
    static let summary = "Launch the browser, print its version and the DevTools round-trip time"
    static let usage = "discover doctor [--browser PATH] [--transport pipe|websocket] [--round-trips N] [--base-url URL]"
    static let discussion = """
        Exit 0 when the browser works, 3 when it is missing or does not start. With --base-url, checks an
        AI Toolkit pod instead, in a few seconds: reachable, auth on, AI_TOOLKIT_PASSWORD accepted, a GPU
        visible, the UI version, the network's round trip; each problem with what to do about it. Exit 0
        when a run can start, 3 when not.
        """
    static let options: [OptionSpec] = [
        browserOptions[0], browserOptions[2],
        .value("round-trips", "N", "How many sequential Runtime.evaluate calls to time (default: 500)."),
        .value("base-url", "URL", "Check the AI Toolkit at URL for a run (password from AI_TOOLKIT_PASSWORD) instead of timing the browser."),
    ]

    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode {
        let options = try launchOptions(arguments)
        if let baseURL = arguments.value("base-url") {
            return try await preflight(baseURL, options: options)
        }
        let executable: String
        do {
            executable = try Browser.findExecutable(explicit: options.executablePath, headless: options.headless)
        } catch {
            throw CommandFailure(code: .environment, message: "\(error)")
        }
        guard let count = Int(arguments.value("round-trips") ?? "500"), count > 0 else {
            throw UsageError(message: "--round-trips takes a positive whole number", command: name)
        }
        Browser.installSignalHandlers()
        let clock = ContinuousClock()
        let launchStart = clock.now
        let browser: Browser
        do {
            browser = try await Browser.launch(options)
        } catch {
            throw CommandFailure(code: .environment, message: "the browser at \(executable) did not start: \(error)")
        }
        do {
            let version = try await browser.version()
            let launchTime = clock.now - launchStart
            let page = try await browser.newPage()
            let roundTripsStart = clock.now
            for _ in 0..<count { _ = try await page.evaluate("1+1", awaitPromise: false) }
            let perCall = (clock.now - roundTripsStart) / count
            await browser.close()
            print("browser:     \(executable)")
            print("version:     \(version.product) (protocol \(version.protocolVersion))")
            print("transport:   \(options.transport.rawValue)")
            print("launch:      \(milliseconds(launchTime)) ms (spawn to first reply)")
            print("round trip:  \(microseconds(perCall)) µs per Runtime.evaluate (\(Int(1 / seconds(perCall))) per second, \(count) calls)")
            return .success
        } catch {
            await browser.close()
            throw CommandFailure(code: .environment, message: "the browser started but failed: \(error)")
        }
    }
}

extension DoctorCommand {
    static func preflight(_ baseURL: String, options: LaunchOptions) async throws -> ExitCode {
        guard let url = URL(string: baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw UsageError(message: "--base-url takes an http:// or https:// URL, not '\(baseURL)'", command: name)
        }
        Browser.installSignalHandlers()
        let browser: Browser
        do {
            browser = try await Browser.launch(options)
        } catch {
            throw CommandFailure(code: .environment, message: "the browser did not start: \(error)")
        }
        let password = ProcessInfo.processInfo.environment["AI_TOOLKIT_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let findings: [PodPreflight.Finding]
        do {
            let page = try await browser.newPage()
            findings = await PodPreflight(baseURL: baseURL, password: password, timeout: .seconds(20)).run(on: page)
        } catch {
            await browser.close()
            throw CommandFailure(code: .environment, message: "the browser started but failed: \(error)")
        }
        await browser.close()
        for finding in findings {
            let line = "\(finding.ok ? "ok     " : "PROBLEM") \(finding.subject): \(finding.detail)"
            // The password is never printed; a pod's answer could echo it.
            print(password.map { line.replacingOccurrences(of: $0, with: "<redacted:AI_TOOLKIT_PASSWORD>") } ?? line)
        }
        let problems = findings.filter { !$0.ok }.count
        print(problems == 0 ? "ready for a run" : "\(problems) problem\(problems == 1 ? "" : "s"): a run would fail")
        return problems == 0 ? .success : .environment
    }
}

func launchOptions(_ arguments: ParsedArguments) throws -> LaunchOptions {
    var options = LaunchOptions()
    options.executablePath = arguments.value("browser")
    options.headless = !arguments.has("headed")
    if let transport = arguments.value("transport") {
        switch transport {
        case "pipe": options.transport = .pipe
        case "websocket", "ws": options.transport = .webSocket
        default: throw UsageError(message: "--transport is pipe or websocket, not '\(transport)'", command: nil)
        }
    }
    if let size = arguments.value("viewport") {
        guard let viewport = Viewport(parsing: size) else {
            throw UsageError(message: "--viewport takes WIDTHxHEIGHT in CSS pixels, each 1 to \(Viewport.largestSide), such as 1280x720, not '\(size)'", command: nil)
        }
        options.viewport = viewport
    }
    return options
}

func seconds(_ duration: Duration) -> Double {
    duration.inSeconds
}

func milliseconds(_ duration: Duration) -> Int { Int(seconds(duration) * 1000) }
func microseconds(_ duration: Duration) -> Int { Int(seconds(duration) * 1_000_000) }
