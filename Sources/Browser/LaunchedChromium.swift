/// A Chromium process started by `Browser.spawn` that no connection drives yet.
public final class LaunchedChromium: Sendable {
    let process: ChromiumProcess
    /// Our ends of the DevTools pipe: read the browser's fd 4, write to its fd 3. `Browser.start`
    /// takes them over.
    public let pipe: (read: Int32, write: Int32)
    public let profileDirectory: String

    init(process: ChromiumProcess, pipe: (read: Int32, write: Int32), profileDirectory: String) {
        self.process = process
        self.pipe = pipe
        self.profileDirectory = profileDirectory
    }

    public var processIdentifier: Int32 { process.pid }
    public var executable: String { process.executable }
}
