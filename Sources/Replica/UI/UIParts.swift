/// The UI's files (`js/`, `css/`, `html/`), compiled into the binary as SwiftPM `embedInCode` resources,
/// so the single `discover` executable serves them without bundle lookups or a build step.
enum UIParts {
    /// The script parts in the order they are joined: a part's top-level names are read by later ones.
    static let script: [(name: String, bytes: [UInt8])] = [
        // DOM helpers, icons, the API client with its 401 rule, lifetimes for polling loops, the router,
        // the GPU monitor (SSE over fetch, or `/api/gpu` polling in the older version), the dev-mode
        // hot-reload socket.
        ("core.js", PackageResources.core_js),
        // Shared components: modal, confirm dialog, react-select-like dropdown, the form inputs (a `<label>`
        // without `for` followed by its input, as the real TextInput/NumberInput render), cards, status pill.
        ("widgets.js", PackageResources.widgets_js),
        // The login form that replaces any page without a valid token, the signed-in session (its global
        // polling loops) and the shell with the sidebar.
        ("auth.js", PackageResources.auth_js),
        // `/datasets` (list, New Dataset and Delete dialogs) and `/datasets/<name>` (image grid with
        // captions, Add Images modal with its upload strategy per UI version, Auto Caption).
        ("dataset-pages.js", PackageResources.dataset_pages_js),
        // The dataset page's top bar (title, caption extension, Auto Caption, Add Images and the
        // DatasetActionBar cog with its download menu), whose layout decides what a flow sees at each width.
        ("dataset-top-bar.js", PackageResources.dataset_top_bar_js),
        // `/jobs/new` (also `?id=` to edit and `?cloneId=` to clone): the simple training form, locked
        // behind a `Loading...` overlay until settings, datasets and the first GPU sample arrived.
        ("new-job-page.js", PackageResources.new_job_page_js),
        // `/jobs` (the queue table with its icon-only action bar and gear menu) and `/jobs/<id>` (overview
        // with status, progress, log and checkpoints; samples, loss graph and config tabs).
        ("job-pages.js", PackageResources.job_pages_js),
        // `/dashboard` (active jobs, GPU cards) and `/settings`.
        ("misc-pages.js", PackageResources.misc_pages_js),
        // Start-up: the monitor stream (current version, from the load event) and the hot-reload socket
        // (dev mode) start before and regardless of login; a stored token is checked with `GET /api/auth`.
        ("boot.js", PackageResources.boot_js),
    ]

    /// The real UI's dark Tailwind look (gray-950 page, gray-900 cards), written by hand; Inter comes
    /// first because the real UI loads it (`app/layout.tsx`, next/font).
    static let styles = text(PackageResources.styles_css)
    /// The shell and the top bars, whose sizes decide what a flow can see at each window size.
    static let layout = text(PackageResources.layout_css)
    /// The page every route serves; `<!--server-rendered-->` marks where the server's render goes.
    static let shell = text(PackageResources.shell_html)
    /// What the real server renders into every page when a password is set: AuthWrapper's login form.
    static let login = text(PackageResources.login_html)
    static let favicon = text(PackageResources.favicon_svg)

    /// A file's text without the newline that ends it: the files keep the usual last line ending, and
    /// the joined script and stylesheet stay the bytes they were when the parts were string literals.
    static func text(_ bytes: [UInt8]) -> String {
        let body = bytes.last == UInt8(ascii: "\n") ? bytes.dropLast() : bytes[...]
        return String(decoding: body, as: UTF8.self)
    }
}
