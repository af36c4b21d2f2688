import Testing
@testable import Recording

@Suite struct BackgroundPollsTests {
    func exchange(_ id: String, _ url: String, at time: Double, step: Int? = nil, method: String = "GET") -> Exchange {
        Exchange(id: id, method: method, url: url, startedAt: time, provenance: step.map { Provenance(flow: "f", step: $0, description: "click") })
    }

    @Test func aRegularRepeatSeenWhileNoStepActedIsAPoll() {
        var exchanges = [
            exchange("a", "http://x/api/jobs?x=1", at: 10, step: 2),
            exchange("b", "http://x/api/jobs?x=2", at: 12),
            exchange("c", "http://x/api/jobs?x=3", at: 14.1),
            exchange("d", "http://x/api/jobs?x=4", at: 15.9),
            // Same path, other parameters: another poll, or none.
            exchange("list", "http://x/api/jobs", at: 12.5),
            exchange("once", "http://x/api/jobs/1", at: 11),
        ]
        BackgroundPolls.mark(&exchanges)
        #expect(exchanges.filter(\.backgroundPoll).map(\.id) == ["a", "b", "c", "d"])
    }

    @Test func aRegularRepeatAcrossStepsIsAPoll() {
        let polls = [1, 1, 2, 3].enumerated().map { exchange("p\($0.offset)", "http://x/api/jobs?id=1", at: Double($0.offset) * 2, step: $0.element) }
        #expect(BackgroundPolls.identify(polls) == Set(polls.map(\.id)))
    }

    @Test func repeatsWithinOneStepPostsBurstsAndIrregularRepeatsAreNotPolls() {
        let withinOneStep = (0..<4).map { exchange("s\($0)", "http://x/api/status", at: Double($0) * 2, step: 1) }
        let uploads = (0..<4).map { exchange("u\($0)", "http://x/api/datasets/upload", at: 50 + Double($0) * 2, method: "POST") }
        let burst = (0..<4).map { exchange("b\($0)", "http://x/api/img/a", at: 80 + Double($0) * 0.1) }
        let irregular = [0.0, 0.5, 7, 30].enumerated().map { exchange("i\($0.offset)", "http://x/api/other", at: $0.element) }
        #expect(BackgroundPolls.identify(withinOneStep + uploads + burst + irregular).isEmpty)
    }

    @Test func pathDropsSchemeHostQueryAndFragment() {
        #expect(BackgroundPolls.path(of: "http://127.0.0.1:8675/api/jobs?x=1#y") == "/api/jobs")
        #expect(BackgroundPolls.path(of: "http://127.0.0.1:8675") == "/")
    }
}
