import Durations
import Foundation

/// Where a long piece of work spends its time, stage by stage: CPU seconds added up over the threads
/// that work on a stage, and the wall time of the longest of them. For benchmarks and profiles; the
/// work it measures runs the same without one.
public final class StageClock: @unchecked Sendable {
    public struct Stage: Sendable {
        public var name: String
        public var cpuSeconds: Double
        public var wallSeconds: Double
        public var threads: Int
    }

    private let lock = NSLock()
    /// Guarded by `lock`, in the order stages were first reported.
    private var recorded: [Stage] = []

    public init() {}

    public var stages: [Stage] { lock.withLock { recorded } }

    /// Runs `body` on this thread and adds its CPU and wall time to `stage`.
    public func measure<Value>(_ stage: String, _ body: () throws -> Value) rethrows -> Value {
        let cpu = Self.threadCPUSeconds()
        let wall = ContinuousClock.now
        defer { add(stage, cpuSeconds: Self.threadCPUSeconds() - cpu, wallSeconds: (ContinuousClock.now - wall).inSeconds) }
        return try body()
    }

    public func add(_ stage: String, cpuSeconds: Double, wallSeconds: Double) {
        lock.withLock {
            if let index = recorded.firstIndex(where: { $0.name == stage }) {
                recorded[index].cpuSeconds += cpuSeconds
                recorded[index].wallSeconds = max(recorded[index].wallSeconds, wallSeconds)
                recorded[index].threads += 1
            } else {
                recorded.append(Stage(name: stage, cpuSeconds: cpuSeconds, wallSeconds: wallSeconds, threads: 1))
            }
        }
    }

    /// The CPU time the calling thread has used.
    public static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
