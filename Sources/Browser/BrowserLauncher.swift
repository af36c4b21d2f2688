import DevTools
import Durations
import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

extension Browser {
    /// Playwright's default switches: no background networking, throttling, first-run UI or
    /// component updates that would add noise to the recorded traffic.
    public static let defaultArguments = [
        "--disable-field-trial-config", "--disable-background-networking", "--disable-background-timer-throttling",
        "--disable-backgrounding-occluded-windows", "--disable-back-forward-cache", "--disable-breakpad",
        "--disable-client-side-phishing-detection", "--disable-component-extensions-with-background-pages",
        "--disable-component-update", "--no-default-browser-check", "--disable-default-apps", "--disable-dev-shm-usage",
        "--disable-extensions", "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider",
        "--allow-pre-commit-input", "--disable-hang-monitor", "--disable-ipc-flooding-protection",
        "--disable-popup-blocking", "--disable-prompt-on-repost", "--disable-renderer-backgrounding",
        "--force-color-profile=srgb", "--metrics-recording-only", "--no-first-run", "--password-store=basic",
        "--use-mock-keychain", "--no-service-autorun", "--disable-sync", "--hide-scrollbars", "--mute-audio",
        "--no-startup-window",
    ]

    public static func launch(_ options: LaunchOptions = .init()) async throws -> Browser {
        try await start(spawn(options), options)
    }

    /// Starts Chromium without speaking to it yet: `start(_:_:)` then connects. Split so a
    /// benchmark can drive the raw pipe first and the public API afterwards on the same browser.
    public static func spawn(_ options: LaunchOptions = .init()) throws -> LaunchedChromium {
        let executable = try findExecutable(explicit: options.executablePath, headless: options.headless)
        if !options.headless {
            let environment = ProcessInfo.processInfo.environment.merging(options.environment) { _, given in given }
            guard [environment["DISPLAY"], environment["WAYLAND_DISPLAY"]].contains(where: { !($0 ?? "").isEmpty }) else {
                throw BrowserLaunchError(message: "--headed needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set: run under a desktop session or xvfb-run, or leave out --headed")
            }
        }
        let folder = try makeTemporaryFolder()
        let profile = options.userDataDirectory ?? folder + "/profile"
        var arguments = defaultArguments + ["--user-data-dir=\(profile)"]
        if options.headless { arguments.append("--headless") }
        if geteuid() == 0 { arguments.append("--no-sandbox") }
        // The pipe is also a lifeline for a WebSocket launch: Chromium quits when it closes, so the
        // browser cannot outlive this process.
        arguments.append("--remote-debugging-pipe")
        if options.transport == .webSocket { arguments.append("--remote-debugging-port=0") }
        arguments += options.extraArguments
        do {
            let spawned = try ChromiumProcess.spawn(
                executable: executable, arguments: arguments, environment: options.environment, withPipe: true,
                temporaryFolder: folder, stderrLogPath: folder + "/stderr.log")
            BrowserRegistry.register(spawned.process)
            return LaunchedChromium(process: spawned.process, pipe: spawned.pipe!, profileDirectory: profile)
        } catch {
            OwnedTemporaryFolder.release(folder)
            throw error
        }
    }

    /// Connects to a spawned Chromium and turns on auto-attach. On failure the process is killed
    /// and the error carries the end of its stderr.
    public static func start(_ launched: LaunchedChromium, _ options: LaunchOptions = .init()) async throws -> Browser {
        let process = launched.process
        do {
            let transport: any DevToolsTransport
            switch options.transport {
            case .pipe:
                transport = PipeTransport(readDescriptor: launched.pipe.read, writeDescriptor: launched.pipe.write)
            case .webSocket:
                process.keepLifeline([launched.pipe.read, launched.pipe.write])
                let url = try await waitForActivePort(launched, timeout: .seconds(30))
                transport = try await WebSocketTransport.connect(url: url)
            }
            let connection = DevToolsConnection(transport: transport, defaultTimeout: options.commandTimeout)
            let browser = Browser(connection: connection, process: process, gracePeriod: options.closeGracePeriod, dialogs: options.dialogs, viewport: options.viewport)
            do {
                try await browser.startAutoAttach()
            } catch {
                await browser.close()
                throw BrowserLaunchError(message: "\(process.executable) did not start: \(error)\n\(process.stderrTail())")
            }
            return browser
        } catch {
            process.terminate(gracePeriod: .milliseconds(500))
            BrowserRegistry.unregister(process)
            throw error
        }
    }

    /// Chromium writes `DevToolsActivePort` once it listens; it may exit instead.
    private static func waitForActivePort(_ launched: LaunchedChromium, timeout: Duration) async throws -> String {
        let file = launched.profileDirectory + "/DevToolsActivePort"
        let deadline = Deadline(after: timeout)
        while true {
            if let url = try? DevToolsEndpoint.fromActivePortFile(file) { return url }
            if launched.process.hasExited() {
                throw BrowserLaunchError(message: "\(launched.executable) exited before opening its debugging port\n\(launched.process.stderrTail())")
            }
            if deadline.hasPassed {
                throw BrowserLaunchError(message: "\(launched.executable) wrote no \(file) within \(timeout)\n\(launched.process.stderrTail())")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Attaches to a running browser: `ws://` or `wss://host:port/devtools/browser/<id>`,
    /// `http(s)://host:port`, or a `DevToolsActivePort` file; `options` carry a gateway's headers and the
    /// TLS checks. Closing the result disconnects and leaves that browser running.
    public static func connect(
        to endpoint: String, options: ConnectOptions = ConnectOptions(), dialogs: DialogPolicy = .accept, viewport: Viewport? = .standard
    ) async throws -> Browser {
        let url = try await DevToolsEndpoint.resolve(endpoint, options: options)
        let transport = try await WebSocketTransport.connect(url: url, options: options)
        let browser = Browser(connection: DevToolsConnection(transport: transport), process: nil, gracePeriod: .seconds(2), dialogs: dialogs, viewport: viewport)
        do {
            try await browser.startAutoAttach()
        } catch {
            await browser.close()
            throw error
        }
        return browser
    }

    /// Sweeps the profiles of runs that died without cleaning up (SIGKILL) before making a new one.
    private static func makeTemporaryFolder() throws -> String {
        OwnedTemporaryFolder.sweep(prefix: "discover-chromium")
        return try OwnedTemporaryFolder.make(prefix: "discover-chromium")
    }
}
