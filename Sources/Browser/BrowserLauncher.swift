import DevTools
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
        let executable = try findExecutable(explicit: options.executablePath)
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

        let spawned: ChromiumProcess.Spawned
        do {
            spawned = try ChromiumProcess.spawn(
                executable: executable, arguments: arguments, withPipe: true,
                temporaryFolder: folder, stderrLogPath: folder + "/stderr.log")
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        let process = spawned.process
        BrowserRegistry.register(process)
        let pipe = spawned.pipe!
        do {
            let transport: any DevToolsTransport
            switch options.transport {
            case .pipe:
                transport = PipeTransport(readDescriptor: pipe.read, writeDescriptor: pipe.write)
            case .webSocket:
                throw BrowserLaunchError(message: "the WebSocket transport is not available in this build yet")
            }
            let connection = DevToolsConnection(transport: transport, defaultTimeout: options.commandTimeout)
            let browser = Browser(connection: connection, process: process, gracePeriod: options.closeGracePeriod)
            do {
                try await browser.startAutoAttach()
            } catch {
                await browser.close()
                throw BrowserLaunchError(message: "\(executable) did not start: \(error)\n\(process.stderrTail())")
            }
            return browser
        } catch let error as BrowserLaunchError {
            process.terminate(gracePeriod: .milliseconds(500))
            BrowserRegistry.unregister(process)
            throw error
        }
    }

    private static func makeTemporaryFolder() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/discover-chromium-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw BrowserLaunchError(message: "cannot create a temporary profile folder: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }
}
