import Foundation
import JSONCore
import Recording

/// Reads `capture.jsonl` in bounded chunks, once per pass, and hands out whole exchanges: an HTTP
/// exchange as soon as its record is read, a stream when its `stream-end` arrives (or at the end of
/// the file). Discovery's memory then follows the API's shape, not the capture's size.
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
    static let chunkSize = 4 << 20
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

    private func read(_ visit: (Exchange) -> Void) throws -> Summary {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var summary = Summary()
        var open: [String: Exchange] = [:]
        var openOrder: [String] = []
        var emitted: Set<Int> = []
        var buffer: [UInt8] = []
        var atEnd = false
        func take(line: UnsafeBufferPointer<UInt8>) {
            let record: CaptureRecord
            do {
                record = try CaptureRecord(json: try JSON.parse(bytes: line))
            } catch {
                summary.skippedLines += 1
                return
            }
            // Consumed, so the exchange moves out of the record instead of being copied field by field.
            switch consume record {
            case .header(let header): summary.header = header
            case .trailer(let trailer): summary.trailer = trailer
            case .exchange(var exchange):
                if exchange.kind == .http {
                    // A later record for an id already handed out cannot change what was counted: skip it.
                    if emitted.insert(exchange.id.hashValue).inserted { visit(exchange) }
                } else if !emitted.contains(exchange.id.hashValue) {
                    if let earlier = open[exchange.id] {
                        exchange.keepMessages(of: earlier)
                    } else {
                        openOrder.append(exchange.id)
                    }
                    open[exchange.id] = exchange
                }
            case .message(let id, let message):
                open[id]?.messages.append(message)
            case .streamEnd(let id, let time, let stillOpen):
                guard var exchange = open.removeValue(forKey: id) else { return }
                exchange.endStream(at: time, open: stillOpen)
                emitted.insert(id.hashValue)
                visit(exchange)
            }
        }
        while !atEnd {
            let chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
            if chunk.isEmpty {
                atEnd = true
                if buffer.last != 0x0A, !buffer.isEmpty { buffer.append(0x0A) }
            } else {
                buffer.append(contentsOf: chunk)
            }
            let consumed = buffer.withUnsafeBufferPointer { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                var lineStart = 0
                while lineStart < bytes.count, let found = memchr(base + lineStart, 0x0A, bytes.count - lineStart) {
                    let newline = UnsafeRawPointer(base).distance(to: found)
                    defer { lineStart = newline + 1 }
                    guard newline > lineStart else { continue }
                    take(line: UnsafeBufferPointer(rebasing: bytes[lineStart..<newline]))
                }
                return lineStart
            }
            buffer.removeFirst(consumed)
        }
        for id in openOrder {
            if let exchange = open[id] { visit(exchange) }
        }
        return summary
    }
}
