import Foundation
import Recording

/// Where assembled records go: redacted, then appended to `capture.jsonl`. Counts what it wrote for
/// the trailer. Not thread-safe by itself: the recorder calls it under its state lock, which also keeps
/// an exchange's records in order (opening record, messages, end).
final class CaptureOutput {
    let writer: CaptureWriter
    let redactor: Redactor
    private(set) var exchangeIDs = Set<String>()
    private(set) var messages = 0
    private(set) var failed = 0
    private(set) var downloads = 0
    private(set) var writeErrors: [String] = []

    init(writer: CaptureWriter, redactor: Redactor) {
        self.writer = writer
        self.redactor = redactor
    }

    /// Counted only once written: after a full disk the trailer's counts are what the file holds.
    func exchange(_ exchange: Exchange) {
        guard append(.exchange(redactor.redact(exchange))) else { return }
        if exchangeIDs.insert(exchange.id).inserted, exchange.failure != nil { failed += 1 }
        if exchange.download?.state == .completed { downloads += 1 }
    }

    func message(_ exchangeID: String, _ message: StreamMessage) {
        guard append(.message(exchangeID: exchangeID, redactor.redact(message))) else { return }
        messages += 1
    }

    func streamEnd(_ exchangeID: String, time: Double, open: Bool) {
        append(.streamEnd(exchangeID: exchangeID, time: time, open: open))
    }

    @discardableResult
    func append(_ record: CaptureRecord) -> Bool {
        do {
            try writer.append(record)
            return true
        } catch {
            if writeErrors.count < 10 { writeErrors.append("\(error)") }
            return false
        }
    }

    var counts: [String: Int] {
        ["exchanges": exchangeIDs.count, "messages": messages, "failed": failed, "downloads": downloads]
    }
}
