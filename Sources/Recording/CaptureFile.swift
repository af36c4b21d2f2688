import Foundation
import JSONCore

/// A capture read back: the exchanges with their messages assembled, in start order.
public struct CaptureFile: Sendable {
    public var header: CaptureHeader?
    public var exchanges: [Exchange]
    public var trailer: CaptureTrailer?
    /// Lines that could not be read (a line cut by a crash, a record from a newer version): the first
    /// hundred, with file line number and why; `skippedLineCount` counts them all.
    public var skippedLines: [(line: Int, reason: String)]
    public var skippedLineCount: Int

    /// A capture without a trailer was cut short; one whose trailer says so ended on a failed step.
    public var isComplete: Bool { trailer?.complete ?? false }

    public static func read(_ url: URL) throws -> CaptureFile {
        var exchanges = Collected()
        let summary = try CaptureReader.read(url) { exchanges.add($0, isUpdate: $1) }
        return collect(summary, exchanges)
    }

    public static func parse(_ data: Data) -> CaptureFile {
        var exchanges = Collected()
        let summary = CaptureReader.read(data) { exchanges.add($0, isUpdate: $1) }
        return collect(summary, exchanges)
    }

    /// Every exchange, a later record replacing an earlier one of the same id.
    private struct Collected {
        var all: [Exchange] = []
        var position: [String: Int] = [:]

        mutating func add(_ exchange: Exchange, isUpdate: Bool) {
            if isUpdate, let index = position[exchange.id] {
                var newer = exchange
                newer.keepMessages(of: all[index])
                all[index] = newer
            } else {
                position[exchange.id] = all.count
                all.append(exchange)
            }
        }
    }

    private static func collect(_ summary: CaptureReader.Summary, _ collected: Collected) -> CaptureFile {
        var exchanges = collected.all
        exchanges.sort { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        BackgroundPolls.mark(&exchanges)
        return CaptureFile(
            header: summary.header, exchanges: exchanges, trailer: summary.trailer, skippedLines: summary.skippedLines,
            skippedLineCount: summary.skippedLineCount)
    }
}
