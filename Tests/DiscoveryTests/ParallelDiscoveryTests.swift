import Foundation
import JSONCore
import Recording
import Testing

@testable import Discovery

/// Discovery decodes on several threads and folds shapes on several shards; the description must be
/// the one a single thread makes, byte for byte, on real apps' traffic.
@Suite("Discovery on several threads")
struct ParallelDiscoveryTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("corpus")

    static func describe(_ url: URL, threads: Int) throws -> String {
        var options = DiscoveryOptions(appName: "app")
        options.threads = threads
        let api = try Discovery.discover(captureAt: url, options: options)
        return api.json.serialized(.pretty)
    }

    @Test("each corpus capture is described the same on 1, 2 and 3 threads")
    func corpusSameOnAnyThreads() throws {
        let apps = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        var compared = 0
        for app in apps {
            for run in ["run-1", "run-2"] {
                let url = Self.corpus.appendingPathComponent(app).appendingPathComponent("\(run).capture.jsonl")
                guard FileManager.default.fileExists(atPath: url.path) else { continue }
                let one = try Self.describe(url, threads: 1)
                #expect(one.contains("\"endpoints\""))
                for threads in [2, 3] {
                    #expect(try Self.describe(url, threads: threads) == one, "\(app) \(run) on \(threads) threads")
                }
                compared += 1
            }
        }
        #expect(compared >= 12, "expected two runs of at least six corpus apps, compared \(compared)")
    }

    /// The file path decodes only what discovery reads (`CaptureDetail.routes` in pass 1, `.discovery`
    /// in pass 2); every field, read whole into memory, must give the same description.
    @Test("each corpus capture is described the same from the file as from all its fields in memory")
    func partialDecodingLosesNothing() throws {
        let apps = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        var compared = 0
        for app in apps {
            let url = Self.corpus.appendingPathComponent(app).appendingPathComponent("run-1.capture.jsonl")
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            // The exchanges exactly as discovery's passes see them (first records; streams at their
            // end), every field decoded.
            var whole: [Exchange] = []
            let summary = try CaptureReader.read(url) { exchange, isUpdate in if !isUpdate { whole.append(exchange) } }
            #expect(whole.contains { !$0.request.headers.isEmpty && $0.initiator != nil }, "\(app): real traffic carries headers and initiators")
            let options = DiscoveryOptions(appName: "app", baseURL: summary.header?.baseURL)
            let fromFile = try Discovery.discover(captureAt: url, options: options)
            let inMemory = Discovery.discover(from: whole, options: options)
            #expect(fromFile.endpoints == inMemory.endpoints, "\(app)")
            #expect(fromFile.links == inMemory.links, "\(app)")
            #expect(fromFile.securitySchemes == inMemory.securitySchemes, "\(app)")
            #expect(fromFile.steps.map(\.calls) == inMemory.steps.map(\.calls), "\(app)")
            compared += 1
        }
        #expect(compared >= 6)
    }

    @Test("DISCOVER_THREADS sets the default number of threads; without it, one per core, at most four")
    func defaultThreads() {
        #expect(DiscoveryOptions.defaultThreads(environment: ["DISCOVER_THREADS": "1"], cores: 8) == 1)
        #expect(DiscoveryOptions.defaultThreads(environment: ["DISCOVER_THREADS": " 6 "], cores: 2) == 6)
        #expect(DiscoveryOptions.defaultThreads(environment: ["DISCOVER_THREADS": "0"], cores: 2) == 2)
        #expect(DiscoveryOptions.defaultThreads(environment: ["DISCOVER_THREADS": "many"], cores: 16) == 4)
        #expect(DiscoveryOptions.defaultThreads(environment: [:], cores: 1) == 1)
        var options = DiscoveryOptions()
        options.threads = 3
        #expect(options.effectiveThreads == 3, "an explicit number wins over the environment")
    }

    @Test("in memory, the shards give the same description as one thread (the AI Toolkit session, both versions)")
    func inMemorySame() {
        for version in [AIToolkitSession.Version.august2026, .october2025] {
            let exchanges = AIToolkitSession.build(version)
            var one = DiscoveryOptions(appName: "AI Toolkit")
            one.threads = 1
            var three = one
            three.threads = 3
            let serial = Discovery.discover(from: exchanges, options: one).json.serialized(.pretty)
            #expect(Discovery.discover(from: exchanges, options: three).json.serialized(.pretty) == serial)
        }
    }

    @Test("the first exchange to carry a scheme defines it, whichever shard it falls to")
    func firstSchemeWins() {
        // Two endpoints with one exchange each: each lands on its own shard. The second exchange in
        // order sends another cookie under the same scheme name; the first one's must win.
        func exchange(_ id: String, _ path: String, cookie: String, at time: Double) -> Exchange {
            Exchange(
                id: id, method: "GET", url: "http://app.test\(path)", resourceType: "XHR", startedAt: time, endedAt: time + 0.1,
                request: Request(headers: [Header(name: "Cookie", value: cookie)]),
                response: Response(status: 200, mimeType: "application/json", body: Body(size: 2, mimeType: "application/json", text: "{}")))
        }
        let exchanges = [
            exchange("1", "/api/a", cookie: "sessionid=1", at: 1), exchange("2", "/api/b", cookie: "session_token=2", at: 2),
            exchange("3", "/api/b", cookie: "session_token=2", at: 3), exchange("4", "/api/b", cookie: "session_token=2", at: 4),
        ]
        var one = DiscoveryOptions(appName: "app")
        one.threads = 1
        var two = one
        two.threads = 2
        let serial = Discovery.discover(from: exchanges, options: one)
        let sharded = Discovery.discover(from: exchanges, options: two)
        #expect(serial.securitySchemes["cookieAuth"]?["name"] == "sessionid")
        #expect(sharded.securitySchemes == serial.securitySchemes)
        #expect(sharded.json.serialized() == serial.json.serialized())
    }
}
