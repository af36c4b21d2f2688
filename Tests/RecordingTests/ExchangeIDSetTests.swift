import Testing
@testable import Recording

/// The reader's set of handed-out ids: exact membership whatever the hashes do.
@Suite struct ExchangeIDSetTests {
    @Test func holdsEachIdOnceThroughGrowth() {
        var set = ExchangeIDSet(capacity: 4)
        let ids = (0..<50_000).map { "\($0).\($0 % 7)" } + (0..<2_000).map { "interception-job-\($0).long-enough-to-live-on-the-heap" }
        var refused: [String] = []
        for id in ids where !set.insert(id) { refused.append(id) }
        #expect(refused.isEmpty, "new ids taken for old ones: \(refused.prefix(5))")
        #expect(set.count == ids.count)
        var twice: [String] = []
        for id in ids where set.insert(id) { twice.append(id) }
        #expect(twice.isEmpty, "ids counted twice: \(twice.prefix(5))")
        #expect(set.count == ids.count)
        #expect(ids.allSatisfy { set.contains($0) })
        #expect(!set.contains("50000.0"))
        #expect(!set.contains(""))
    }

    @Test func idsSharingSlotsStayApart() {
        // Twelve ids in sixteen slots (before it grows): most share a probe chain with another, and each
        // is told apart by comparing ids.
        var set = ExchangeIDSet(capacity: 1)
        let ids = (0..<12).map { "r\($0)" }
        for id in ids {
            let added = set.insert(id)
            #expect(added)
        }
        for id in ids { #expect(set.contains(id)) }
        for miss in (12..<40).map({ "r\($0)" }) { #expect(!set.contains(miss)) }
        #expect(set.count == 12)
    }

    @Test func theEmptyIdIsAnId() {
        var set = ExchangeIDSet()
        #expect(!set.contains(""))
        let added = set.insert("")
        #expect(added)
        #expect(set.contains(""))
        let addedAgain = set.insert("")
        #expect(!addedAgain)
    }
}
