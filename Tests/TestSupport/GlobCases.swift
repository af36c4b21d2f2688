/// One table of URL glob cases, checked against both places that match URLs (a flow's conditions and
/// `--include`/`--exclude`): they once disagreed on `?`, which now means one character but `/` in both.
public enum GlobCases {
    public static let table: [(pattern: String, url: String, matches: Bool)] = [
        ("/api/job?", "http://x/api/jobs", true),
        ("/api/job?", "http://x/api/job/", false),
        ("/api/jobs/?", "http://x/api/jobs/7", true),
        ("/api/jobs?id=*", "http://x/api/jobs?id=3", true),
        ("/api/jobs", "http://x/api/jobs?id=3", true),
        ("/api/jobs", "http://x/api/jobs/3", false),
        ("**/api/jobs/*", "http://127.0.0.1:8675/api/jobs/abc", true),
        ("**/api/jobs/*", "http://127.0.0.1:8675/api/jobs/abc/start", false),
        ("**/api/**", "http://127.0.0.1:8675/api/jobs/1/start", true),
        ("http://127.0.0.1:*/api/*", "http://127.0.0.1:8675/api/jobs", true),
        ("ws://**/ws", "ws://127.0.0.1:9/ws", true),
        ("**/*.js", "http://x/_next/static/chunks/main.js", true),
    ]
}
