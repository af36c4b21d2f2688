import Foundation
import JSONCore

/// The one reader of `capture.jsonl`: it reads the file in bounded chunks, decodes each line once and
/// puts the records of an exchange together. An HTTP exchange is handed out as soon as its record is
/// read; a stream (WebSocket, SSE) when its `stream-end` arrives, with every message, or at the end of
/// the file if the run ended first. A later record for an exchange already handed out comes again as
/// an update (`CaptureFile` keeps the newer one; discovery, which has counted the first, skips it).
/// Memory follows the open streams, not the file's size.
public enum CaptureReader {
    public struct Summary: Sendable {
        public var header: CaptureHeader?
        public var trailer: CaptureTrailer?
        /// Lines that could not be read (a line cut by a crash, a record from a newer version).
        public var skippedLineCount = 0
        /// The first `skippedLinesKept` of them: file line number and why.
        public var skippedLines: [(line: Int, reason: String)] = []
        public static let skippedLinesKept = 100
    }

    static let chunkSize = 4 << 20

    /// Hands each exchange to `visit` in file order; `isUpdate` marks a later record of one handed out before.
    public static func read(_ url: URL, detail: CaptureDetail = .whole, _ visit: (_ exchange: Exchange, _ isUpdate: Bool) -> Void) throws -> Summary {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var assembler = Assembler(detail: detail)
        var buffer: [UInt8] = []
        var atEnd = false
        while !atEnd {
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty {
                atEnd = true
                if buffer.last != 0x0A, !buffer.isEmpty { buffer.append(0x0A) }
            } else {
                buffer.append(contentsOf: chunk)
            }
            let consumed = buffer.withUnsafeBufferPointer { bytes in assembler.take(lines: bytes, visit) }
            buffer.removeFirst(consumed)
        }
        assembler.finish(visit)
        return assembler.summary
    }

    /// The same over bytes already in memory.
    public static func read(_ data: Data, _ visit: (_ exchange: Exchange, _ isUpdate: Bool) -> Void) -> Summary {
        var assembler = Assembler()
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            let consumed = assembler.take(lines: bytes, visit)
            if consumed < bytes.count {
                // The last line had no newline.
                var rest = Array(bytes[consumed...])
                rest.append(0x0A)
                _ = rest.withUnsafeBufferPointer { assembler.take(lines: $0, visit) }
            }
        }
        assembler.finish(visit)
        return assembler.summary
    }

    /// Puts records together in file order.
    struct Assembler {
        var summary = Summary()
        private var lineNumber = 0
        private var open: [String: Exchange] = [:]
        private var openOrder: [String] = []
        /// Exchanges handed out, by id (never by hash: two ids must never count as one).
        private var handedOut = ExchangeIDSet()
        private let interner = StringInterner()
        private var detail = CaptureDetail.whole

        init(detail: CaptureDetail = .whole) { self.detail = detail }

        /// Takes every whole line in `bytes`; returns how many bytes that was.
        mutating func take(lines bytes: UnsafeBufferPointer<UInt8>, _ visit: (Exchange, Bool) -> Void) -> Int {
            guard let base = bytes.baseAddress else { return 0 }
            var lineStart = 0
            while lineStart < bytes.count, let found = memchr(base + lineStart, 0x0A, bytes.count - lineStart) {
                let newline = UnsafeRawPointer(base).distance(to: found)
                defer { lineStart = newline + 1 }
                lineNumber += 1
                guard newline > lineStart else { continue }
                take(line: UnsafeBufferPointer(rebasing: bytes[lineStart..<newline]), visit)
            }
            return lineStart
        }

        private mutating func take(line: UnsafeBufferPointer<UInt8>, _ visit: (Exchange, Bool) -> Void) {
            take(DecodedLine(line, interner: interner, detail: detail), visit)
        }

        /// Takes a chunk decoded on another thread, whose lines come next in the file.
        mutating func take(_ chunk: consuming DecodedChunk, _ visit: (Exchange, Bool) -> Void) {
            let first = lineNumber
            for (offset, line) in chunk.lines {
                lineNumber = first + offset
                take(line, visit)
            }
            lineNumber = first + chunk.lineCount
        }

        private mutating func take(_ line: consuming DecodedLine, _ visit: (Exchange, Bool) -> Void) {
            let record: CaptureRecord
            switch consume line {
            case .record(let decoded): record = decoded
            case .unreadable(let reason):
                summary.skippedLineCount += 1
                if summary.skippedLines.count < Summary.skippedLinesKept { summary.skippedLines.append((lineNumber, reason)) }
                return
            }
            // Consumed, so the exchange moves out of the record instead of being copied.
            switch consume record {
            case .header(let header): summary.header = header
            case .trailer(let trailer): summary.trailer = trailer
            case .exchange(var exchange):
                if exchange.kind == .http {
                    // One lookup: the insertion says whether it was handed out before.
                    let isUpdate = !handedOut.insert(exchange.id)
                    visit(exchange, isUpdate)
                } else if handedOut.contains(exchange.id) {
                    visit(exchange, true)
                } else {
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
                handedOut.insert(id)
                visit(exchange, false)
            }
        }

        /// Streams the run left open, in the order they opened.
        mutating func finish(_ visit: (Exchange, Bool) -> Void) {
            for id in openOrder {
                if let exchange = open.removeValue(forKey: id) { visit(exchange, false) }
            }
        }
    }
}
