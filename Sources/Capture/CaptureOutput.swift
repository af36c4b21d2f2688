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

    func exchange(_ exchange: Exchange) {
        if exchangeIDs.insert(exchange.id).inserted, exchange.failure != nil { failed += 1 }
        if exchange.download?.state == .completed { downloads += 1 }
        append(.exchange(redactor.redact(exchange)))
    }

    func message(_ exchangeID: String, _ message: StreamMessage) {
        messages += 1
        append(.message(exchangeID: exchangeID, redactor.redact(message)))
    }

    func streamEnd(_ exchangeID: String, time: Double, open: Bool) {
        append(.streamEnd(exchangeID: exchangeID, time: time, open: open))
    }

    func append(_ record: CaptureRecord) {
        do {
            try writer.append(record)
        } catch {
            if writeErrors.count < 10 { writeErrors.append("\(error)") }
        }
    }

    var counts: [String: Int] {
        ["exchanges": exchangeIDs.count, "messages": messages, "failed": failed, "downloads": downloads]
    }
}
