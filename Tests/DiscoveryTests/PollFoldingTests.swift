import JSONCore
import Recording
import Testing
@testable import Discovery

/// Polls of one endpoint often take turns between a few answers (`GET /api/jobs?id=` and
/// `GET /api/jobs?only_active=true`). Discovery folds each distinct answer once per run of its window
/// (`BodyAccumulator.window`) with a weight, instead of once per poll; the schema must be the one the
/// answers give folded one by one, in order.
@Suite struct PollFoldingTests {
    static let base = "http://127.0.0.1:8675"

    /// The response schema of `GET /api/jobs` after `bodies` were answered in this order.
    static func discoveredSchema(_ bodies: [JSON]) throws -> JSON {
        let exchanges = bodies.enumerated().map { index, body in
            let text = body.serialized()
            return Exchange(
                id: "e\(index)", method: "GET", url: base + "/api/jobs?poll=\(index % 2 == 0 ? "a" : "b")", resourceType: "XHR",
                startedAt: 1_790_000_000 + Double(index), endedAt: 1_790_000_000 + Double(index) + 0.01,
                response: Response(status: 200, mimeType: "application/json", body: Body(size: text.utf8.count, mimeType: "application/json", text: text)))
        }
        var options = DiscoveryOptions(appName: "Polls", baseURL: base)
        options.threads = 1
        let api = Discovery.discover(from: exchanges, options: options)
        let endpoint = try #require(api.endpoints.first { $0.path == "/api/jobs" })
        return try #require(endpoint.responses.first { $0.status == 200 }?.schema)
    }

    /// The same answers folded one at a time into one shape, as discovery did before the window.
    static func foldedOneByOne(_ bodies: [JSON]) -> JSON {
        let node = ShapeNode()
        for body in bodies { node.add(body) }
        return node.schema()
    }

    static func job(_ id: Int, status: String) -> JSON {
        ["id": .string("5f0c1d2e-8a3b-4c5d-9e6f-00000000000\(id)"), "status": .string(status), "step": .integer(id * 10), "info": id % 2 == 0 ? .null : "Training"]
    }

    @Test func twoAnswersTakingTurnsGiveTheSchemaOfTheirSequence() throws {
        let single = Self.job(1, status: "running")
        let list: JSON = ["jobs": [Self.job(1, status: "running"), Self.job(2, status: "queued")]]
        let bodies = (0..<200).map { $0 % 2 == 0 ? single : list }
        let schema = try Self.discoveredSchema(bodies)
        #expect(schema == Self.foldedOneByOne(bodies))
        // Disjoint members stay apart: a Job, or a list of them.
        #expect(schema["oneOf"]?.arrayValue?.count == 2, "\(schema.serialized())")
    }

    @Test func moreDistinctAnswersThanTheWindowHoldsStillCountEveryPoll() throws {
        // Seven answers cycling, more than the window keeps: the window is emptied again and again.
        let answers = (0..<7).map { Self.job($0, status: ["running", "queued", "stopped", "completed", "error", "stopping", "running"][$0]) }
        #expect(answers.count > BodyAccumulator.window)
        let bodies = (0..<350).map { answers[($0 * 3) % answers.count] }
        let schema = try Self.discoveredSchema(bodies)
        #expect(schema == Self.foldedOneByOne(bodies))
        // `status` seen 350 times over six values: the counts behind the enum are every poll's.
        let candidates = schema["properties"]?["status"]?["enum"]?.arrayValue ?? schema["properties"]?["status"]?["x-enum-candidates"]?.objectValue.map { Array($0.keys).map(JSON.string) }
        #expect(candidates?.count == 6, "\(schema.serialized())")
    }

    @Test func answersWhoseTypesDifferMergeAsInSequence() throws {
        let bodies: [JSON] = (0..<120).map { index in
            switch index % 3 {
            case 0: ["value": .integer(index), "unit": "steps"]
            case 1: ["value": .string("n/a"), "unit": .null]
            default: ["value": .number(0.5), "extra": ["nested": true]]
            }
        }
        let schema = try Self.discoveredSchema(bodies)
        #expect(schema == Self.foldedOneByOne(bodies))
    }
}
