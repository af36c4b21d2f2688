import Foundation

/// Installs Chromium the way `playwright install --with-deps` does on Debian and Ubuntu: from the
/// distribution's packages, so it receives security updates with the rest of the system.
struct InstallBrowserCommand: Command {
    static let name = "install-browser"
    static let summary = "Install Chromium with apt (Debian/Ubuntu); elsewhere, say what to install"
    static let usage = "discover install-browser [--dry-run]"
    static let discussion = """
        Installs the Debian packages chromium and chromium-headless-shell (as root, or through sudo). On a
        system without apt it prints what to install and exits 3. Does nothing when both are present.
        """
    static let options: [OptionSpec] = [.flag("dry-run", "Print the commands instead of running them.")]

    static let packages = ["chromium", "chromium-headless-shell"]
    static let installCommand = "apt-get update && apt-get install -y chromium chromium-headless-shell"

    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode {
        let present = ["/usr/lib/chromium/chromium", "/usr/bin/chromium-headless-shell"].filter { FileManager.default.isExecutableFile(atPath: $0) }
        if present.count == 2 {
            console.success("Chromium is installed: \(present.joined(separator: ", "))")
            return .success
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/apt-get") else {
            throw CommandFailure(code: .environment, message: """
                no apt-get on this system. Install Chromium or Google Chrome with your package manager, then point \
                discover at it with --browser PATH or CHROME_PATH. On Debian or Ubuntu: \(installCommand)
                """)
        }
        let asRoot = geteuid() == 0
        let prefix = asRoot ? [] : ["sudo"]
        let steps = [prefix + ["apt-get", "update"], prefix + ["apt-get", "install", "-y"] + packages]
        for step in steps {
            console.step(step.joined(separator: " "))
            if arguments.has("dry-run") { continue }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = step
            var environment = ProcessInfo.processInfo.environment
            environment["DEBIAN_FRONTEND"] = "noninteractive"
            process.environment = environment
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw CommandFailure(code: .environment, message: "'\(step.joined(separator: " "))' exited with \(process.terminationStatus)")
            }
        }
        if !arguments.has("dry-run") { console.success("Chromium installed.") }
        return .success
    }
}
