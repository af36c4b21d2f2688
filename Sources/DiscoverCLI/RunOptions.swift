/// Options shared by `run` and `demo`: how to drive the browser and what to record.
let browserOptions: [OptionSpec] = [
    .value("browser", "PATH", "The Chromium or Chrome executable (default: CHROME_PATH, then chromium-headless-shell, chromium, google-chrome)."),
    .flag("headed", "Show the browser window: the full Chromium, on DISPLAY or WAYLAND_DISPLAY (xvfb-run on a server)."),
    .value("transport", "pipe|websocket", "How to talk to a launched browser (default: pipe)."),
    .value("viewport", "WxH", "The size every page lays out at, in CSS pixels (default: 1280x720, as in Playwright; headless Chromium's own 800x600 collapses real apps' layouts). A setViewport step changes it from that step on."),
    .value("connect", "ENDPOINT", "Attach to a running browser instead: ws:// or wss://host:port/devtools/browser/<id>, http:// or https://host:port (asks /json/version; a ?token=... query is kept and sent on), or a DevToolsActivePort file. TLS certificates are verified against the system's CA store."),
    .value("connect-header", "'NAME: VALUE'", "With --connect: send this header on the /json/version request and the WebSocket upgrade (a gateway's credentials). Its value is never printed and is redacted from the outputs.", repeatable: true),
    .value("ca-file", "PATH", "With --connect to https:// or wss://: also trust the CA certificates in this PEM file (a private CA)."),
    .flag("insecure", "With --connect to https:// or wss://: do NOT verify the TLS certificate (neither its chain nor its host name); prints a warning."),
    .value("webdriver", "URL", "Take the browser from a WebDriver server instead (a pool: Selenium Grid 4, chromedriver, Moon, Selenoid): create a session, drive its Chrome over DevTools (the session's se:cdp or goog:chromeOptions.debuggerAddress), and delete the session on every exit, SIGINT and SIGTERM included."),
    .value("capabilities", "FILE", "With --webdriver: a JSON file of capabilities merged into discover's (browserName chrome, goog:chromeOptions.args: headless and the launcher's switches). Objects merge key by key, the file's values win and null removes one of ours; its goog:chromeOptions.args are added to ours, each replacing ours of the same switch name. A whole {\"capabilities\": {\"alwaysMatch\", \"firstMatch\"}} body works too."),
    .value("webdriver-timeout", "S", "With --webdriver: how long the server may take to create, and to delete, the session, in seconds (default: 60; a grid may queue the request or start a container first)."),
]

let flowOptions: [OptionSpec] = [
    .value("var", "NAME=VALUE", "Set a flow variable (${vars.NAME}, `when` conditions).", repeatable: true),
    .value("until", "started|checkpoint|completed", "AI Toolkit flows: how far to follow the training job (default: checkpoint). Same as --var until=..."),
    .value("timeout", "MS", "Default timeout of each step in milliseconds (default: 15000; a goto's default is 30000, and --timeout sets both). Every step ends within its timeout plus 2.5 s."),
    .flag("keep-going", "After a failed flow, go on with the next one (the run still exits 1)."),
    .flag("screenshots", "A screenshot after every step that passed, in steps/ (report.html shows them on its timeline)."),
]

let captureOptions: [OptionSpec] = [
    .value("output", "DIR", "Where to write the run's files (default: output/<flows folder name>). With several flows folders, the folder that holds one per run."),
    .value("include", "GLOB", "Record only URLs matching this glob (* within a path segment, ** across).", repeatable: true),
    .value("exclude", "GLOB", "Do not record URLs matching this glob.", repeatable: true),
    .value("har-content", "embed|attach|omit", "Bodies in capture.har: inline, as files beside it, or left out (default: embed)."),
    .flag("keep-secrets", "Do NOT redact passwords, tokens and cookies from the outputs."),
    .flag("include-static", "Describe static assets (scripts, styles, images) as endpoints too."),
    .value("app-name", "NAME", "Name of the generated client file and OpenAPI title (default: the flows folder name)."),
    .value("baseline", "PATH", "Compare the result with an earlier discovered-endpoints.json or run folder. With several flows folders, the earlier batch's --output folder: each run compares with its namesake there."),
    .value("recapture", "DIR", "Write to DIR and compare with the run DIR held before (none on the first run): --output DIR --baseline DIR, for a schedule. With several flows folders, DIR holds one folder a run."),
    .value("fail-on", "breaking|any|none", "With --baseline: which changes make the run exit non-zero (default: breaking)."),
]

let reportOptions: [OptionSpec] = [
    .value("summary", "FILE", "Write the run's results as JSON (format: README, \"summary.json\"), on every exit path."),
    .value("junit", "FILE", "Write the run's results as JUnit XML for a CI system: a test case per flow, and with --baseline one per API change (failing when --fail-on counts it)."),
]

/// `run` only: several flows folders at once.
let workerOptions: [OptionSpec] = [
    .value("workers", "N", "With several flows folders: how many run at once (default: 1). With one folder whose folder.json says {\"parallel\": true}: how many of its independent chains of flows."),
    .value("isolate", "context|browser", "With several flows folders: each run in its own browser context of one browser (default), or in a browser of its own."),
]
