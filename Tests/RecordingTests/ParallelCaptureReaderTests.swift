import Foundation
import JSONCore
import Testing

@testable import Recording

/// The reader that decodes on several threads must hand out exactly what the one-thread reader does:
/// the same exchanges in the same order, the same updates, the same unreadable lines with the same
/// numbers, whatever the chunk boundaries cut through.
@Suite("Reading capture.jsonl on several threads")
struct ParallelCaptureReaderTests {
    struct Reading: Equatable {
        var handedOut: [Exchange] = []
        var updates: [Bool] = []
        var header: CaptureHeader?
        var trailer: CaptureTrailer?
        var skippedLines: [Int] = []
        var skippedCount = 0
    }

    static func read(_ url: URL, decoders: Int, chunkSize: Int = 1 << 20) throws -> Reading {
        var reading = Reading()
        let summary = try CaptureReader.read(url, decoders: decoders, chunkSize: chunkSize) { exchange, isUpdate in
            reading.handedOut.append(exchange)
            reading.updates.append(isUpdate)
        }
        reading.header = summary.header
        reading.trailer = summary.trailer
        reading.skippedLines = summary.skippedLines.map(\.line)
        reading.skippedCount = summary.skippedLineCount
        return reading
    }

    /// The corpus: captures of real apps nobody here wrote.
    static let corpusCaptures: [URL] = {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("corpus")
        let apps = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
        return apps.sorted().map { corpus.appendingPathComponent($0).appendingPathComponent("run-1.capture.jsonl") }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
    }()

    @Test("each corpus capture reads the same on 2 and 3 decoders, in chunks of 4 KB and 1 MB")
    func corpusCapturesReadTheSame() throws {
        #expect(Self.corpusCaptures.count >= 6, "the corpus captures are missing: \(Self.corpusCaptures)")
        for url in Self.corpusCaptures {
            let serial = try Self.read(url, decoders: 1)
            #expect(serial.handedOut.count > 10, "\(url.path) holds too little to compare")
            for decoders in [2, 3] {
                for chunkSize in [4096, 1 << 20] {
                    let parallel = try Self.read(url, decoders: decoders, chunkSize: chunkSize)
                    #expect(parallel == serial, "\(url.deletingLastPathComponent().lastPathComponent): \(decoders) decoders, chunks of \(chunkSize)")
                }
            }
        }
    }

    @Test("torn, blank and unreadable lines, streams and updates across chunk boundaries read the same")
    func awkwardFileReadsTheSame() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parallel-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("capture.jsonl")
        var lines: [String] = [CaptureRecord.header(CaptureHeader(toolVersion: "t", startedAt: 1, baseURL: "http://x", flows: ["a"], redacted: true)).serializedLine()]
        for index in 0..<40 {
            let exchange = Exchange(
                id: "e\(index)", method: "GET", url: "http://x/api/items/\(index % 3)", startedAt: Double(index),
                response: Response(status: 200, mimeType: "application/json", body: Body(size: 10, text: #"{"n":\#(index % 2)}"#)))
            lines.append(CaptureRecord.exchange(exchange).serializedLine())
            if index % 7 == 0 { lines.append("") }
            if index % 11 == 0 { lines.append(#"{"record":"exchange","v":99}"#) }
            if index == 5 { lines.append(CaptureRecord.exchange(Exchange(id: "s1", kind: .stream, method: "GET", url: "http://x/events", startedAt: 5, streamOpen: true)).serializedLine()) }
            if index > 5, index < 30 { lines.append(CaptureRecord.message(exchangeID: "s1", StreamMessage(direction: .received, time: Double(index), data: "m\(index)")).serializedLine()) }
            if index == 30 { lines.append(CaptureRecord.streamEnd(exchangeID: "s1", time: 30, open: false).serializedLine()) }
            if index == 20 { lines.append(CaptureRecord.exchange(Exchange(id: "e3", method: "GET", url: "http://x/api/items/0", startedAt: 3)).serializedLine()) }
        }
        lines.append(CaptureRecord.exchange(Exchange(id: "s2", kind: .stream, method: "GET", url: "http://x/ws", startedAt: 50, streamOpen: true)).serializedLine())
        lines.append(#"{"record":"exchange","v":1,"exchange":{"id":"torn""#)
        try Data(lines.joined(separator: "\n").utf8).write(to: url)

        let serial = try Self.read(url, decoders: 1)
        #expect(serial.handedOut.count == 43, "40 exchanges, two streams and one update")
        #expect(serial.updates.filter { $0 }.count == 1)
        #expect(serial.skippedCount == 5)
        #expect(serial.handedOut.first { $0.id == "s1" }?.messages.count == 24)
        for decoders in [2, 3, 5] {
            for chunkSize in [1, 64, 333, 4096] {
                #expect(try Self.read(url, decoders: decoders, chunkSize: chunkSize) == serial, "\(decoders) decoders, chunks of \(chunkSize)")
            }
        }
    }

    @Test("a file that cannot be opened is an error, not an empty capture")
    func missingFile() {
        #expect(throws: (any Error).self) { try Self.read(URL(fileURLWithPath: "/nonexistent/capture.jsonl"), decoders: 2) }
    }
}
