import Foundation
import JSONCore
import Testing

@testable import Flows

/// `FlowGrammar` lists what a flow may hold and `FlowDecoder` reads it by that list. These tests build
/// a flow for every step kind, option, condition, locator key and source the grammar lists, and check
/// that the one pass behind `validate` and `run` reads it with no error and hands out the flow: a key
/// added to the grammar that the decoder cannot read fails here.
@Suite("The decoder reads everything the grammar lists")
final class GrammarCoverageTests {
    let folder: URL

    init() throws {
        folder = try AuthoringPaths.temporaryFolder()
        try "{\"name\": \"included\", \"steps\": [{\"goto\": \"/\"}]}"
            .write(to: folder.appendingPathComponent("included.flow.json"), atomically: true, encoding: .utf8)
        try "x".write(to: folder.appendingPathComponent("data.txt"), atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// A value of each shape that the validator accepts, given the files `init` wrote.
    static func sample(_ shape: FlowGrammar.Shape) -> [JSON] {
        switch shape {
        case .string: ["Enter"]
        case .scalar: ["text", 2000, 1.5, true]
        case .integer(let minimum): [.integer(max(minimum, 0) + 1)]
        case .boolean: [true, false]
        case .locator: ["css=.card", ["role": "button", "name": "Go"], [["label": "A"], "text=B"]]
        case .condition: [["text": "Done"]]
        case .source: [["url": ["segment": -1]]]
        case .stringOrLocator: ["Alpha", ["role": "option", "name": "Alpha"]]
        case .stringOrStrings: ["data.txt", ["data.txt", "*.txt"]]
        case .choice(let names): names.map(JSON.string)
        case .choices(let names): names.map(JSON.string) + [.array(names.map(JSON.string))]
        case .viewport: [["width": 800, "height": 600], ["width": 800, "height": 600, "deviceScaleFactor": 1.5]]
        case .position: [["x": 5, "y": 7.5]]
        case .variableName: ["saved"]
        case .flowFile: ["included.flow.json"]
        case .any: ["anything"]
        }
    }

    static let conditionValues: [String: JSON] = [
        "element": "css=.item", "text": "Done", "url": "**/jobs/*", "expression": "document.readyState === 'complete'",
        "response": ["method": "POST", "url": "**/api/jobs", "status": 200],
        "message": ["url": "**/api/monitor", "direction": "received", "event": "sample", "contains": "gpu", "matches": "g.u"],
    ]
    static let conditionOptions: [String: [JSON]] = [
        "state": FlowGrammar.elementStates.map { .string($0) }, "count": [0, 3],
        "operator": FlowGrammar.countOperators.map { .string($0) }, "exact": [true],
        "json": [["path": "$.status", "equals": "running"], ["path": "$.id", "exists": true]],
    ]
    static let locatorOptions: [String: [JSON]] = [
        "name": ["Go"], "exact": [true], "within": ["css=form"], "has": [["css": "svg"]], "nth": [-1, 0], "first": [true],
        "frame": ["css=iframe"], "level": [2], "checked": [true, false], "disabled": [true, false], "expanded": [true, false],
        "selected": [true, false], "pressed": [true, false],
    ]
    static let sourceValues: [String: [JSON]] = [
        "response": [["url": "**/api/jobs"], "**/api/jobs"], "element": ["css=a"], "url": [["regex": "/jobs/([^/]+)"], ["segment": 1]],
    ]
    static let sourceOptions: [String: JSON] = ["path": "$.id", "attribute": "href"]

    /// Reads the steps as one flow through the pass: no error, and a flow.
    @discardableResult
    func accept(_ steps: [JSON], extra: [String: JSON] = [:]) throws -> Flow {
        var flow: [String: JSON] = ["name": "sample", "vars": ["until": "checkpoint"], "steps": .array(steps)]
        flow.merge(extra) { _, new in new }
        let file = folder.appendingPathComponent("sample.flow.json")
        try JSON.object(flow).serialized(.pretty).write(to: file, atomically: true, encoding: .utf8)
        var cache = FlowFileCache()
        let verdict = FlowPass.checkFile(file.path, folderVariables: [], loader: &cache)
        let errors = verdict.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "refused: \(errors.map(\.description)) in \(JSON.object(flow).serialized())")
        return try #require(verdict.flow, "no flow for \(JSON.object(flow).serialized())")
    }

    @Test("every step kind with each of its options, and every modifier, loads")
    func stepKindsAndOptions() throws {
        for kind in FlowGrammar.steps {
            for value in Self.sample(kind.value) {
                var step: [String: JSON] = [kind.action: value]
                for (option, shape) in kind.options where kind.required.contains(option) { step[option] = Self.sample(shape)[0] }
                try accept([.object(step)])
                for (option, shape) in kind.options.sorted(by: { $0.key < $1.key }) {
                    for optionValue in Self.sample(shape) {
                        var withOption = step
                        withOption[option] = optionValue
                        try accept([.object(withOption)])
                    }
                }
            }
        }
        let modifiers: [String: JSON] = ["name": "a step", "timeout": 1500, "when": ["var": "until", "in": ["checkpoint", "completed"]], "optional": true]
        #expect(Set(modifiers.keys) == Set(FlowGrammar.stepModifiers))
        try accept([["goto": "/", "name": "a step", "timeout": 1500, "when": ["var": "until", "equals": "checkpoint"]], .object(["goto": "/"].merging(modifiers) { $1 })])
    }

    @Test("every flow key loads")
    func flowKeys() throws {
        let flow = try accept([["goto": "/"]], extra: [
            "$schema": "../flow.schema.json", "description": "d", "requires": ["TOKEN"], "secrets": ["TOKEN"],
            "prerequisites": ["included.flow.json"], "when": ["var": "until", "equals": "checkpoint"],
        ])
        #expect(Set(FlowGrammar.flowKeys) == ["$schema", "name", "description", "requires", "secrets", "prerequisites", "when", "vars", "steps"])
        #expect(flow.requires == ["TOKEN"] && flow.prerequisites == ["included.flow.json"] && flow.when != nil)
    }

    @Test("every condition kind with each of its options loads")
    func conditions() throws {
        for (kind, options) in FlowGrammar.conditionKinds.sorted(by: { $0.key < $1.key }) {
            let value = try #require(Self.conditionValues[kind], "no sample value for the new condition kind '\(kind)'")
            try accept([["waitFor": [kind: value]], ["expect": [kind: value]]])
            for option in options {
                for optionValue in try #require(Self.conditionOptions[option], "no sample for the condition option '\(option)'") {
                    var condition: [String: JSON] = [kind: value, option: optionValue]
                    if option == "operator" { condition["count"] = 2 }
                    try accept([["waitFor": .object(condition)]])
                }
            }
        }
    }

    @Test("every locator kind, option and role filter loads, as objects and as shorthands")
    func locators() throws {
        for kind in FlowGrammar.locatorKinds {
            try accept([["click": [kind: "x"]]])
        }
        for option in FlowGrammar.locatorOptions {
            let owner = option == "name" || FlowGrammar.roleFilterKeys.contains(option) ? "role" : "css"
            for value in try #require(Self.locatorOptions[option], "no sample for the locator option '\(option)'") {
                try accept([["click": [owner: owner == "role" ? "button" : "button.go", option: value]]])
            }
        }
        let shorthands = [
            "role=heading[level=2]", "role=checkbox[checked]", "role=checkbox[checked=false]", "role=button[disabled]",
            "role=button[expanded=true]", "role=tab[selected]", "role=button[pressed=false]", "role=button[name=\"Go\"][exact][pressed]",
        ]
        for shorthand in shorthands { try accept([["click": .string(shorthand)]]) }
    }

    @Test("every source kind with its options loads")
    func sources() throws {
        for (kind, options) in FlowGrammar.sourceKinds.sorted(by: { $0.key < $1.key }) {
            for value in try #require(Self.sourceValues[kind], "no sample for the source kind '\(kind)'") {
                var source: [String: JSON] = [kind: value]
                for option in options {
                    guard let sample = Self.sourceOptions[option] else {
                        Issue.record("no sample for the source option '\(option)'")
                        continue
                    }
                    source[option] = sample
                }
                try accept([["save": "saved", "from": .object(source)]])
            }
        }
        #expect(Set(Self.sourceValues["url"]!.compactMap { $0.objectValue?.keys.first }) == Set(FlowGrammar.urlPartKeys))
    }

    @Test("the new options decode to what they say")
    func decodedValues() throws {
        let flow = try accept([
            ["click": "text=Go", "position": ["x": 5, "y": 7.5]],
            ["waitFor": ["element": "css=.item", "count": 2, "operator": ">="]],
            ["waitFor": ["expression": "window.ready === true"]],
            ["click": ["role": "heading", "level": 2, "checked": false]],
            ["hover": "role=heading[level=3][expanded]"],
        ])
        guard case .click(_, let position, _) = flow.steps[0].action else { Issue.record("click"); return }
        #expect(position == PointerPosition(x: 5, y: 7.5))
        guard case .waitFor(.element(_, let state, let count)) = flow.steps[1].action else { Issue.record("element"); return }
        #expect(state == .attached && count == ElementCount(2, .atLeast))
        guard case .waitFor(.expression(let expression)) = flow.steps[2].action else { Issue.record("expression"); return }
        #expect(expression == "window.ready === true")
        guard case .click(.single(let heading), nil, _) = flow.steps[3].action else { Issue.record("role object"); return }
        #expect(heading.roleFilters == RoleFilters(level: 2, checked: false))
        guard case .hover(.single(let shorthand), nil) = flow.steps[4].action else { Issue.record("role shorthand"); return }
        #expect(shorthand.roleFilters == RoleFilters(level: 3, expanded: true))
        #expect(shorthand.description == "role=heading[level=3][expanded]")
    }
}
