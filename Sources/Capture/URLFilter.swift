import Recording

/// Which URLs go into the outputs.
public struct URLFilter: Sendable, Hashable {
    public var include: [URLGlob]
    public var exclude: [URLGlob]
    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include.map(URLGlob.init)
        self.exclude = exclude.map(URLGlob.init)
    }
    public func admits(_ url: String) -> Bool {
        if !include.isEmpty, !include.contains(where: { $0.matches(url) }) { return false }
        return !exclude.contains { $0.matches(url) }
    }
}
