/// A folder's flows split where they may run side by side: two flows are in one chain when one is a
/// prerequisite of the other, directly or through others, or both need the same one. Chains keep the
/// folder's order, and are listed by their first flow's place in it.
public enum FlowChains {
    public static func split(_ flows: [Flow]) -> [[Flow]] {
        var parent = Array(flows.indices)
        func root(_ index: Int) -> Int {
            var index = index
            while parent[index] != index {
                parent[index] = parent[parent[index]]
                index = parent[index]
            }
            return index
        }
        let byFile = Dictionary(flows.enumerated().map { ($1.fileName, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, flow) in flows.enumerated() {
            for prerequisite in flow.prerequisites {
                let name = String(prerequisite.split(separator: "/").last ?? "")
                guard let other = byFile[name] else { continue }
                let (a, b) = (root(index), root(other))
                if a != b { parent[max(a, b)] = min(a, b) }
            }
        }
        var chains: [Int: [Flow]] = [:]
        for (index, flow) in flows.enumerated() { chains[root(index), default: []].append(flow) }
        return chains.keys.sorted().map { chains[$0]! }
    }
}
