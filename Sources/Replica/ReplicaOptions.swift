import Foundation

/// How to run the replica. Defaults suit `discover replica`; tests shorten the timings.
public struct ReplicaOptions: Sendable {
    /// 0: any free port (read `ReplicaServer.port`).
    public var port: UInt16 = 0
    /// The `AI_TOOLKIT_AUTH` password; nil turns auth off, as an unset variable does on the real app.
    public var password: String? = nil
    /// `2026-08` (current) or `2025-10` (before the SSE monitor, offset logs and `{root, images}`).
    public var uiVersion: String = ReplicaVersion.current.rawValue
    /// Where datasets and training output live; nil: a fresh temporary folder, removed on `stop()`.
    public var dataRoot: URL? = nil
    /// Serves the Next.js-style hot-reload WebSocket at `/_next/webpack-hmr`, as `npm run dev` does.
    public var devMode: Bool = false
    public var trainer: TrainerTiming = .init()
    /// Between `event: sample` messages on `/api/monitor`.
    public var monitorInterval: Duration = .milliseconds(500)
    /// Between the hot-reload socket's periodic messages.
    public var hotReloadInterval: Duration = .seconds(5)
    /// Names besides the loopback ones (`localhost`, `127.0.0.1`, `[::1]`) that `Host` and `Origin` may
    /// carry, for a replica behind a proxy. Any other name gets 403: a web page that rebinds its own
    /// name to 127.0.0.1 must not reach a replica without a password.
    public var allowedHosts: [String] = []
    /// The longest body of a JSON route; longer ones get 413 before they are read.
    public var maximumRequestBodyLength = 4 << 20
    /// The longest body of `POST /api/datasets/upload`, the one route that takes files.
    public var maximumUploadBodyLength = 256 << 20

    public init() {}
}

/// The simulated trainer's pace. The real worker loop polls every second and a LoRA takes hours;
/// the replica keeps the shape and shortens the time.
public struct TrainerTiming: Sendable {
    /// How often the worker looks at the queues (the real one: 1 s).
    public var workerInterval: Duration = .seconds(1)
    /// Time spent in each of `Starting`, `Loading model`, `Loading dataset`.
    public var phaseDuration: Duration = .milliseconds(700)
    /// Time from step 0 to the last step.
    public var trainingDuration: Duration = .seconds(8)
    /// Step updates during training (the step jumps by total/updates each time).
    public var progressUpdates: Int = 20

    public init() {}

    /// For tests: everything in a fraction of a second.
    public static var fast: TrainerTiming {
        var timing = TrainerTiming()
        timing.workerInterval = .milliseconds(20)
        timing.phaseDuration = .milliseconds(10)
        timing.trainingDuration = .milliseconds(200)
        timing.progressUpdates = 10
        return timing
    }
}

/// The UI versions the replica can imitate (reference section 6).
public enum ReplicaVersion: String, Sendable, CaseIterable {
    case current = "2026-08"
    case october2025 = "2025-10"

    /// The SSE `/api/monitor` replaced polling of `/api/gpu` on 2026-08-14.
    var hasMonitorStream: Bool { self == .current }
    /// `/log?offset=` and `listImages {root, images}` arrived on 2026-07-01.
    var hasIncrementalLog: Bool { self == .current }
    var listsImagesWithRoot: Bool { self == .current }
}
