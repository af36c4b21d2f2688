/// The flow file format as data, the one description of it: `FlowDecoder` reads each value by its
/// shape and each step kind with its entry's `decode`, and `FlowSchema` generates
/// `flows/flow.schema.json` from them (a test fails when the committed file differs).
public enum FlowGrammar {
    /// What a value in a flow must look like; `FlowDecoder.decode(_:_:at:)` reads and checks each.
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

    /// One step kind: what its value and options look like (the decoder and the schema follow these),
    /// what the schema tells editors about it, and how its values, already read by their shapes, become
    /// an `Action`. A new step kind is this entry and, on the engine's side, its `Action` case and the
    /// runner's handling of it; the decoder and the schema follow the entry (`discover flow-schema`
    /// rewrites the schema file).
    struct StepKind: Sendable {
        typealias Decode = @Sendable (StepFields) -> Action

        let action: String
        let value: Shape
        let options: [String: Shape]
        let required: [String]
        /// The schema's description of the step.
        let summary: String
        /// The schema's descriptions of the action value (under the action's key) and of options.
        let notes: [String: String]
        let decode: Decode

        init(
            _ action: String, _ value: Shape, options: [String: Shape] = [:], required: [String] = [], _ summary: String,
            notes: [String: String] = [:], decode: @escaping Decode
        ) {
            self.action = action
            self.value = value
            self.options = options
            self.required = required
            self.summary = summary
            self.notes = notes
            self.decode = decode
        }
    }

    private static let buttonNote = "The mouse button (default left): right opens a context menu, middle gives auxclick."
    private static let modifiersNote = "Keys held during the click: their event flags (shiftKey, ctrlKey, altKey, metaKey) are set."

    static let steps: [StepKind] = [
        StepKind("goto", .string, "Navigate and wait for the page to load.", notes: ["goto": "A path (relative to the base URL) or an absolute URL."]) {
            .goto($0.text())
        },
        StepKind(
            "click", .locator, options: ["position": .position, "button": .choice(mouseButtons), "modifiers": .choices(modifierKeys)],
            "Click an element, after waiting until it is visible, stable, enabled and not covered.",
            notes: ["button": buttonNote, "modifiers": modifiersNote]
        ) { .click($0.locator(), position: $0.position(), press: $0.press()) },
        StepKind(
            "dblclick", .locator, options: ["position": .position, "button": .choice(mouseButtons), "modifiers": .choices(modifierKeys)],
            "Double-click an element.", notes: ["button": buttonNote, "modifiers": modifiersNote]
        ) { .dblclick($0.locator(), position: $0.position(), press: $0.press()) },
        StepKind("hover", .locator, options: ["position": .position], "Move the mouse over an element.") {
            .hover($0.locator(), position: $0.position())
        },
        StepKind("fill", .locator, options: ["value": .scalar], required: ["value"], "Replace the content of an input, textarea or contenteditable.") {
            .fill($0.locator(), value: $0.scalarText("value"))
        },
        StepKind(
            "type", .locator, options: ["value": .scalar, "delay": .integer(minimum: 0)], required: ["value"], "Type text key by key.",
            notes: ["delay": "Pause between keys, in ms."]
        ) { .type($0.locator(), value: $0.scalarText("value"), delay: $0.optionalInt("delay")) },
        StepKind(
            "press", .string, options: ["target": .locator], "Press a key, in the focused element or in target.",
            notes: ["press": "A key or chord: Enter, Control+A, Shift+Tab."]
        ) { .press($0.text(), target: $0.optionalLocator("target")) },
        StepKind(
            "select", .locator, options: ["option": .stringOrLocator], required: ["option"], "Choose an option of a native select or a custom dropdown.",
            notes: ["option": "The option's label or value, or a locator of the option in a custom dropdown."]
        ) { .select($0.locator(), option: $0.selectOption()) },
        StepKind("check", .locator, "Make a checkbox, radio or role=switch checked.") { .check($0.locator()) },
        StepKind("uncheck", .locator, "Make a checkbox or role=switch unchecked.") { .uncheck($0.locator()) },
        StepKind(
            "upload", .locator, options: ["files": .stringOrStrings, "outsideFlowFolder": .boolean], required: ["files"],
            "Set the files of an <input type=file>, hidden or not.",
            notes: ["outsideFlowFolder": "Allow files outside the flow file's folder (absolute paths, `..`); refused otherwise."]
        ) { .upload($0.locator(), files: $0.uploadFiles()) },
        StepKind("waitFor", .condition, "Wait until the condition holds.") { .waitFor($0.condition()) },
        StepKind("expect", .condition, "Assert the condition (waiting up to the timeout); the flow fails otherwise.") { .expect($0.condition()) },
        StepKind(
            "save", .variableName, options: ["from": .source], required: ["from"], "Save a value into a variable.",
            notes: ["save": "The variable to set, read as ${vars.NAME}."]
        ) { .save(variable: $0.text(), from: $0.source("from")) },
        StepKind(
            "evaluate", .string, options: ["save": .variableName], "Run JavaScript, optionally saving its result.",
            notes: ["evaluate": "JavaScript run in the page; promises are awaited."]
        ) { .evaluate($0.text(), save: $0.optionalString("save")) },
        StepKind(
            "screenshot", .string, options: ["fullPage": .boolean], "Save a PNG screenshot.", notes: ["screenshot": "File name, in the run's output folder."]
        ) { .screenshot($0.screenshotName(), fullPage: $0.optionalBool("fullPage") ?? false) },
        StepKind("download", .locator, options: ["save": .variableName], "Click an element and wait for the download; save keeps the saved file's path.") {
            .download($0.locator(), save: $0.optionalString("save"))
        },
        StepKind("setViewport", .viewport, "Resize the page's viewport.") { .setViewport($0.viewport()) },
        StepKind("include", .flowFile, "Run another flow's steps here.", notes: ["include": "Another flow file, relative to this one."]) {
            .include($0.includedFlow())
        },
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

    /// Condition kinds and the keys each allows beside its kind key, in the order the guide and the schema list them.
    private static let conditionKindList: [(kind: String, options: [String])] = [
        ("element", ["state", "count", "operator"]),
        ("text", ["exact"]),
        ("url", []),
        ("response", ["count", "json"]),
        ("message", ["count"]),
        ("expression", []),
    ]
    public static let conditionKinds = Dictionary(uniqueKeysWithValues: conditionKindList.map { ($0.kind, $0.options) })
    public static let conditionKindOrder = conditionKindList.map(\.kind)
    public static let elementStates = ["visible", "hidden", "attached", "detached", "enabled", "disabled", "checked", "unchecked"]
    public static let countOperators = ["==", ">=", "<="]
    public static let responseMatchKeys = ["method", "url", "status"]
    public static let jsonCheckKeys = ["path", "equals", "exists"]
    public static let messageMatchKeys = ["url", "direction", "event", "contains", "matches"]
    public static let messageDirections = ["sent", "received"]

    private static let sourceKindList: [(kind: String, options: [String])] = [
        ("response", ["path"]),
        ("element", ["attribute"]),
        ("url", []),
    ]
    public static let sourceKinds = Dictionary(uniqueKeysWithValues: sourceKindList.map { ($0.kind, $0.options) })
    public static let sourceKindOrder = sourceKindList.map(\.kind)
    public static let urlPartKeys = ["regex", "segment"]

    /// `${run.NAME}` built-ins.
    public static let runVariables = ["id", "date", "baseURL"]
    public static let interpolationNamespaces = ["env", "vars", "run"]

    static func stepKind(_ action: String) -> StepKind? { steps.first { $0.action == action } }
}
