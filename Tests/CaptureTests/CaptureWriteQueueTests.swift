import Foundation
import Glibc
import JSONCore
import Testing
@testable import Capture
@testable import Recording

/// `capture.jsonl` is written on a queue of its own: records keep the order they were assembled in, and a
/// write that fails (a full disk) still reaches the summary, uncounted.
@Suite(.serialized) struct CaptureWriteQueueTests {
    typealias F = AssemblerFixture

    static func exchange(_ f: F, _ id: String) {
        f.send("Network.requestWillBeSentExtraInfo", ["requestId": .string(id), "headers": ["Accept": "*/*"]])
        f.send("Network.responseReceivedExtraInfo", ["requestId": .string(id), "statusCode": 200, "headers": ["content-type": "application/json"]])
        f.send("Network.requestWillBeSent", F.request(id, "http://127.0.0.1:9/api/items/\(id)"))
        f.send("Network.responseReceived", F.response(id))
        f.send("Network.loadingFinished", F.finished(id))
        f.answerBodies([id: #"{"id":"\#(id)"}"#])
    }

    @Test func recordsReachTheFileInTheOrderTheyWereAssembled() throws {
        let f = try F()
        let ids = (0..<600).map { "r\($0)" }
        for id in ids { Self.exchange(f, id) }
        let urls = try f.lines().compactMap { $0["exchange"]?["url"]?.stringValue }
        #expect(urls == ids.map { "http://127.0.0.1:9/api/items/\($0)" })
        let file = try f.finish()
        #expect(file.exchanges.count == 600)
        #expect(file.trailer?.counts["exchanges"] == 600)
    }

    @Test func aWriteThatFailsIsReportedAndNotCounted() throws {
        let f = try F()
        Self.exchange(f, "before")
        f.core.flush()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: f.core.options.captureURL.path)[.size] as? Int)
        // The file may not grow by more than a few bytes: the next record fails half-written, as on a full
        // disk (EFBIG instead of ENOSPC; SIGXFSZ ignored so the write returns the error).
        var saved = rlimit()
        getrlimit(fileSizeLimit, &saved)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var limited = saved
        limited.rlim_cur = rlim_t(size + 16)
        setrlimit(fileSizeLimit, &limited)
        Self.exchange(f, "lost")
        f.core.flush()
        setrlimit(fileSizeLimit, &saved)
        signal(SIGXFSZ, previousHandler)
        Self.exchange(f, "after")

        let summary = try f.core.finish(complete: true, reason: nil)
        #expect(summary.writeErrors.count == 1, "\(summary.writeErrors)")
        #expect(summary.writeErrors.first?.contains("capture.jsonl") == true, "\(summary.writeErrors)")
        #expect(!summary.complete)
        #expect(summary.exchanges == 2)
        let file = try CaptureFile.read(f.core.options.captureURL)
        #expect(Set(file.exchanges.map(\.url)) == ["http://127.0.0.1:9/api/items/before", "http://127.0.0.1:9/api/items/after"])
        #expect(file.skippedLines.isEmpty, "the failed write left no half line behind")
        #expect(file.trailer?.counts["exchanges"] == 2)
    }
}

/// Glibc imports RLIMIT_FSIZE as an enum case on Linux (`__rlimit_resource`); setrlimit takes its raw value.
private let fileSizeLimit = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
