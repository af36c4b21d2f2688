import JSONCore

/// Generates `flows/flow.schema.json`, the JSON Schema editors use to complete and check flow files,
/// from `FlowGrammar`, so the schema cannot accept or refuse what the decoder does not.
/// `GrammarSchemaTests` fails when the committed file differs from this; regenerate it with
/// `discover flow-schema > flows/flow.schema.json`.
public enum FlowSchema {
    public static let fileName = "flow.schema.json"

    /// The schema as the committed file holds it: pretty, keys sorted, a final newline.
    public static func text() -> String { generate().serialized(.pretty) + "\n" }

    public static func generate() -> JSON {
        var definitions = FlowSchemaDefinitions.values()
        for kind in FlowGrammar.steps { definitions["step-\(kind.action)"] = step(kind) }
        definitions["step"] = [
            "description": "One action key, with its options and the modifiers name, timeout and when.",
            "oneOf": .array(FlowGrammar.steps.map { ref("step-\($0.action)") }),
        ]
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://github.com/discover/discover/flows/flow.schema.json",
            "title": "discover flow",
            "description": "A UI flow replayed by `discover run`: steps that read like what a person does in the browser. See docs/flows.md.",
            "type": "object",
            "required": ["name", "steps"],
            "additionalProperties": false,
            "properties": .object(Dictionary(uniqueKeysWithValues: FlowGrammar.flowKeys.map { ($0, flowProperty($0)) })),
            "$defs": .object(definitions),
        ]
    }

    private static func flowProperty(_ key: String) -> JSON {
        switch key {
        case "name": ["type": "string", "minLength": 1, "description": "Unique in its folder."]
        case "requires":
            [
                "type": "array", "items": ref("identifier"),
                "description": "Environment variables the flow needs; missing ones stop the run before the browser starts.",
            ]
        case "secrets": ["type": "array", "items": ref("identifier"), "description": "Variables whose values are masked in every output."]
        case "prerequisites":
            [
                "type": "array", "items": ["type": "string", "minLength": 1],
                "description": "Flow files (relative to this one) that run first when this flow runs alone.",
            ]
        case "when": ref("when")
        case "vars":
            [
                "type": "object", "propertyNames": ref("identifier"), "additionalProperties": scalar,
                "description": "Variables and their defaults, read as ${vars.NAME}; --var NAME=value overrides.",
            ]
        case "steps": ["type": "array", "items": ref("step")]
        default: ["type": "string"]
        }
    }

    /// A step kind: its action value and options as the grammar shapes them, and the modifiers every step takes.
    private static func step(_ kind: FlowGrammar.StepKind) -> JSON {
        var properties: [String: JSON] = [kind.action: described(schema(kind.value), kind.notes[kind.action])]
        for (option, shape) in kind.options { properties[option] = described(schema(shape), kind.notes[option]) }
        let modifiers: [String: JSON] = ["name": ref("stepName"), "timeout": ref("timeout"), "when": ref("when"), "optional": ref("optional")]
        for modifier in FlowGrammar.stepModifiers { properties[modifier] = modifiers[modifier] ?? [:] }
        return [
            "description": .string(kind.summary),
            "type": "object",
            "required": .array(([kind.action] + kind.required).map(JSON.string)),
            "additionalProperties": false,
            "properties": .object(properties),
        ]
    }

    /// What a value of this shape may be.
    static func schema(_ shape: FlowGrammar.Shape) -> JSON {
        switch shape {
        case .string, .flowFile: ["type": "string", "minLength": 1]
        case .scalar: scalar
        case .integer(let minimum): ["type": "integer", "minimum": .integer(minimum)]
        case .boolean: ["type": "boolean"]
        case .locator: ref("locator")
        case .condition: ref("condition")
        case .source: ref("source")
        case .stringOrLocator: ["anyOf": [["type": "string"], ref("locator")]]
        case .stringOrStrings: ref("files")
        case .choice(let names): ["enum": .array(names.map(JSON.string))]
        case .choices(let names):
            [
                "oneOf": [
                    ["enum": .array(names.map(JSON.string))],
                    ["type": "array", "items": ["enum": .array(names.map(JSON.string))], "uniqueItems": true],
                ]
            ]
        case .viewport:
            [
                "type": "object", "required": ["width", "height"], "additionalProperties": false,
                "properties": [
                    "width": ["type": "integer", "exclusiveMinimum": 0], "height": ["type": "integer", "exclusiveMinimum": 0],
                    "deviceScaleFactor": ["type": "number", "exclusiveMinimum": 0],
                ],
            ]
        case .position: ref("position")
        case .variableName: ref("identifier")
        case .any: [:]
        }
    }

    static let scalar: JSON = ["type": ["string", "number", "boolean"]]

    static func ref(_ definition: String) -> JSON { ["$ref": .string("#/$defs/\(definition)")] }

    static func described(_ schema: JSON, _ description: String?) -> JSON {
        guard let description, case .object(var members) = schema else { return schema }
        members["description"] = .string(description)
        return .object(members)
    }
}
