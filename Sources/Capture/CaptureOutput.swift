import Dispatch
import Foundation
import Recording

/// Where assembled records go: redacted, then appended to `capture.jsonl`, on a serial queue of its
/// own, so the DevTools reader (where events are assembled) only parses and routes and never waits for
/// the disk or the serializer. Records leave in the order they were handed over: the recorder calls this
/// under its state lock, which keeps an exchange's records in order (opening record, messages, end), and
/// the queue takes them first in, first out. Counts what it wrote for the trailer.
final class CaptureOutput: @unchecked Sendable {
    let writer: CaptureWriter
    let redactor: Redactor
    /// At most this many records, and about this many bytes of them, wait for the disk: beyond that
    /// the caller waits, as it did when it wrote itself, so a slow disk cannot grow memory without bound.
    /// (A record larger than the byte limit still goes, alone.)
    static let backlogLimit = 1024
    static let backlogBytes = 1 << 20

    private enum Job {
        case exchange(Exchange)
        case message(exchangeID: String, StreamMessage)
        case record(CaptureRecord)

        /// Roughly what it holds: its inline bodies or data, and a little for the rest.
        var weight: Int {
            switch self {
            case .exchange(let exchange):
                512 + (exchange.request.body?.text?.utf8.count ?? 0) + (exchange.response?.body?.text?.utf8.count ?? 0)
            case .message(_, let message): 128 + message.data.utf8.count
            case .record: 256
            }
        }
    }

    private let queue = DispatchQueue(label: "capture.jsonl writer")
    /// Guards `waiting`, `waitingBytes` and `draining`. Records are handed over in batches: one queue hop per batch,
    /// not per record, so a burst costs the reader an append, not a thread wake-up.
    private let lock = NSCondition()
    private var waiting: [Job] = []
    private var waitingBytes = 0
    private var draining = false
    // Touched only on `queue`.
    private var exchangeIDs = Set<String>()
    private var messages = 0
    private var failed = 0
    private var downloads = 0
    private var writeErrors: [String] = []

    init(writer: CaptureWriter, redactor: Redactor) {
        self.writer = writer
        self.redactor = redactor
    }

    func exchange(_ exchange: Exchange) { enqueue(.exchange(exchange)) }

    func message(_ exchangeID: String, _ message: StreamMessage) { enqueue(.message(exchangeID: exchangeID, message)) }

    func streamEnd(_ exchangeID: String, time: Double, open: Bool) {
        enqueue(.record(.streamEnd(exchangeID: exchangeID, time: time, open: open)))
    }

    func append(_ record: CaptureRecord) { enqueue(.record(record)) }

    /// Returns once every record handed over so far is in the file (or failed to get there).
    func flush() { queue.sync {} }

    /// Writes what is still queued, then the record `last` makes from the final counts, and closes the
    /// file; the write errors of the whole capture (the first ten).
    func finish(_ last: ([String: Int]) -> CaptureRecord) throws -> (counts: [String: Int], writeErrors: [String]) {
        try queue.sync {
            let counts = ["exchanges": exchangeIDs.count, "messages": messages, "failed": failed, "downloads": downloads]
            _ = write(last(counts))
            try writer.close()
            return (counts, writeErrors)
        }
    }

    private func enqueue(_ job: Job) {
        let weight = job.weight
        lock.lock()
        while !waiting.isEmpty, waiting.count >= Self.backlogLimit || waitingBytes + weight > Self.backlogBytes { lock.wait() }
        waiting.append(job)
        waitingBytes += weight
        let start = !draining
        draining = true
        lock.unlock()
        if start { queue.async { self.drain() } }
    }

    /// On `queue`: writes batches until none is left. A `flush` queued behind it therefore runs only
    /// after everything handed over before it.
    private func drain() {
        var batch: [Job] = []
        while true {
            lock.lock()
            swap(&batch, &waiting)
            waitingBytes = 0
            if batch.isEmpty { draining = false }
            lock.broadcast()
            lock.unlock()
            if batch.isEmpty { return }
            for job in batch { run(job) }
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// Counted only once written: after a full disk the trailer's counts are what the file holds.
    private func run(_ job: Job) {
        switch job {
        case .exchange(let exchange):
            guard write(.exchange(redactor.redact(exchange))) else { return }
            if exchangeIDs.insert(exchange.id).inserted, exchange.failure != nil { failed += 1 }
            if exchange.download?.state == .completed { downloads += 1 }
        case .message(let exchangeID, let message):
            guard write(.message(exchangeID: exchangeID, redactor.redact(message))) else { return }
            messages += 1
        case .record(let record):
            _ = write(record)
        }
    }

    private func write(_ record: CaptureRecord) -> Bool {
        do {
            try writer.append(record)
            return true
        } catch {
            if writeErrors.count < 10 { writeErrors.append("\(error)") }
            return false
        }
    }
}
