import Foundation
import JSONCore
import Recording

/// Replays `capture.jsonl` once per pass through `CaptureReader`, whose memory follows the API's
/// shape, not the capture's size.
///
/// Reading, parsing and decoding run on a thread of their own, a few small batches ahead of the
/// caller, so they overlap with what the caller does with each exchange.
struct CaptureReplay {
    struct Summary: Sendable {
        var header: CaptureHeader?
        var trailer: CaptureTrailer?
        var skippedLines = 0
    }

    let url: URL
    static let batchSize = 512
    static let batchesAhead = 4

    /// Hands every exchange to `visit` in file order, on the calling thread.
    func replay(_ visit: (Exchange) -> Void) throws -> Summary {
        let queue = BatchQueue(capacity: Self.batchesAhead)
        let reader = Thread { [url] in
            queue.finish(Result {
                var batch: [Exchange] = []
                batch.reserveCapacity(Self.batchSize)
                let summary = try CaptureReplay(url: url).read { exchange in
                    batch.append(exchange)
                    if batch.count == Self.batchSize {
                        queue.put(batch)
                        batch = []
                        batch.reserveCapacity(Self.batchSize)
                    }
                }
                if !batch.isEmpty { queue.put(batch) }
                return summary
            })
        }
        // JSON.parse recurses per nesting level: the same stack as the main thread's.
        reader.stackSize = 8 << 20
        reader.start()
        var visited: [Exchange] = []
        while let batch = queue.take(returning: &visited) {
            for exchange in batch { visit(exchange) }
            visited = batch
        }
        return try queue.result()
    }

    /// A later record of an exchange already handed out cannot change what was counted: skipped.
    private func read(_ visit: (Exchange) -> Void) throws -> Summary {
        let read = try CaptureReader.read(url) { exchange, isUpdate in
            if !isUpdate { visit(exchange) }
        }
        return Summary(header: read.header, trailer: read.trailer, skippedLines: read.skippedLineCount)
    }
}
