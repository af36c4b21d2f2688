import Foundation
import JSONCore

/// A capture read back: the exchanges with their messages assembled, in start order.
public struct CaptureFile: Sendable {
    public var header: CaptureHeader?
    public var exchanges: [Exchange]
    public var trailer: CaptureTrailer?
    /// Lines that could not be read (a line cut by a crash, a record from a newer version): file line number and why.
    public var skippedLines: [(line: Int, reason: String)]

    /// A capture without a trailer was cut short; one whose trailer says so ended on a failed step.
    public var isComplete: Bool { trailer?.complete ?? false }

    public static func read(_ url: URL) throws -> CaptureFile {
        try parse(Data(contentsOf: url))
    }

    public static func parse(_ data: Data) -> CaptureFile {
        var file = CaptureFile(header: nil, exchanges: [], trailer: nil, skippedLines: [])
        var order: [String] = []
        var byID: [String: Exchange] = [:]
        var lineNumber = 0
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                lineNumber += 1
                defer { start = end + 1 }
                if end == start { continue }
                let record: CaptureRecord
                do {
                    let json = try JSON.parse(bytes: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                    record = try CaptureRecord(json: json)
                } catch {
                    file.skippedLines.append((lineNumber, "\(error)"))
                    continue
                }
                switch record {
                case .header(let header): file.header = header
                case .exchange(var exchange):
                    if let earlier = byID[exchange.id] {
                        exchange.keepMessages(of: earlier)
                    } else {
                        order.append(exchange.id)
                    }
                    byID[exchange.id] = exchange
                case .message(let id, let message):
                    byID[id]?.messages.append(message)
                case .streamEnd(let id, let time, let open):
                    byID[id]?.endStream(at: time, open: open)
                case .trailer(let trailer): file.trailer = trailer
                }
            }
        }
        file.exchanges = order.compactMap { byID[$0] }
        file.exchanges.sort { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        BackgroundPolls.mark(&file.exchanges)
        return file
    }
}
