import Foundation
import JSONCore
import Recording
import Testing

@testable import Discovery

@Suite("Discovery from capture.jsonl")
struct CaptureReplayTests {
    /// Writes the session the way the recorder does: streams open with an exchange record, their
    /// messages follow as records of their own, then a stream-end.
    static func writeCapture(_ exchanges: [Exchange], to url: URL, complete: Bool) throws {
        let writer = try CaptureWriter(url: url)
        try writer.append(.header(CaptureHeader(toolVersion: "test", startedAt: exchanges.first?.startedAt ?? 0, baseURL: "http://127.0.0.1:8675", flows: [], redacted: true)))
        for exchange in exchanges {
            if exchange.kind == .http {
                try writer.append(.exchange(exchange))
                continue
            }
            var opening = exchange
            opening.messages = []
            opening.streamOpen = true
            try writer.append(.exchange(opening))
            for message in exchange.messages { try writer.append(.message(exchangeID: exchange.id, message)) }
            try writer.append(.streamEnd(exchangeID: exchange.id, time: exchange.endedAt ?? exchange.startedAt, open: exchange.streamOpen))
        }
        if complete { try writer.append(.trailer(CaptureTrailer(complete: true, reason: nil, endedAt: 0, counts: [:]))) }
        try writer.close()
    }

    @Test("reading capture.jsonl in chunks gives the same description as the exchanges in memory")
    func sameAsInMemory() throws {
        let folder = try temporaryFolder("replay")
        defer { try? FileManager.default.removeItem(at: folder) }
        let exchanges = AIToolkitSession.build(.august2026)
        let url = folder.appendingPathComponent("capture.jsonl")
        try Self.writeCapture(exchanges, to: url, complete: true)
        let options = DiscoveryOptions(appName: "AI Toolkit")
        let fromFile = try Discovery.discover(captureAt: url, options: options)
        var expected = Discovery.discover(from: exchanges, options: options)
        expected.baseURL = fromFile.baseURL
        #expect(fromFile.endpoints == expected.endpoints)
        #expect(fromFile.links == expected.links)
        #expect(fromFile.notes == [])
        let monitor = try #require(fromFile.endpoints.first { $0.path == "/api/monitor" })
        #expect(monitor.stream?.messages.map(\.count) == [1, 20])
    }

    @Test("a capture cut short (no trailer, a torn last line) is described with a note saying so")
    func incomplete() throws {
        let folder = try temporaryFolder("torn")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("capture.jsonl")
        try Self.writeCapture(AIToolkitSession.build(.august2026), to: url, complete: false)
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"record":"exchange","v":1,"exchange":{"id":"torn","#.utf8))
        try handle.close()
        let api = try Discovery.discover(captureAt: url, options: DiscoveryOptions(appName: "AI Toolkit"))
        #expect(api.endpoints.contains { $0.path == "/api/jobs/{jobId}/start" })
        #expect(api.notes.contains { $0.hasPrefix("The capture is incomplete") })
        #expect(api.notes.contains("1 unreadable capture lines were skipped."))
    }

    @Test("a capture of many shard batches and decoder chunks, with an unknown record kind and a torn last line, is described as the same exchanges in memory")
    func manyBatches() throws {
        let folder = try temporaryFolder("batches")
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = AIToolkitSession.build(.august2026)
        var exchanges: [Exchange] = []
        var round = 0
        while exchanges.count < ShapePass.batchSize * (ShapePass.batchesAhead + 3) {
            exchanges += session.map { exchange in
                var copy = exchange
                copy.id = "r\(round)-\(exchange.id)"
                return copy
            }
            round += 1
        }
        let url = folder.appendingPathComponent("capture.jsonl")
        try Self.writeCapture(exchanges, to: url, complete: false)
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        lines.insert(#"{"record":"annotation","v":1,"text":"from a newer recorder"}"#, at: lines.count / 2)
        lines.append(#"{"record":"exchange","v":1,"exchange":{"id":"torn","#)
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)

        let options = DiscoveryOptions(appName: "AI Toolkit", baseURL: "http://127.0.0.1:8675")
        let fromFile = try Discovery.discover(captureAt: url, options: options)
        var expected = Discovery.discover(from: exchanges, options: options)
        // Only the file has a trailer to say whether the run completed (this one has none).
        expected.capture.complete = false
        expected.notes += [
            "The capture is incomplete (no trailer, or the run ended on a failed step): routes may be missing.",
            "2 unreadable capture lines were skipped.",
        ]
        #expect(fromFile.capture.exchanges == exchanges.count)
        #expect(fromFile == expected)
    }
}
