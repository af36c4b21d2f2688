/// Which exchanges are background polls: the same GET (or HEAD) of the same URL path repeating at a
/// roughly regular interval of at least half a second, at least three times, and independent of the
/// steps: one of them started while no flow step was acting, or the series runs across two or more
/// steps. (A step that waits ten seconds while the page polls is still watching a timer; a step that
/// uploads three files in a row is not, which is why POSTs and sub-second bursts never count.)
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
        for exchange in exchanges where exchange.kind == .http && !exchange.isStaticAsset && (exchange.method == "GET" || exchange.method == "HEAD") {
            groups[exchange.method + " " + path(of: exchange.url) + "?" + queryNames(of: exchange.url), default: []].append(exchange)
        }
        var polls: Set<String> = []
        for (_, members) in groups where members.count >= minimumRepeats {
            let ordered = members.sorted { $0.startedAt < $1.startedAt }
            for series in regularSeries(ordered) where isIndependentOfSteps(series) {
                polls.formUnion(series.map(\.id))
            }
        }
        return polls
    }

    static func isIndependentOfSteps(_ series: [Exchange]) -> Bool {
        if series.contains(where: { $0.provenance == nil }) { return true }
        return Set(series.compactMap { $0.provenance.map { "\($0.flow)#\($0.step)" } }).count >= 2
    }

    /// The shortest interval that counts as a timer rather than a burst.
    public static let minimumInterval = 0.5

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
                if gap >= minimumInterval {
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
                gaps = gap >= minimumInterval ? [gap] : []
                if gaps.isEmpty { run = [exchange] }
            }
        }
        close()
        return result
    }

    /// `?id=1&x=2` -> `id&x`: `/api/jobs` and `/api/jobs?id=` are different polls.
    static func queryNames(of url: String) -> String {
        guard let question = url.firstIndex(of: "?") else { return "" }
        let query = url[url.index(after: question)...].prefix { $0 != "#" }
        return query.split(separator: "&").map { $0.prefix { $0 != "=" } }.sorted().joined(separator: "&")
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
