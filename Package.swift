// swift-tools-version:6.0
// Zero package dependencies by design: only the toolchain, Foundation, Dispatch and Glibc.
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

/// The modules that read a capture: release builds let their small functions (the cursor's reads,
/// the records' accessors) inline into the modules that call them (issue 16, `discover-bench discovery`).
let crossModule: [SwiftSetting] = strict + [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

/// Sources/Flows/Engine/js, in the order the engine script joins them (LocatorEngineScript).
let LocatorEngineParts = ["text", "tree", "visibility", "roles", "selectors", "descriptions", "actionability", "conditions", "actions"]

/// Sources/Replica/UI: the replica's script parts, stylesheets, page and icon (UIParts reads them).
let ReplicaUIFiles = ["core", "widgets", "auth", "dataset-pages", "dataset-top-bar", "new-job-page", "job-pages", "misc-pages", "boot"].map { "UI/js/\($0).js" }
    + ["UI/css/styles.css", "UI/css/layout.css", "UI/html/shell.html", "UI/html/login.html", "UI/html/favicon.svg"]

let package = Package(
    name: "discover",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "discover", targets: ["discover"]),
        .executable(name: "discover-bench", targets: ["discover-bench"]),
    ],
    targets: [
        // JSON value type, fast parser and deterministic serializer shared by every stage.
        .target(name: "JSONCore", swiftSettings: crossModule),
        // Duration in seconds, milliseconds and nanoseconds, and Deadline (now + timeout, time left, poll
        // timeouts): the one place for that arithmetic.
        .target(name: "Durations", swiftSettings: strict),
        // Sockets, TLS, SHA-1, RFC 6455 WebSocket codec, HTTP/1.1 heads and multipart bodies, HTTP client:
        // what the DevTools client and the HTTP server share.
        .target(name: "Wire", dependencies: ["JSONCore", "Durations"], swiftSettings: strict),
        // The loopback HTTP/1.1 server (whole, streamed and WebSocket responses): used only by the replica,
        // the tests and the bench, so the browser side of the tool does not build on it.
        .target(name: "HTTPServer", dependencies: ["JSONCore", "Wire", "Durations"], swiftSettings: strict),
        // Chrome DevTools Protocol: transports (pipe, WebSocket), connection, sessions, typed domains.
        .target(name: "DevTools", dependencies: ["JSONCore", "Wire", "Durations"], swiftSettings: strict),
        // Launching and attaching to Chromium: process group, profile, contexts, pages, auto-attach.
        .target(name: "Browser", dependencies: ["JSONCore", "Wire", "DevTools", "Durations"], swiftSettings: strict),
        // The exchange record format written by capture and read by discovery (capture.jsonl).
        .target(name: "Recording", dependencies: ["JSONCore", "Durations"], swiftSettings: crossModule),
        // Flow files, validation, Recorder import, and the runner with locators and auto-waiting.
        // The locator engine is JavaScript in files of its own, compiled into the binary (no bundle to lose).
        .target(
            name: "Flows", dependencies: ["JSONCore", "DevTools", "Browser", "Recording", "Durations"],
            resources: LocatorEngineParts.map { .embedInCode("Engine/js/\($0).js") }, swiftSettings: strict),
        // DevTools events -> exchange records, redaction, downloads, HAR.
        .target(name: "Capture", dependencies: ["JSONCore", "Wire", "DevTools", "Browser", "Recording", "Durations"], swiftSettings: strict),
        // Exchange records -> endpoints, schemas, OpenAPI, TypeScript client, report, diff.
        // report.html's stylesheet and script, and the TypeScript client's runtime, are files of their own
        // language: the first two inlined into each page, the last compiled in.
        .target(
            name: "Discovery", dependencies: ["JSONCore", "Recording"],
            resources: [.copy("HTMLReport/report.css"), .copy("HTMLReport/report.js"), .embedInCode("TypeScript/client-runtime.ts")],
            swiftSettings: crossModule),
        // The AI Toolkit replica: API, simulated trainer, UI, served by HTTPServer. The UI is HTML, CSS
        // and JavaScript in files of their own, compiled in.
        .target(
            name: "Replica", dependencies: ["JSONCore", "Wire", "HTTPServer", "Durations"],
            resources: ReplicaUIFiles.map { .embedInCode($0) }, swiftSettings: strict),
        // Commands and the run pipeline that wires the stages together.
        .target(
            name: "DiscoverCLI",
            dependencies: ["JSONCore", "Wire", "DevTools", "Browser", "Recording", "Flows", "Capture", "Discovery", "Replica", "Durations"],
            swiftSettings: strict),
        .executableTarget(name: "discover", dependencies: ["DiscoverCLI"], swiftSettings: strict),
        .executableTarget(
            name: "discover-bench",
            // TestSupport: the benchmarks measure the same pages the tests check.
            dependencies: [
                "JSONCore", "Wire", "HTTPServer", "DevTools", "Browser", "Recording", "Capture", "Discovery", "Replica", "Flows",
                "TestSupport", "Durations",
            ],
            swiftSettings: strict),

        .target(
            name: "TestSupport", dependencies: ["JSONCore", "Durations", "Wire", "DevTools", "Browser", "Replica", "Recording", "Discovery"],
            path: "Tests/TestSupport"),
        .testTarget(name: "JSONCoreTests", dependencies: ["JSONCore"]),
        .testTarget(name: "DurationsTests", dependencies: ["Durations"]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "TestSupport"]),
        .testTarget(name: "DevToolsTests", dependencies: ["DevTools", "Browser", "TestSupport"]),
        .testTarget(name: "BrowserTests", dependencies: ["Browser", "DevTools", "TestSupport"]),
        .testTarget(name: "ReplicaTests", dependencies: ["Replica", "Wire", "HTTPServer", "Browser", "DevTools", "TestSupport"]),
        .testTarget(name: "FlowsTests", dependencies: ["Flows", "Browser", "DevTools", "Replica", "TestSupport", "Wire", "HTTPServer"], exclude: ["Fixtures"]),
        .testTarget(name: "RecordingTests", dependencies: ["Recording"]),
        .testTarget(
            name: "CaptureTests", dependencies: ["Capture", "Recording", "Browser", "DevTools", "Replica", "Flows", "TestSupport", "Wire", "HTTPServer"]),
        .testTarget(name: "DiscoveryTests", dependencies: ["Discovery", "Recording", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["DiscoverCLI", "Discovery", "Recording", "Replica", "TestSupport", "Wire", "HTTPServer", "Browser", "DevTools"]),
    ]
)
