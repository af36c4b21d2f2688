import JSONCore

/// What `waitFor` waits for and `expect` asserts.
public enum Condition: Sendable, Hashable {
    case element(Locator, state: ElementState, count: ElementCount?)
    case text(String, exact: Bool)
    /// A glob (`**/jobs/*`) or a `/regex/`.
    case url(String)
    case response(ResponseMatcher, count: Int?, json: JSONExpectation?)
    case message(MessageMatcher, count: Int?)
    /// JavaScript evaluated in the page's main world, polled until its value is truthy.
    case expression(String)
}

/// How many elements an element condition wants: `"count": 3` with `"operator": ">="`.
public struct ElementCount: Sendable, Hashable, CustomStringConvertible {
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case equal = "==", atLeast = ">=", atMost = "<="
    }

    public var value: Int
    public var comparison: Comparison

    public init(_ value: Int, _ comparison: Comparison = .equal) {
        self.value = value
        self.comparison = comparison
    }

    /// `count=3`, `count>=1`, `count<=2`.
    public var description: String { "count\(comparison == .equal ? "=" : comparison.rawValue)\(value)" }
}

public enum ElementState: String, Sendable, Hashable, CaseIterable {
    case visible, hidden, attached, detached, enabled, disabled, checked, unchecked
}

public struct ResponseMatcher: Sendable, Hashable {
    public var method: String?
    /// A glob over the whole URL or, when it starts with `/`, over the path and query.
    public var url: String
    public var status: Int?

    public init(method: String? = nil, url: String, status: Int? = nil) {
        self.method = method
        self.url = url
        self.status = status
    }
}

/// A check on a response's JSON body: `$.a.b[0]` exists, or equals a value.
public struct JSONExpectation: Sendable, Hashable {
    public var path: String
    public var equals: JSON?
    public var exists: Bool?

    public init(path: String, equals: JSON? = nil, exists: Bool? = nil) {
        self.path = path
        self.equals = equals
        self.exists = exists
    }
}

/// A WebSocket frame or server-sent event.
public struct MessageMatcher: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable { case sent, received }
    public var url: String
    public var direction: Direction?
    /// The SSE event name.
    public var event: String?
    public var contains: String?
    public var matches: String?

    public init(url: String, direction: Direction? = nil, event: String? = nil, contains: String? = nil, matches: String? = nil) {
        self.url = url
        self.direction = direction
        self.event = event
        self.contains = contains
        self.matches = matches
    }
}

/// Where `save` takes a value from.
public enum Source: Sendable, Hashable {
    case response(ResponseMatcher, path: String)
    case element(Locator, attribute: String?)
    case urlRegex(String)
    case urlSegment(Int)
}

/// Runs a flow or step only when a run variable has one of some values (`--var until=checkpoint`).
public struct WhenCondition: Sendable, Hashable {
    public var variable: String
    public var allowed: [String]

    public init(variable: String, allowed: [String]) {
        self.variable = variable
        self.allowed = allowed
    }

    public func holds(in variables: [String: String]) -> Bool {
        guard let value = variables[variable] else { return false }
        return allowed.contains(value)
    }
}
