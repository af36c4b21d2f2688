/// The one URL glob of the project, for `--include` / `--exclude` and for flows' `url`, `response` and
/// `message` conditions: `*` matches within one path segment (never `/`), `**` matches across segments,
/// `?` one character but `/`. A pattern starting with `/` is matched against the URL's path, and against
/// its path with the query (`/api/jobs?id=*`); any other pattern against the whole URL.
public struct URLGlob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let tokens: [Token]
    private let matchesPathOnly: Bool

    private enum Token: Sendable, Hashable {
        case literal(UInt8)
        case anyCharacter
        case segment
        case anything
    }

    public init(_ pattern: String) {
        self.pattern = pattern
        matchesPathOnly = pattern.hasPrefix("/")
        var tokens: [Token] = []
        let bytes = Array(pattern.utf8)
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "*"):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                    tokens.append(.anything)
                    index += 2
                    while index < bytes.count, bytes[index] == UInt8(ascii: "*") { index += 1 }
                    continue
                }
                tokens.append(.segment)
            case UInt8(ascii: "?"): tokens.append(.anyCharacter)
            case let byte: tokens.append(.literal(byte))
            }
            index += 1
        }
        self.tokens = tokens
    }

    public var description: String { pattern }

    public func matches(_ url: String) -> Bool {
        guard matchesPathOnly else { return matches(subject: Array(url.utf8)) }
        let path = BackgroundPolls.path(of: url)
        if matches(subject: Array(path.utf8)) { return true }
        guard let query = Self.query(of: url) else { return false }
        return matches(subject: Array((path + "?" + query).utf8))
    }

    private func matches(subject: [UInt8]) -> Bool {
        var failed = Set<Int>()
        return matchFrom(0, 0, subject, &failed)
    }

    /// The query without its `?` and the fragment, nil when there is none.
    static func query(of url: String) -> String? {
        guard let mark = url.firstIndex(of: "?") else { return nil }
        let rest = url[url.index(after: mark)...]
        return String(rest.prefix { $0 != "#" })
    }

    /// Backtracking over the stars, remembering failed (token, position) pairs so it stays polynomial.
    private func matchFrom(_ tokenIndex: Int, _ position: Int, _ subject: [UInt8], _ failed: inout Set<Int>) -> Bool {
        let key = tokenIndex &* 1_000_003 &+ position
        if failed.contains(key) { return false }
        var t = tokenIndex
        var p = position
        while t < tokens.count {
            switch tokens[t] {
            case .literal(let byte):
                guard p < subject.count, subject[p] == byte else {
                    failed.insert(key)
                    return false
                }
                p += 1
                t += 1
            case .anyCharacter:
                guard p < subject.count, subject[p] != UInt8(ascii: "/") else {
                    failed.insert(key)
                    return false
                }
                p += 1
                t += 1
            case .segment, .anything:
                let crossesSlash = tokens[t] == .anything
                var end = p
                while true {
                    if matchFrom(t + 1, end, subject, &failed) { return true }
                    guard end < subject.count, crossesSlash || subject[end] != UInt8(ascii: "/") else { break }
                    end += 1
                }
                failed.insert(key)
                return false
            }
        }
        if p == subject.count { return true }
        failed.insert(key)
        return false
    }
}
