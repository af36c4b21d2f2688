/// The replica's browser UI: plain HTML, CSS and JavaScript in files of their own (`js/`, `css/`,
/// `html/`), compiled into the binary (`UIParts`).
///
/// One script serves both UI versions; the version and dev-mode flags are written into its first line,
/// and every difference between versions (monitor stream vs. `/api/gpu` polling, what each page asks
/// for and how often, upload batching, `listImages` and `/log` shapes, labels) is a branch on
/// `UI_VERSION` inside the script.
public enum ReplicaUI {
    /// The UI version served when none is chosen.
    public static let currentVersion = "2026-08"
    /// Every UI version the replica can serve, newest first: `2026-08` follows ostris/ai-toolkit at
    /// 27a03a91f23eb1b757d5ec2e80ee3e129cfcc350 (2026-08-21, 0.12.26), `2025-10` at
    /// c984369294d9f5c5318e727da2fc203eaf6f373e (2025-10-30, 0.7.2).
    public static let versions = ["2026-08", "2025-10"]

    /// Static assets (e.g. /static/app.js, /static/app.css, /favicon.ico); nil for anything else.
    public static func asset(path: String, uiVersion: String, devMode: Bool) -> (contentType: String, body: String)? {
        let bare = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        switch bare {
        case "/static/app.js":
            return ("application/javascript; charset=utf-8", script(uiVersion: uiVersion, devMode: devMode))
        case "/static/app.css":
            return ("text/css; charset=utf-8", UIParts.styles + "\n" + UIParts.layout)
        case "/favicon.ico":
            return ("image/svg+xml", UIParts.favicon)
        default:
            return nil
        }
    }

    /// The page served for every page route (/dashboard, /datasets, /jobs/new, ...); the script routes.
    /// With a password set, the real server renders AuthWrapper's login form into every page (its
    /// `isAuthorizedState` starts false), so the form shows after each page load until the script has
    /// had `GET /api/auth` answer; the replica's page carries the same form. Without one it renders the
    /// app, which the replica's script draws.
    public static func pageHTML(uiVersion: String, devMode: Bool, authRequired: Bool) -> String {
        UIParts.shell.replacing("<!--server-rendered-->", with: authRequired ? UIParts.login : "")
    }

    static func script(uiVersion: String, devMode: Bool) -> String {
        let version = versions.contains(uiVersion) ? uiVersion : currentVersion
        let flags = "const UI_VERSION = \"\(version)\"; const DEV_MODE = \(devMode);\n"
        let parts = UIParts.script.map { UIParts.text($0.bytes) }
        return "(() => {\n'use strict';\n" + flags + parts.joined(separator: "\n") + "\n})();\n"
    }
}
