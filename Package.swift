// swift-tools-version:6.0
// Zero package dependencies by design: only the toolchain, Foundation, Dispatch and Glibc.
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

/// Sources/Flows/Engine/js, in the order the engine script joins them (LocatorEngineScript).
let LocatorEngineParts = ["text", "tree", "visibility", "roles", "selectors", "descriptions", "actionability", "conditions", "actions"]

let package = Package(
    name: "discover",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "discover", targets: ["discover"]),
        .executable(name: "discover-bench", targets: ["discover-bench"]),
    ],
    targets: [
        // JSON value type, fast parser and deterministic serializer shared by every stage.
        .target(name: "JSONCore", swiftSettings: strict),
        // Duration in seconds, milliseconds and nanoseconds: the one place for that arithmetic.
        .target(name: "Durations", swiftSettings: strict),
        // Sockets, SHA-1, RFC 6455 WebSocket codec, HTTP/1.1 message heads: client and server side.
        .target(name: "Wire", dependencies: ["JSONCore", "Durations"], swiftSettings: strict),
        // Chrome DevTools Protocol: transports (pipe, WebSocket), connection, sessions, typed domains.
        .target(name: "DevTools", dependencies: ["JSONCore", "Wire", "Durations"], swiftSettings: strict),
        // Launching and attaching to Chromium: process group, profile, contexts, pages, auto-attach.
        .target(name: "Browser", dependencies: ["JSONCore", "Wire", "DevTools", "Durations"], swiftSettings: strict),
        // The exchange record format written by capture and read by discovery (capture.jsonl).
        .target(name: "Recording", dependencies: ["JSONCore", "Durations"], swiftSettings: strict),
        // Flow files, validation, Recorder import, and the runner with locators and auto-waiting.
        // The locator engine is JavaScript in files of its own, compiled into the binary (no bundle to lose).
        .target(
            name: "Flows", dependencies: ["JSONCore", "DevTools", "Browser", "Recording", "Durations"],
            resources: LocatorEngineParts.map { .embedInCode("Engine/js/\($0).js") }, swiftSettings: strict),
        // DevTools events -> exchange records, redaction, downloads, HAR.
        .target(name: "Capture", dependencies: ["JSONCore", "Wire", "DevTools", "Browser", "Recording"], swiftSettings: strict),
        // Exchange records -> endpoints, schemas, OpenAPI, TypeScript client, report, diff.
        // report.html's stylesheet and script, and the TypeScript client's runtime, are files of their own
        // language: the first two inlined into each page, the last compiled in.
        .target(
            name: "Discovery", dependencies: ["JSONCore", "Recording"],
            resources: [.copy("HTMLReport/report.css"), .copy("HTMLReport/report.js"), .embedInCode("TypeScript/client-runtime.ts")],
            swiftSettings: strict),
        // The AI Toolkit replica: HTTP server, API, simulated trainer, UI.
        .target(name: "Replica", dependencies: ["JSONCore", "Wire", "Durations"], swiftSettings: strict),
        // Commands and the run pipeline that wires the stages together.
        .target(
            name: "DiscoverCLI",
            dependencies: ["JSONCore", "Wire", "DevTools", "Browser", "Recording", "Flows", "Capture", "Discovery", "Replica", "Durations"],
            swiftSettings: strict),
        .executableTarget(name: "discover", dependencies: ["DiscoverCLI"], swiftSettings: strict),
        .executableTarget(
            name: "discover-bench",
            // TestSupport: the benchmarks measure the same pages the tests check.
            dependencies: ["JSONCore", "Wire", "DevTools", "Browser", "Recording", "Capture", "Discovery", "Replica", "Flows", "TestSupport", "Durations"],
            swiftSettings: strict),

        .target(name: "TestSupport", dependencies: ["JSONCore", "Wire", "DevTools", "Browser", "Replica", "Recording", "Discovery"], path: "Tests/TestSupport"),
        .testTarget(name: "JSONCoreTests", dependencies: ["JSONCore"]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "TestSupport", "Durations"]),
        .testTarget(name: "DevToolsTests", dependencies: ["DevTools", "Browser", "TestSupport"]),
        .testTarget(name: "BrowserTests", dependencies: ["Browser", "DevTools", "TestSupport"]),
        .testTarget(name: "ReplicaTests", dependencies: ["Replica", "Wire", "Browser", "DevTools", "TestSupport"]),
        .testTarget(name: "FlowsTests", dependencies: ["Flows", "Browser", "DevTools", "Replica", "TestSupport", "Wire"], exclude: ["Fixtures"]),
        .testTarget(name: "RecordingTests", dependencies: ["Recording"]),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "Recording", "Browser", "DevTools", "Replica", "Flows", "TestSupport"]),
        .testTarget(name: "DiscoveryTests", dependencies: ["Discovery", "Recording", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["DiscoverCLI", "Discovery", "Recording", "Replica", "TestSupport", "Wire", "Browser", "DevTools"]),
    ]
)
