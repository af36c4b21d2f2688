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
        // is told apart by comparing ids. (The hash table itself: `r0`... would go to the bitmap.)
        var set = HashedIDSet(capacity: 1)
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

    @Test func numberedIdsAreExactInTheBitmap() {
        var set = ExchangeIDSet()
        // The recorder's ids, out of order as streams end late, then ids the bitmap must not confuse
        // with them: a leading zero, another prefix, a number past the bitmap, no number, digits only.
        let recorder = (0..<5_000).map { "e\(($0 * 7919) % 5_000)" }
        let others = ["e01", "e007", "E1", "ee1", "x1", "e", "", "1", "e\(ExchangeIDSet.largestNumber + 1)", "e123456789", "e1.5"]
        for id in recorder {
            let added = set.insert(id)
            #expect(added, "\(id) refused")
        }
        for id in others {
            #expect(!set.contains(id), "\(id) taken for a recorder id")
            let added = set.insert(id)
            #expect(added, "\(id) refused")
        }
        #expect(set.count == recorder.count + others.count)
        for id in recorder + others {
            let addedAgain = set.insert(id)
            #expect(!addedAgain, "\(id) counted twice")
        }
        #expect(set.contains("e4999") && !set.contains("e5000") && !set.contains("e100000"))
        #expect(set.count == recorder.count + others.count)
    }

    @Test func theBitmapGrowsToTheLargestNumber() {
        var set = ExchangeIDSet()
        let added = ["e\(ExchangeIDSet.largestNumber)", "e64", "e63", "e0"].map { set.insert($0) }
        #expect(added == [true, true, true, true])
        #expect(set.contains("e\(ExchangeIDSet.largestNumber)") && set.contains("e64") && !set.contains("e65"))
        let addedAgain = set.insert("e0")
        #expect(!addedAgain)
        #expect(set.count == 4)
    }
}
