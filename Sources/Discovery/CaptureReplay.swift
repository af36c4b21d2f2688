import Foundation
import JSONCore
import Recording

/// Replays `capture.jsonl` once per pass through `CaptureReader`, whose memory follows the API's
/// shape, not the capture's size. Decoding, most of a pass's work, runs on threads of their own
/// (`CaptureReader.read(_:decoders:_:)`), beside what the caller does with each exchange.
struct CaptureReplay {
    struct Summary: Sendable {
        var header: CaptureHeader?
        var trailer: CaptureTrailer?
        var skippedLines = 0
    }

    let url: URL
    var decoders = DiscoveryOptions().effectiveThreads

    /// Hands every exchange to `visit` in file order, on the calling thread. A later record of an
    /// exchange already handed out cannot change what was counted: skipped.
    /// `detail`: discovery reads no timings, initiators or pages (skipped, not built), and its first
    /// pass only a few headers (`.routes`).
    func replay(detail: CaptureDetail = .discovery, clock: StageClock? = nil, stage: String = "read", _ visit: (Exchange) -> Void) throws -> Summary {
        let read = try CaptureReader.read(url, decoders: decoders, detail: detail, clock: clock, stage: stage) { exchange, isUpdate in
            if !isUpdate { visit(exchange) }
        }
        return Summary(header: read.header, trailer: read.trailer, skippedLines: read.skippedLineCount)
    }
}
