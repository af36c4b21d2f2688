import JSONCore

/// Where on the page a step acts: one strategy plus scoping and picking, or a list of alternatives
/// of which the first that resolves wins.
public indirect enum Locator: Sendable, Hashable {
    case single(LocatorQuery)
    case alternatives([Locator])
}

/// How an element is found, before scoping and picking.
public enum LocatorStrategy: Sendable, Hashable {
    case css(String)
    case xpath(String)
    case text(String)
    case role(String, name: String?)
    case label(String)
    case placeholder(String)
    case testId(String)
    case alt(String)
    case title(String)
}

/// ARIA states and properties a role locator also requires (`role=heading[level=2]`,
/// `role=checkbox[checked=false]`); nil means either.
public struct RoleFilters: Sendable, Hashable {
    public var level: Int?
    public var checked: Bool?
    public var disabled: Bool?
    public var expanded: Bool?
    public var selected: Bool?
    public var pressed: Bool?

    public init(
        level: Int? = nil, checked: Bool? = nil, disabled: Bool? = nil, expanded: Bool? = nil, selected: Bool? = nil,
        pressed: Bool? = nil
    ) {
        self.level = level
        self.checked = checked
        self.disabled = disabled
        self.expanded = expanded
        self.selected = selected
        self.pressed = pressed
    }

    /// Sets the boolean filter a flow file names `key` (`checked`, `disabled`, `expanded`, `selected`,
    /// `pressed`); the grammar has already refused any other key.
    mutating func setFlag(_ key: String, _ flag: Bool) {
        switch key {
        case "checked": checked = flag
        case "disabled": disabled = flag
        case "expanded": expanded = flag
        case "selected": selected = flag
        default: pressed = flag
        }
    }

    /// The boolean filters by the key a flow file uses, in the order shorthands print them.
    public var flags: [(key: String, value: Bool)] {
        [("checked", checked), ("disabled", disabled), ("expanded", expanded), ("selected", selected), ("pressed", pressed)]
            .compactMap { key, value in value.map { (key, $0) } }
    }

    public var isEmpty: Bool { level == nil && flags.isEmpty }

    /// `[level=2][checked=false]`, as the shorthand writes them.
    var shorthand: String {
        var text = level.map { "[level=\($0)]" } ?? ""
        for (key, value) in flags { text += value ? "[\(key)]" : "[\(key)=false]" }
        return text
    }
}

public struct LocatorQuery: Sendable, Hashable {
    public var strategy: LocatorStrategy
    /// With a `role` strategy: states the element must also have.
    public var roleFilters: RoleFilters
    /// Exact (whitespace-normalised, case-sensitive) instead of case-insensitive substring matching.
    public var exact: Bool
    /// Only elements inside an element this locator resolves to.
    public var within: Locator?
    /// Only elements that contain an element this locator resolves to.
    public var has: Locator?
    /// 0-based; negative counts from the end.
    public var nth: Int?
    public var first: Bool
    /// The `<iframe>` whose document is searched.
    public var frame: Locator?

    public init(
        _ strategy: LocatorStrategy, exact: Bool = false, within: Locator? = nil, has: Locator? = nil,
        nth: Int? = nil, first: Bool = false, frame: Locator? = nil, roleFilters: RoleFilters = RoleFilters()
    ) {
        self.strategy = strategy
        self.roleFilters = roleFilters
        self.exact = exact
        self.within = within
        self.has = has
        self.nth = nth
        self.first = first
        self.frame = frame
    }
}

extension Locator {
    /// A shorthand string: `text=Create`, `role=button[name="Create Job"]`, `css=.card >> nth=1`, bare CSS, `//xpath`.
    public init(parsing shorthand: String) throws(FlowValueError) {
        self = try LocatorShorthand.parse(shorthand)
    }

    /// A locator as written in a flow file: a shorthand string, an object, or an array of alternatives.
    public init(json: JSON) throws(FlowValueError) {
        self = try FlowDecoder.decodeLocator(json)
    }
}

extension Locator: CustomStringConvertible {
    /// Reads like the shorthand a person writes: `role=button "Create"`, `text=Save >> nth=1`.
    public var description: String {
        switch self {
        case .single(let query): return query.description
        case .alternatives(let options): return options.map(\.description).joined(separator: " | ")
        }
    }
}

extension LocatorQuery: CustomStringConvertible {
    public var description: String {
        var text: String
        switch strategy {
        case .css(let selector): text = "css=\(selector)"
        case .xpath(let path): text = "xpath=\(path)"
        case .text(let value): text = exact ? "text=\"\(value)\"" : "text=\(value)"
        case .role(let role, let name):
            text = "role=\(role)\(roleFilters.shorthand)"
            if let name { text += " \"\(name)\"" }
        case .label(let value): text = "label=\(value)"
        case .placeholder(let value): text = "placeholder=\(value)"
        case .testId(let value): text = "testId=\(value)"
        case .alt(let value): text = "alt=\(value)"
        case .title(let value): text = "title=\(value)"
        }
        switch strategy {
        case .text, .testId: break  // quoted text shows exactness; test ids are exact by default
        default: if exact { text += " (exact)" }
        }
        if let has { text += " has(\(has))" }
        if let within { text = "\(within) >> \(text)" }
        if let frame { text = "frame(\(frame)) >> \(text)" }
        if let nth { text += " >> nth=\(nth)" }
        if first { text += " >> first" }
        return text
    }
}

extension Locator {
    /// Scopes (`within`, `has`, `frame`, ` >> ` parts) and alternatives nest at most this deep: the page
    /// engine resolves each level against the one around it, so thousands of levels run for minutes and
    /// no real page needs more than a handful.
    public static let maximumNesting = 32

    /// How deep scopes and alternatives nest; a plain locator is 1.
    public var nesting: Int {
        switch self {
        case .single(let query):
            return 1 + ([query.within, query.has, query.frame].compactMap { $0?.nesting }.max() ?? 0)
        case .alternatives(let options):
            return 1 + (options.map(\.nesting).max() ?? 0)
        }
    }
}
