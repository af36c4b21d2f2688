import Foundation
import Recording

/// The second pass (shapes) on several threads at once. Each shard owns some endpoints
/// (`DiscoveryRun.assignShards`): the calling thread produces the exchanges, routes each to the shard
/// that owns its endpoint, hands the other shards theirs in batches, and is the first shard itself.
/// An endpoint's exchanges are folded in the same order as on one thread, so the result is the same
/// byte for byte.
enum ShapePass {
    static let batchSize = 256
    static let batchesAhead = 8

    /// `produce` hands each exchange of the pass, in order, to the function it is given;
    /// `observing` sees each on the calling thread.
    static func run(
        _ run: DiscoveryRun, shards: Int, observing: ((Exchange) -> Void)? = nil, clock: StageClock? = nil,
        produce: ((Exchange) -> Void) throws -> Void
    ) throws -> [ShapeTally] {
        var tallies = run.tallies(shards)
        var position = 0
        guard shards > 1 else {
            try produce { exchange in
                observing?(exchange)
                defer { position += 1 }
                if let route = run.route(exchange, position: position, into: &tallies[0]) { run.accumulate(exchange, route, into: &tallies[0]) }
            }
            return tallies
        }
        // The run is only read during the pass, and each endpoint's accumulator is touched by the one
        // shard that owns it: sharing them across threads is safe.
        let shared = Unchecked(run)
        let workers = (1..<shards).map { shard in Worker(tally: tallies[shard], run: shared, clock: clock) }
        for worker in workers { worker.start() }
        do {
            try produce { exchange in
                observing?(exchange)
                defer { position += 1 }
                guard let route = run.route(exchange, position: position, into: &tallies[0]) else { return }
                if route.shard == 0 {
                    run.accumulate(exchange, route, into: &tallies[0])
                } else {
                    workers[route.shard - 1].add(exchange, route)
                }
            }
        } catch {
            for worker in workers { worker.stop() }
            throw error
        }
        for (index, worker) in workers.enumerated() { tallies[index + 1] = worker.finish() }
        return tallies
    }

    /// A shard on a thread of its own, fed batches of its own exchanges.
    private final class Worker: @unchecked Sendable {
        private let batches = HandOff<[(Exchange, DiscoveryRun.Route)]>(capacity: ShapePass.batchesAhead)
        /// Filled on the producer's thread only.
        private var batch: [(Exchange, DiscoveryRun.Route)] = []
        /// Written by the worker's thread only, read after it is done.
        private var tally: ShapeTally
        private let run: Unchecked<DiscoveryRun>
        private let done = DispatchSemaphore(value: 0)
        private let clock: StageClock?

        init(tally: ShapeTally, run: Unchecked<DiscoveryRun>, clock: StageClock?) {
            self.tally = tally
            self.run = run
            self.clock = clock
            batch.reserveCapacity(ShapePass.batchSize)
        }

        func start() {
            let thread = Thread { [self] in
                let work = {
                    // Batches are only ever handed over, never failed: `take` cannot throw here.
                    while let batch = try? self.batches.take() {
                        for (exchange, route) in batch { self.run.value.accumulate(exchange, route, into: &self.tally) }
                    }
                }
                if let clock { clock.measure("shapes: other shards", work) } else { work() }
                done.signal()
            }
            // Body parsing recurses per nesting level: the same stack as the main thread's.
            thread.stackSize = 8 << 20
            thread.start()
        }

        func add(_ exchange: Exchange, _ route: DiscoveryRun.Route) {
            batch.append((exchange, route))
            if batch.count == ShapePass.batchSize {
                batches.put(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }

        /// Hands over the last batch, waits for the thread and returns its tally.
        func finish() -> ShapeTally {
            if !batch.isEmpty { batches.put(batch) }
            batches.finish()
            done.wait()
            return tally
        }

        func stop() {
            batches.cancel()
            done.wait()
        }
    }
}

/// A value shared with other threads where the code that shares it shows it safe (read-only, or
/// each part touched by one thread); the reason is written where it is made.
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
