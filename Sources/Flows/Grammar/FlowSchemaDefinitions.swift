import JSONCore

/// The schema's shared definitions: names, `when`, locators, conditions and sources. Their kinds and
/// keys come from `FlowGrammar`'s lists; a key the grammar gains without an entry here is generated as
/// `{}` (anything), which the schema test's diff shows.
enum FlowSchemaDefinitions {
    private static func ref(_ name: String) -> JSON { FlowSchema.ref(name) }

    static func values() -> [String: JSON] {
        var definitions: [String: JSON] = [
            "identifier": [
                "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
                "description": "A variable or environment variable name: letters, digits and '_', not starting with a digit.",
            ],
            "when": [
                "description": "Run the flow or step only when a variable (set in vars or with --var name=value) has one of these values.",
                "type": "object", "required": ["var"], "additionalProperties": false,
                "properties": ["var": ref("identifier"), "in": ["type": "array", "items": FlowSchema.scalar], "equals": FlowSchema.scalar],
                "oneOf": [["required": ["in"]], ["required": ["equals"]]],
            ],
            "timeout": [
                "type": "integer", "minimum": 1, "maximum": .integer(FlowDecoder.maximumTimeoutMilliseconds),
                "description": "How long the step may take, in milliseconds (a day at most).",
            ],
            "stepName": ["type": "string", "description": "What the step does, shown in progress and failure messages."],
            "optional": [
                "type": "boolean",
                "description": "When true, a failure or timeout of this step does not fail the flow: the step is reported as skipped with the reason, and the flow goes on.",
            ],
            "locatorObject": locatorObject(),
            "locatorShorthand": [
                "type": "string", "minLength": 1,
                "description": "text=Create, role=button[name=\"Create Job\"], role=heading[level=2], role=checkbox[checked=false], css=.card, xpath=//a, label=..., placeholder=..., testId=..., alt=..., title=...; a bare string is CSS, one starting with // is XPath.",
            ],
            "locator": [
                "description": "Which element: a shorthand string, an object, or a list of alternatives (the first that resolves wins).",
                "anyOf": [
                    ref("locatorShorthand"), ref("locatorObject"),
                    ["type": "array", "minItems": 1, "items": ["anyOf": [ref("locatorShorthand"), ref("locatorObject")]]],
                ],
            ],
            "responseMatch": [
                "description": "A response by method, URL and status; a string is just the URL pattern.",
                "anyOf": [
                    ["type": "string", "minLength": 1],
                    object(FlowGrammar.responseMatchKeys, responseMatchKeys, required: ["url"]),
                ],
            ],
            "jsonCheck": object(FlowGrammar.jsonCheckKeys, jsonCheckKeys, required: ["path"]),
            "messageMatch": object(FlowGrammar.messageMatchKeys, messageMatchKeys, required: ["url"]),
            "condition": ["oneOf": .array(FlowGrammar.conditionKindOrder.map { ref("condition-\($0)") })],
            "source": ["oneOf": .array(FlowGrammar.sourceKindOrder.map { ref("source-\($0)") })],
            "position": [
                "type": "object", "required": ["x", "y"], "additionalProperties": false,
                "description": "Where to click, relative to the element's top-left corner, in CSS pixels.",
                "properties": ["x": ["type": "number"], "y": ["type": "number"]],
            ],
            "files": [
                "description": "Paths or glob patterns, relative to the flow file.",
                "anyOf": [["type": "string", "minLength": 1], ["type": "array", "minItems": 1, "items": ["type": "string", "minLength": 1]]],
            ],
        ]
        for kind in FlowGrammar.conditionKindOrder {
            var condition = object([kind] + FlowGrammar.conditionKinds[kind, default: []], conditionKeys(kind), required: [kind])
            condition = FlowSchema.described(condition, conditionSummaries[kind])
            definitions["condition-\(kind)"] = condition
        }
        for kind in FlowGrammar.sourceKindOrder {
            let keys = [kind] + FlowGrammar.sourceKinds[kind, default: []]
            let required = kind == "response" ? [kind, "path"] : [kind]
            definitions["source-\(kind)"] = FlowSchema.described(object(keys, sourceKeys(kind), required: required), sourceSummaries[kind])
        }
        return definitions
    }

    /// A closed object of these keys, each as `schemas` gives it.
    private static func object(_ keys: [String], _ schemas: [String: JSON], required: [String]) -> JSON {
        [
            "type": "object", "required": .array(required.map(JSON.string)), "additionalProperties": false,
            "properties": .object(Dictionary(uniqueKeysWithValues: keys.map { ($0, schemas[$0] ?? [:]) })),
        ]
    }

    // MARK: Locators

    private static func locatorObject() -> JSON {
        let keys = FlowGrammar.locatorKinds + FlowGrammar.locatorOptions
        let roleOnly = ["name"] + FlowGrammar.roleFilterKeys
        return [
            "type": "object", "additionalProperties": false,
            "properties": .object(Dictionary(uniqueKeysWithValues: keys.map { ($0, locatorKeys[$0] ?? [:]) })),
            "oneOf": .array(FlowGrammar.locatorKinds.map { ["required": [.string($0)]] }),
            "dependentRequired": .object(Dictionary(uniqueKeysWithValues: roleOnly.map { ($0, ["role"]) })),
        ]
    }

    private static func text(_ description: String) -> JSON { ["type": "string", "minLength": 1, "description": .string(description)] }
    private static func flag(_ description: String) -> JSON { ["type": "boolean", "description": .string(description)] }

    private static let locatorKeys: [String: JSON] = [
        "css": text("A CSS selector; pierces open shadow roots."),
        "xpath": text("An XPath expression."),
        "text": text("Text the element contains (substring, case-insensitive unless exact)."),
        "role": text("An ARIA role (button, link, textbox, ...), usually with name."),
        "label": text("The text of the form control's label."),
        "placeholder": text("The input's placeholder."),
        "testId": text("The test id attribute (data-testid by default)."),
        "alt": text("The image's alt text."),
        "title": text("The element's title attribute."),
        "name": ["type": "string", "description": "With role: the accessible name."],
        "exact": flag("Match text, name or label exactly instead of as a substring."),
        "within": FlowSchema.described(ref("locator"), "Search only inside the element this locator finds."),
        "has": FlowSchema.described(ref("locator"), "Keep only elements that contain an element this locator finds."),
        "nth": ["type": "integer", "description": "Pick the nth match (0-based; negative counts from the end)."],
        "first": flag("Pick the first match instead of failing on several."),
        "frame": FlowSchema.described(ref("locator"), "Search inside the iframe this locator finds."),
        "level": ["type": "integer", "minimum": 1, "description": "With role: the heading level (h1-h6) or aria-level."],
        "checked": flag("With role: only checked (true) or unchecked (false) elements (checkbox, radio, switch, aria-checked)."),
        "disabled": flag("With role: only disabled (true) or enabled (false) elements."),
        "expanded": flag("With role: only elements with aria-expanded true (or false)."),
        "selected": flag("With role: only selected (true) or unselected (false) elements (option, tab, aria-selected)."),
        "pressed": flag("With role: only pressed (true) or unpressed (false) toggle buttons (aria-pressed)."),
    ]

    // MARK: Conditions and sources

    private static let responseMatchKeys: [String: JSON] = [
        "method": ["type": "string", "pattern": "^[A-Z]+$"],
        "url": text("A glob (**/api/jobs; one starting with / matches the path and query) or a /regex/."),
        "status": ["type": "integer", "minimum": 100, "maximum": 599],
    ]
    private static let jsonPath: JSON = ["type": "string", "pattern": "^\\$"]
    private static let jsonCheckKeys: [String: JSON] = ["path": jsonPath, "equals": [:], "exists": ["type": "boolean"]]
    private static let messageMatchKeys: [String: JSON] = [
        "url": ["type": "string"], "direction": ["enum": .array(FlowGrammar.messageDirections.map(JSON.string))], "event": ["type": "string"],
        "contains": ["type": "string"], "matches": ["type": "string", "format": "regex"],
    ]
    private static let count: JSON = ["type": "integer", "minimum": 0]

    private static func conditionKeys(_ kind: String) -> [String: JSON] {
        switch kind {
        case "element":
            [
                "element": ref("locator"), "state": ["enum": .array(FlowGrammar.elementStates.map(JSON.string))], "count": count,
                "operator": ["enum": .array(FlowGrammar.countOperators.map(JSON.string)), "description": "How count compares (default ==)."],
            ]
        case "text": ["text": ["type": "string", "minLength": 1], "exact": ["type": "boolean"]]
        case "url": ["url": text("A glob (**/jobs/*; one starting with / matches the path and query) or a /regex/.")]
        case "response": ["response": ref("responseMatch"), "count": count, "json": ref("jsonCheck")]
        case "message": ["message": ref("messageMatch"), "count": count]
        case "expression": ["expression": text("JavaScript polled until it returns a truthy value.")]
        default: [:]
        }
    }

    private static let conditionSummaries = [
        "element": "An element reaches a state (visible by default; attached when count is given), or count elements do.",
        "text": "Text shows on the page.",
        "url": "The page URL matches.",
        "response": "A response matching method, URL and status arrived (count: that many); json checks its body.",
        "message": "A WebSocket or server-sent-event message matching the pattern arrived.",
        "expression": "A JavaScript expression is truthy.",
    ]

    private static func sourceKeys(_ kind: String) -> [String: JSON] {
        switch kind {
        case "response": ["response": ref("responseMatch"), "path": jsonPath]
        case "element": ["element": ref("locator"), "attribute": ["type": "string", "minLength": 1]]
        case "url":
            [
                "url": [
                    "type": "object", "additionalProperties": false,
                    "properties": [
                        "regex": ["type": "string", "format": "regex", "description": "The first group is the value."],
                        "segment": ["type": "integer", "description": "A path segment; negative counts from the end."],
                    ],
                    "oneOf": .array(FlowGrammar.urlPartKeys.map { ["required": [.string($0)]] }),
                ]
            ]
        default: [:]
        }
    }

    private static let sourceSummaries = [
        "response": "A value from the latest matching response's JSON body (else the next one).",
        "element": "An element's text, or an attribute of it.",
        "url": "A part of the current URL.",
    ]
}
