import Foundation
import Durations

/// How to run the replica. Defaults suit `discover replica`; tests shorten the timings.
public struct ReplicaOptions: Sendable {
    /// 0: any free port (read `ReplicaServer.port`).
    public var port: UInt16 = 0
    /// The `AI_TOOLKIT_AUTH` password; nil turns auth off, as an unset variable does on the real app.
    public var password: String? = nil
    /// `2026-08` (real commit 27a03a91) or `2025-10` (real commit c9843692): see `ReplicaVersion`.
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
    /// false: a pod without a GPU (`/api/gpu` and the monitor list none, as when nvidia-smi is missing).
    public var hasGPU = true
    /// The network between the browser and a pod, as a RunPod proxy adds it.
    public var latency = NetworkLatency.none

    public init() {}
}

/// A round trip's added delay, `base` ± `jitter` drawn anew for each request: half before the request
/// is handled (the way there), half before its answer goes out (the way back). A stream's chunks follow
/// its first byte, so each arrives `base` late too. Loopback answers in microseconds; a pod through its
/// proxy in hundreds of milliseconds, and races in a UI show only then.
public struct NetworkLatency: Sendable, Hashable, CustomStringConvertible {
    public var base: Duration
    public var jitter: Duration

    public static let none = NetworkLatency(base: .zero, jitter: .zero)
    /// The most `--latency` takes, so a typo cannot stall a run for hours.
    public static let maximum: Duration = .seconds(60)

    public init(base: Duration, jitter: Duration = .zero) {
        self.base = base
        self.jitter = jitter
    }

    /// `MS` or `MS:JITTER`, whole milliseconds, jitter at most the base, both at most a minute.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let base = Int(parts[0]), let jitter = parts.count == 2 ? Int(parts[1]) : 0,
            base >= 0, jitter >= 0, jitter <= base, Duration.milliseconds(base) <= Self.maximum
        else { return nil }
        self.init(base: .milliseconds(base), jitter: .milliseconds(jitter))
    }

    public var isNone: Bool { base == .zero && jitter == .zero }

    public var description: String {
        jitter == .zero ? "\(base.inMilliseconds) ms" : "\(base.inMilliseconds) ms ± \(jitter.inMilliseconds) ms"
    }

    /// One round trip's delay.
    func draw() -> Duration {
        guard jitter > .zero else { return base }
        let spread = jitter.inSeconds
        return base + .milliseconds(Int((Double.random(in: -spread...spread) * 1000).rounded()))
    }
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

/// The UI versions the replica can imitate: each is one real commit of ostris/ai-toolkit, whose routes
/// (`routes`), status codes and shapes the replica follows (docs/replica.md lists what differs).
public enum ReplicaVersion: String, Sendable, CaseIterable {
    /// 27a03a91 (2026-08-21, version.py 0.12.26).
    case current = "2026-08"
    /// c9843692 (2025-10-30, version.py 0.7.2).
    case october2025 = "2025-10"

    /// The real commit this version follows, as `git rev-parse` prints it.
    public var commit: String {
        switch self {
        case .current: "27a03a91f23eb1b757d5ec2e80ee3e129cfcc350"
        case .october2025: "c984369294d9f5c5318e727da2fc203eaf6f373e"
        }
    }

    /// The routes `ui/src/app/api/**/route.ts` exports at `commit`, as `scripts/replica/route-table.sh`
    /// prints them; `Tests/Fixtures/ai-toolkit-routes-<commit>.txt` holds the same list.
    public var routes: Set<String> {
        switch self {
        case .current: Self.routesOfOctober2025.union(Self.routesAddedSinceOctober2025)
        case .october2025: Self.routesOfOctober2025
        }
    }

    private static let routesOfOctober2025: Set<String> = [
        "GET /api/auth", "GET /api/cpu", "GET /api/gpu", "GET /api/settings", "POST /api/settings",
        "GET /api/datasets/list", "POST /api/datasets/create", "POST /api/datasets/delete", "POST /api/datasets/listImages",
        "POST /api/datasets/upload", "POST /api/caption/get", "POST /api/zip",
        "GET /api/img/{+imagePath}", "POST /api/img/caption", "POST /api/img/delete", "POST /api/img/upload",
        "GET /api/files/{+filePath}",
        "GET /api/jobs", "POST /api/jobs", "GET /api/jobs/{jobID}/delete", "GET /api/jobs/{jobID}/files",
        "GET /api/jobs/{jobID}/log", "GET /api/jobs/{jobID}/mark_stopped", "GET /api/jobs/{jobID}/samples",
        "GET /api/jobs/{jobID}/start", "GET /api/jobs/{jobID}/stop",
        "GET /api/queue", "GET /api/queue/{queueID}/start", "GET /api/queue/{queueID}/stop",
    ]

    private static let routesAddedSinceOctober2025: Set<String> = [
        "GET /api/audio/art/{+audioPath}", "POST /api/caption/getBatch", "POST /api/files/delete",
        "GET /api/jobs/{jobID}/loss", "GET /api/jobs/{jobID}/plugin", "GET /api/jobs/{jobID}/sample_now",
        "GET /api/jobs/{jobID}/save_now", "GET /api/monitor", "GET /api/ostris_cloud", "POST /api/scripts",
    ]

    /// The routes branch on this where c9843692's handler differs from 27a03a91's.
    var isOctober2025: Bool { self == .october2025 }
}
