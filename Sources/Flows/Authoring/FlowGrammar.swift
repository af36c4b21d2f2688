/// The flow file format as data. The validator checks against these lists, and a test compares them
/// with `flows/flow.schema.json`, so the two descriptions of the format cannot drift apart.
public enum FlowGrammar {
    /// What a value in a flow must look like; `FlowChecker` knows how to check each.
    enum Shape: Sendable {
        case string
        /// A string, number or boolean, used as text (`"value": 2000` types "2000").
        case scalar
        case integer(minimum: Int)
        case boolean
        case locator
        case condition
        case source
        case stringOrLocator
        case stringOrStrings
        /// One of these names.
        case choice([String])
        /// One of these names, or an array of them.
        case choices([String])
        case viewport
        case position
        case variableName
        case flowFile
        case any
    }

    struct StepKind: Sendable {
        let action: String
        let value: Shape
        let options: [String: Shape]
        let required: [String]

        init(_ action: String, _ value: Shape, options: [String: Shape] = [:], required: [String] = []) {
            self.action = action
            self.value = value
            self.options = options
            self.required = required
        }
    }

    static let steps: [StepKind] = [
        StepKind("goto", .string),
        StepKind("click", .locator, options: ["position": .position, "button": .choice(mouseButtons), "modifiers": .choices(modifierKeys)]),
        StepKind("dblclick", .locator, options: ["position": .position, "button": .choice(mouseButtons), "modifiers": .choices(modifierKeys)]),
        StepKind("hover", .locator, options: ["position": .position]),
        StepKind("fill", .locator, options: ["value": .scalar], required: ["value"]),
        StepKind("type", .locator, options: ["value": .scalar, "delay": .integer(minimum: 0)], required: ["value"]),
        StepKind("press", .string, options: ["target": .locator]),
        StepKind("select", .locator, options: ["option": .stringOrLocator], required: ["option"]),
        StepKind("check", .locator),
        StepKind("uncheck", .locator),
        StepKind("upload", .locator, options: ["files": .stringOrStrings, "outsideFlowFolder": .boolean], required: ["files"]),
        StepKind("waitFor", .condition),
        StepKind("expect", .condition),
        StepKind("save", .variableName, options: ["from": .source], required: ["from"]),
        StepKind("evaluate", .string, options: ["save": .variableName]),
        StepKind("screenshot", .string, options: ["fullPage": .boolean]),
        StepKind("download", .locator, options: ["save": .variableName]),
        StepKind("setViewport", .viewport),
        StepKind("include", .flowFile),
    ]

    static let mouseButtons = PointerPress.Button.allCases.map(\.rawValue)
    static let modifierKeys = PointerPress.Modifier.allCases.map(\.rawValue)

    /// Every step's action key, in the order the guide lists them.
    public static let stepKinds: [String] = steps.map(\.action)
    /// Keys any step may carry beside its action.
    public static let stepModifiers = ["name", "timeout", "when", "optional"]
    public static let flowKeys = ["$schema", "name", "description", "requires", "secrets", "prerequisites", "when", "vars", "steps"]

    public static let locatorKinds = ["css", "xpath", "text", "role", "label", "placeholder", "testId", "alt", "title"]
    /// ARIA states a role locator may require: `level` is an integer, the others booleans.
    public static let roleFilterKeys = ["level", "checked", "disabled", "expanded", "selected", "pressed"]
    public static let locatorOptions = ["name", "exact", "within", "has", "nth", "first", "frame"] + roleFilterKeys

    /// Condition kinds and the keys each allows beside its kind key.
    public static let conditionKinds: [String: [String]] = [
        "element": ["state", "count", "operator"],
        "text": ["exact"],
        "url": [],
        "response": ["count", "json"],
        "message": ["count"],
        "expression": [],
    ]
    public static let elementStates = ["visible", "hidden", "attached", "detached", "enabled", "disabled", "checked", "unchecked"]
    public static let countOperators = ["==", ">=", "<="]
    public static let responseMatchKeys = ["method", "url", "status"]
    public static let jsonCheckKeys = ["path", "equals", "exists"]
    public static let messageMatchKeys = ["url", "direction", "event", "contains", "matches"]
    public static let messageDirections = ["sent", "received"]

    public static let sourceKinds: [String: [String]] = [
        "response": ["path"],
        "element": ["attribute"],
        "url": [],
    ]
    public static let urlPartKeys = ["regex", "segment"]

    /// `${run.NAME}` built-ins.
    public static let runVariables = ["id", "date", "baseURL"]
    public static let interpolationNamespaces = ["env", "vars", "run"]

    static func stepKind(_ action: String) -> StepKind? { steps.first { $0.action == action } }
}
