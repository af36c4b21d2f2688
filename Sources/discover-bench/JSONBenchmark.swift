import Foundation
import JSONCore
import Recording

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The json section: `JSON.parse` over a capture.jsonl built in memory (AI Toolkit polling exchanges
/// of ~0.7-1.5 kB with browser headers and escaped JSON bodies), against Foundation's
/// `JSONSerialization` and the parser as it was before it was tuned, measured in the same run so the
/// ratios hold on a loaded machine. Rates are per CPU second of the measuring thread.
@Sendable func runJSONBenchmark() async throws {
    let lineCount = Int(ProcessInfo.processInfo.environment["JSON_BENCH_LINES"] ?? "") ?? 200_000
    let capture = JSONBenchmark.buildCapture(lines: lineCount)
    let megabytes = Double(capture.bytes.count) / 1_000_000
    print("  input: \(lineCount) lines, \(String(format: "%.1f", megabytes)) MB (\(capture.bytes.count / lineCount) bytes/line)")
    let rounds = 2
    var results: [(name: String, seconds: Double)] = []
    try capture.bytes.withUnsafeBufferPointer { bytes throws in
        for (name, parse) in JSONBenchmark.parsers {
            var best = Double.infinity
            for _ in 0..<rounds {
                let seconds = try JSONBenchmark.threadCPUTime { try parse(bytes, capture.lines) }
                best = min(best, seconds)
            }
            results.append((name, best))
        }
    }
    let foundation = results.first { $0.name == JSONBenchmark.foundationName }!.seconds
    for (name, seconds) in results {
        print("  \(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(format: "%7.1f", megabytes / seconds)) MB/s  "
            + "\(String(format: "%9.0f", Double(lineCount) / seconds)) lines/s  \(String(format: "%.2f", foundation / seconds))x Foundation")
    }
    // What reading a capture costs per line before discovery sees it: the parse plus the record decoding.
    var decodeSeconds = Double.infinity
    try capture.bytes.withUnsafeBufferPointer { bytes throws in
        for _ in 0..<rounds {
            decodeSeconds = min(decodeSeconds, try JSONBenchmark.threadCPUTime {
                for line in capture.lines {
                    guard case .exchange = try CaptureRecord(json: try JSON.parse(bytes: UnsafeBufferPointer(rebasing: bytes[line]))) else {
                        throw BenchmarkError(message: "line \(line) is not an exchange record")
                    }
                }
            })
        }
    }
    let parseSeconds = results.last!.seconds
    print("  JSON.parse + CaptureRecord(json:)  \(String(format: "%7.1f", megabytes / decodeSeconds)) MB/s  "
        + "\(String(format: "%9.0f", Double(lineCount) / decodeSeconds)) lines/s  (parsing is \(Int((100 * parseSeconds / decodeSeconds).rounded()))% of it)")
    print("  (best of \(rounds) rounds each; rates per CPU second of the measuring thread)")
}

enum JSONBenchmark {
    static let foundationName = "Foundation JSONSerialization"
    typealias Parse = @Sendable (UnsafeBufferPointer<UInt8>, [Range<Int>]) throws -> Void

    static let parsers: [(String, Parse)] = [
        (foundationName, { bytes, lines in
            for line in lines {
                let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + line.lowerBound), count: line.count, deallocator: .none)
                _ = try JSONSerialization.jsonObject(with: data)
            }
        }),
        ("JSON.parse(bytes:)", { bytes, lines in
            for line in lines { _ = try JSON.parse(bytes: UnsafeBufferPointer(rebasing: bytes[line])) }
        }),
    ]

    static func threadCPUTime(_ body: () throws -> Void) rethrows -> Double {
        var start = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        try body()
        var end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }

    // MARK: the input

    static let base = "http://127.0.0.1:8675"
    static let userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36"

    /// One capture.jsonl in memory and the byte range of each line (without its newline).
    static func buildCapture(lines count: Int) -> (bytes: [UInt8], lines: [Range<Int>]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 1_200)
        var lines: [Range<Int>] = []
        lines.reserveCapacity(count)
        for index in 0..<count {
            let start = bytes.count
            bytes.append(contentsOf: exchangeLine(index).serialized().utf8)
            lines.append(start..<bytes.count)
            bytes.append(0x0A)
        }
        return (bytes, lines)
    }

    static func exchangeLine(_ index: Int) -> JSON {
        let job = String(format: "5f0c1d2e-8a3b-4c5d-9e6f-%012x", (index / 5_000) * 7_919 + 1)
        let (path, body): (String, String)
        switch index % 5 {
        case 0, 1:
            path = "/api/jobs?only_active=true"
            body = #"{"jobs":[{"id":"\#(job)","name":"lora_\#(index % 977)","gpu_ids":"0","status":"running","step":\#(index % 3_000),"total_steps":3000,"info":"Training","speed_string":"1.2\#(index % 10) it/s","created_at":"2026-11-26T19:20:00.000Z","updated_at":"2026-11-26T19:21:\#(index % 60).000Z","pid":4242,"job_ref":null,"queue_position":0,"stop":false}]}"#
        case 2:
            path = "/api/jobs/\(job)/log?offset=\(index * 37)"
            body = #"{"log":"step \#(index): loss 0.\#(index % 997), lr 1e-4\n","offset":\#(index * 37 + 41),"reset":false}"#
        case 3:
            path = "/api/ostris_cloud"
            body = #"{"enabled":false}"#
        default:
            path = "/api/queue"
            body = #"{"queues":[{"id":1,"gpu_ids":"0","is_running":true,"jobs":["\#(job)"]}]}"#
        }
        let started = 1_790_000_000 + Double(index) * 0.4 + 0.000_123
        let wait = 1.5 + Double(index % 1_000) / 7
        let exchange: JSON = [
            "id": .string("e\(index)"), "kind": "http", "method": "GET", "url": .string(base + path), "resourceType": "Fetch",
            "startedAt": .number(started), "endedAt": .number(started + wait / 1_000),
            "initiator": ["type": "script", "url": .string(base + "/_next/static/chunks/app/jobs/page-3f2a9c.js"), "lineNumber": .integer(index % 400)],
            "request": [
                "headers": headers([
                    ("Accept", "*/*"), ("Accept-Encoding", "gzip, deflate, br, zstd"), ("Accept-Language", "en-US,en;q=0.9"),
                    ("Authorization", "Bearer <redacted:AI_TOOLKIT_PASSWORD>"), ("Connection", "keep-alive"),
                    ("Referer", base + "/jobs"), ("User-Agent", userAgent), ("sec-ch-ua-platform", "\"Linux\""),
                ]),
                "headersFromWire": true,
            ],
            "response": [
                "status": 200, "statusText": "OK", "httpVersion": "http/1.1", "mimeType": "application/json", "remoteAddress": "127.0.0.1:8675",
                "headers": headers([
                    ("Connection", "keep-alive"), ("Content-Type", "application/json"), ("Date", "Thu, 26 Nov 2026 19:20:\(index % 60) GMT"),
                    ("Keep-Alive", "timeout=5"), ("Transfer-Encoding", "chunked"), ("Vary", "RSC, Next-Router-State-Tree, Next-Router-Prefetch"),
                ]),
                "body": ["size": .integer(body.utf8.count), "mimeType": "application/json", "text": .string(body)],
            ],
            "timings": [
                "blocked": .number(0.215), "dns": -1, "connect": -1, "ssl": -1, "send": .number(0.061),
                "wait": .number(wait), "receive": .number(0.488),
            ],
            "backgroundPoll": true,
        ]
        return ["record": "exchange", "v": 1, "exchange": exchange]
    }

    static func headers(_ pairs: [(String, String)]) -> JSON {
        .array(pairs.map { JSON.array([.string($0.0), .string($0.1)]) })
    }
}
