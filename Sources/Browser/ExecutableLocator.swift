import Foundation

public struct BrowserNotFoundError: Error, Sendable, CustomStringConvertible {
    public let searched: [String]

    public var description: String {
        """
        No Chromium found (looked for: \(searched.joined(separator: ", "))).
        Install it with `discover install-browser`, or on Debian/Ubuntu: apt-get install -y chromium chromium-headless-shell
        or point CHROME_PATH (or --browser) at a Chromium or Chrome executable.
        """
    }
}

extension Browser {
    /// Search order after an explicit path and CHROME_PATH: the headless shell first (fastest start).
    public static let executableSearchList = [
        "chromium-headless-shell", "/usr/lib/chromium/chromium", "chromium", "google-chrome", "google-chrome-stable",
    ]

    /// Debian's `/usr/bin/chromium*` are shell wrappers; the real binaries live here and are what we spawn.
    private static let wrapperTargets = [
        "/usr/bin/chromium-headless-shell": "/usr/lib/chromium/chromium-headless-shell",
        "/usr/bin/chromium": "/usr/lib/chromium/chromium",
    ]

    /// `headless: false` passes over the headless shell, which cannot show a window, and refuses it when named.
    public static func findExecutable(explicit: String?, headless: Bool = true) throws -> String {
        var searched: [String] = []
        for candidate in [explicit, ProcessInfo.processInfo.environment["CHROME_PATH"]].compactMap({ $0 }) where !candidate.isEmpty {
            if let found = resolve(candidate) {
                if !headless, isHeadlessShell(found) {
                    throw BrowserLaunchError(message: "\(found) is the headless shell, which cannot show a window: for --headed, name the full Chromium (/usr/lib/chromium/chromium) or Chrome")
                }
                return found
            }
            // A path the user named must exist: falling back silently would run another browser.
            throw BrowserNotFoundError(searched: [candidate])
        }
        for candidate in executableSearchList where headless || !isHeadlessShell(candidate) {
            searched.append(candidate)
            if let found = resolve(candidate) { return found }
        }
        throw BrowserNotFoundError(searched: searched)
    }

    static func isHeadlessShell(_ path: String) -> Bool {
        URL(fileURLWithPath: path).lastPathComponent.hasPrefix("chromium-headless-shell") || URL(fileURLWithPath: path).lastPathComponent == "headless_shell"
    }

    private static func resolve(_ name: String) -> String? {
        let manager = FileManager.default
        var paths: [String] = []
        if name.contains("/") {
            paths = [name]
        } else {
            let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
            paths = searchPath.split(separator: ":").map { "\($0)/\(name)" }
        }
        for path in paths where manager.isExecutableFile(atPath: path) {
            let real = (path as NSString).resolvingSymlinksInPath
            if let target = wrapperTargets[real] ?? wrapperTargets[path], manager.isExecutableFile(atPath: target) {
                return target
            }
            return path
        }
        return nil
    }
}
