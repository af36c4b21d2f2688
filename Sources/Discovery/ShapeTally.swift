import JSONCore
import Recording

/// What the second pass adds up besides the endpoints' own accumulators. The pass may run on several
/// threads, each owning some endpoints (`DiscoveryRun.assignShards`); each thread keeps a tally of its
/// own and `merged` folds them into one that equals the tally of a single thread: counts add up, sets
/// unite, and where the first occurrence wins, the first in exchange order does.
struct ShapeTally {
    var described = 0
    var otherOrigins = 0
    /// Exchanges described, by group.
    var groupCounts: [Int]
    var dataLinks: [String: (link: DataLink, count: Int)] = [:]
    /// Endpoint -> request bodies traced for links.
    var bodyLinksChecked: [Int: Int] = [:]
    var steps: [Provenance: Set<String>] = [:]
    /// When each flow's first exchange started: flows run one after the other, so this orders them
    /// the same in every run, whatever order their exchanges ended in.
    var flowStarts: [String: Double] = [:]
    /// Scheme name -> its definition, from the first exchange (by position in the pass) that carried it.
    var schemes: [String: (position: Int, definition: JSON)] = [:]
    var credentialMemo = CredentialScheme.Memo()
    var cache = ParseCache()

    init(groups: Int) { groupCounts = Array(repeating: 0, count: groups) }

    mutating func addLink(from: String, field: String, to: String, location: String, name: String, count: Int) {
        let key = [from, field, to, location, name].joined(separator: "\u{1}")
        if let entry = dataLinks[key] {
            dataLinks[key] = (entry.link, entry.count + count)
        } else {
            dataLinks[key] = (DataLink(from: from, field: field, to: to, location: location, name: name, count: 0), count)
        }
    }

    static func merged(_ tallies: [ShapeTally]) -> ShapeTally {
        guard var total = tallies.first else { return ShapeTally(groups: 0) }
        for tally in tallies.dropFirst() {
            total.described += tally.described
            total.otherOrigins += tally.otherOrigins
            for (group, count) in tally.groupCounts.enumerated() { total.groupCounts[group] += count }
            total.dataLinks.merge(tally.dataLinks) { mine, theirs in (mine.link, mine.count + theirs.count) }
            total.bodyLinksChecked.merge(tally.bodyLinksChecked, uniquingKeysWith: +)
            total.steps.merge(tally.steps) { $0.union($1) }
            total.flowStarts.merge(tally.flowStarts) { min($0, $1) }
            total.schemes.merge(tally.schemes) { $0.position <= $1.position ? $0 : $1 }
            total.cache.absorbTooDeep(tally.cache)
        }
        return total
    }
}
