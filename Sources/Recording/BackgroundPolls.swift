/// Which exchanges are background polls: the same method and URL path repeating at a roughly regular
/// interval, at least three times, with at least one of them started while no flow step was acting.
///
/// Decided on the read side as a pure function of the exchanges, because `capture.jsonl` is append-only
/// and a poll is only recognisable once its repetitions have been seen. `CaptureFile.read` applies it,
/// and the HAR writer uses the same result.
public enum BackgroundPolls {
    /// Intervals may differ from the series' median by this fraction and still count as regular.
    public static let tolerance = 0.35
    public static let minimumRepeats = 3

    public static func identify(_ exchanges: [Exchange]) -> Set<String> {
        var groups: [String: [Exchange]] = [:]
        for exchange in exchanges where exchange.kind == .http && !exchange.isStaticAsset {
            groups[exchange.method + " " + path(of: exchange.url), default: []].append(exchange)
        }
        var polls: Set<String> = []
        for (_, members) in groups where members.count >= minimumRepeats {
            let ordered = members.sorted { $0.startedAt < $1.startedAt }
            for series in regularSeries(ordered) where series.contains(where: { $0.provenance == nil }) {
                polls.formUnion(series.map(\.id))
            }
        }
        return polls
    }

    public static func mark(_ exchanges: inout [Exchange]) {
        let polls = identify(exchanges)
        guard !polls.isEmpty else { return }
        for index in exchanges.indices where polls.contains(exchanges[index].id) {
            exchanges[index].backgroundPoll = true
        }
    }

    /// Maximal runs of consecutive requests whose gaps stay within the tolerance of the run's first gap
    /// (refined to the running median), each at least `minimumRepeats` long.
    static func regularSeries(_ ordered: [Exchange]) -> [[Exchange]] {
        var result: [[Exchange]] = []
        var run: [Exchange] = [ordered[0]]
        var gaps: [Double] = []
        func close() {
            if run.count >= minimumRepeats { result.append(run) }
        }
        for exchange in ordered.dropFirst() {
            let gap = exchange.startedAt - run[run.count - 1].startedAt
            if gaps.isEmpty {
                if gap > 0.05 {
                    gaps.append(gap)
                    run.append(exchange)
                } else {
                    run = [exchange]
                }
                continue
            }
            let median = gaps.sorted()[gaps.count / 2]
            if abs(gap - median) <= median * tolerance {
                gaps.append(gap)
                run.append(exchange)
            } else {
                close()
                run = [run[run.count - 1], exchange]
                gaps = gap > 0.05 ? [gap] : []
                if gaps.isEmpty { run = [exchange] }
            }
        }
        close()
        return result
    }

    /// The path of a URL, without scheme, host, query or fragment.
    public static func path(of url: String) -> String {
        let bytes = url.utf8
        var index = bytes.startIndex
        // Skip `scheme://authority` when there is one.
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            let afterColon = bytes.index(after: colon)
            if bytes[afterColon...].starts(with: "//".utf8) {
                let authority = bytes.index(afterColon, offsetBy: 2)
                guard let slash = bytes[authority...].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }),
                      bytes[slash] == UInt8(ascii: "/") else { return "/" }
                index = slash
            }
        }
        guard let start = bytes[index...].firstIndex(of: UInt8(ascii: "/")) else { return "/" }
        let end = bytes[start...].firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
        return String(url[start..<end])
    }
}
