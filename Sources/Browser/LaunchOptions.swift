public enum TransportKind: String, Sendable {
    /// `--remote-debugging-pipe`: no port is opened, nothing else on the machine can drive the browser.
    case pipe
    /// `--remote-debugging-port=0` and the WebSocket from `DevToolsActivePort`.
    case webSocket
}

/// What happens to `alert`, `confirm`, `prompt` and `beforeunload` dialogs of pages.
public enum DialogPolicy: Sendable {
    /// OK / leave the page; a prompt gets its default text.
    case accept
    /// Cancel / stay on the page.
    case dismiss
    /// Left open for the caller (`Page.javascriptDialogOpening`); evaluates block until it is answered.
    case leave

    var accepts: Bool? {
        switch self {
        case .accept: true
        case .dismiss: false
        case .leave: nil
        }
    }
}

public struct LaunchOptions: Sendable {
    /// Else `CHROME_PATH`, then the search list of `Browser.findExecutable`.
    public var executablePath: String?
    /// false shows windows: that needs the full Chromium (the headless shell has no windows) and a
    /// display (`DISPLAY` or `WAYLAND_DISPLAY`, here or in `environment`).
    public var headless: Bool
    public var transport: TransportKind
    public var extraArguments: [String]
    /// nil: a fresh temporary profile, removed on close.
    public var userDataDirectory: String?
    /// How long `Browser.close()` waits for a clean exit before SIGTERM, then again before SIGKILL.
    public var closeGracePeriod: Duration
    /// Default per-command timeout of the connection.
    public var commandTimeout: Duration
    public var dialogs: DialogPolicy
    /// Every page and popup lays out at this size; nil leaves the browser's window size (800×600 headless).
    public var viewport: Viewport? = .standard
    /// Variables for the browser on top of this process's environment (`DISPLAY` for a headed run).
    public var environment: [String: String] = [:]

    public init(
        executablePath: String? = nil, headless: Bool = true, transport: TransportKind = .pipe,
        extraArguments: [String] = [], userDataDirectory: String? = nil,
        closeGracePeriod: Duration = .seconds(2), commandTimeout: Duration = .seconds(60), dialogs: DialogPolicy = .accept
    ) {
        self.dialogs = dialogs
        self.executablePath = executablePath
        self.headless = headless
        self.transport = transport
        self.extraArguments = extraArguments
        self.userDataDirectory = userDataDirectory
        self.closeGracePeriod = closeGracePeriod
        self.commandTimeout = commandTimeout
    }
}
