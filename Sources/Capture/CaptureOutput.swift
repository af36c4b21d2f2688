import Dispatch
import Foundation
import Recording
import Synchronization

/// Where assembled records go: redacted, then appended to `capture.jsonl`, on a serial queue of its
/// own, so the DevTools reader (where events are assembled) only parses and routes and never waits for
/// the disk or the serializer. Records leave in the order they were handed over: the recorder calls this
/// under its state lock, which keeps an exchange's records in order (opening record, messages, end), and
/// the queue keeps that order. Counts what it wrote for the trailer.
final class CaptureOutput: Sendable {
    let writer: CaptureWriter
    let redactor: Redactor
    private let queue = DispatchQueue(label: "capture.jsonl writer")
    /// At most this many records wait for the disk: beyond it the caller waits, as it did when it
    /// wrote itself, so a slow disk cannot grow memory without bound.
    private let backlog = DispatchSemaphore(value: CaptureOutput.backlogLimit)
    static let backlogLimit = 4096
    /// Touched only on `queue`.
    private let written = Mutex(Written())

    private struct Written {
        var exchangeIDs = Set<String>()
        var messages = 0
        var failed = 0
        var downloads = 0
        var writeErrors: [String] = []
    }

    init(writer: CaptureWriter, redactor: Redactor) {
        self.writer = writer
        self.redactor = redactor
    }

    /// Counted only once written: after a full disk the trailer's counts are what the file holds.
    func exchange(_ exchange: Exchange) {
        enqueue { [redactor] in
            guard self.write(.exchange(redactor.redact(exchange))) else { return }
            self.written.withLock { written in
                if written.exchangeIDs.insert(exchange.id).inserted, exchange.failure != nil { written.failed += 1 }
                if exchange.download?.state == .completed { written.downloads += 1 }
            }
        }
    }

    func message(_ exchangeID: String, _ message: StreamMessage) {
        enqueue { [redactor] in
            guard self.write(.message(exchangeID: exchangeID, redactor.redact(message))) else { return }
            self.written.withLock { $0.messages += 1 }
        }
    }

    func streamEnd(_ exchangeID: String, time: Double, open: Bool) {
        append(.streamEnd(exchangeID: exchangeID, time: time, open: open))
    }

    func append(_ record: CaptureRecord) {
        enqueue { _ = self.write(record) }
    }

    /// Returns once every record handed over so far is in the file (or failed to get there).
    func flush() { queue.sync {} }

    /// Writes what is still queued, then the record `last` makes from the final counts, and closes the
    /// file; the write errors of the whole capture (the first ten).
    func finish(_ last: ([String: Int]) -> CaptureRecord) throws -> (counts: [String: Int], writeErrors: [String]) {
        try queue.sync {
            let counts = self.counts
            _ = write(last(counts))
            try writer.close()
            return (counts, written.withLock { $0.writeErrors })
        }
    }

    private var counts: [String: Int] {
        written.withLock { ["exchanges": $0.exchangeIDs.count, "messages": $0.messages, "failed": $0.failed, "downloads": $0.downloads] }
    }

    private func enqueue(_ work: @escaping @Sendable () -> Void) {
        backlog.wait()
        queue.async { [backlog] in
            work()
            backlog.signal()
        }
    }

    private func write(_ record: CaptureRecord) -> Bool {
        do {
            try writer.append(record)
            return true
        } catch {
            written.withLock { if $0.writeErrors.count < 10 { $0.writeErrors.append("\(error)") } }
            return false
        }
    }
}
