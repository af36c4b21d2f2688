import Foundation
import Testing

@testable import Flows

@Suite struct AuthoringValidatorTests {
    /// Validates `text` as if stored at `<folder>/broken.flow.json`.
    private func diagnose(_ text: String, in folder: String = "/nonexistent") -> [FlowDiagnostic] {
        FlowValidator.validate(text: text, file: folder + "/broken.flow.json")
    }

    private func only(_ diagnostics: [FlowDiagnostic], _ comment: Comment? = nil) throws -> FlowDiagnostic {
        try #require(diagnostics.count == 1, "\(diagnostics.map(\.description))")
        return diagnostics[0]
    }

    @Test func syntaxErrorNamesFileLineAndColumn() throws {
        let diagnostic = try only(diagnose("{\n  \"name\": \"x\",\n  \"steps\": [\n    {\"goto\": \"/\"}\n    {\"click\": \"text=Go\"}\n  ]\n}"))
        #expect(diagnostic.description == "/nonexistent/broken.flow.json:5:5: error: invalid JSON: expected ',' or ']' in array")
    }

    @Test func unknownStepKindSuggestsTheClosest() throws {
        let diagnostic = try only(diagnose("{\n  \"name\": \"x\",\n  \"steps\": [\n    {\"goto\": \"/\"},\n    {\"clik\": \"text=Go\"}\n  ]\n}"))
        #expect(diagnostic.description == "/nonexistent/broken.flow.json:5:6: error: unknown step kind 'clik' (did you mean 'click'?)")
    }

    @Test func misspelledModifierSuggestsTheClosest() throws {
        let diagnostic = try only(diagnose("{\"name\": \"x\", \"steps\": [\n  {\"click\": \"text=Go\", \"timout\": 5000}\n]}"))
        #expect(diagnostic.line == 2 && diagnostic.column == 24)
        #expect(diagnostic.message == "unknown key 'timout' in a click step (did you mean 'timeout'?)")
    }

    @Test func misspelledLocatorKeySuggestsTheClosest() throws {
        let diagnostic = try only(diagnose("{\"name\": \"x\", \"steps\": [\n  {\"click\": {\"role\": \"button\", \"nmae\": \"Go\"}}\n]}"))
        #expect(diagnostic.line == 2 && diagnostic.column == 32)
        #expect(diagnostic.message == "unknown key 'nmae' in a locator (did you mean 'name'?)")
    }

    @Test func optionOfAnotherStepKindIsNamed() throws {
        let diagnostic = try only(diagnose("{\"name\": \"x\", \"steps\": [{\"click\": \"text=Go\", \"files\": \"a.png\"}]}"))
        #expect(diagnostic.message == "'files' is not allowed in a click step (it belongs to upload)")
        #expect(diagnostic.column == 46)
    }

    @Test func twoActionsInOneStepIsAnError() throws {
        let diagnostic = try only(diagnose("{\"name\": \"x\", \"steps\": [{\"click\": \"text=Go\", \"hover\": \"text=Go\"}]}"))
        #expect(diagnostic.message == "a step has exactly one action; this one has 'click' and 'hover'")
    }

    @Test func missingRequiredOptionPointsAtTheAction() throws {
        let diagnostic = try only(diagnose("{\"name\": \"x\", \"steps\": [{\"fill\": \"label=Name\"}]}"))
        #expect(diagnostic.message == "a fill step needs \"value\"")
        #expect(diagnostic.column == 26)
    }

    @Test func unknownVariablePointsAtTheDollarSign() throws {
        let text = """
            {
              "name": "x",
              "vars": {"dataset": "d"},
              "steps": [
                {"fill": "label=Name", "value": "a ${vars.datset}"}
              ]
            }
            """
        let diagnostic = try only(diagnose(text))
        #expect(diagnostic.line == 5 && diagnostic.column == 40)
        #expect(diagnostic.message == "unknown variable 'datset': not defined in \"vars\" and saved by no step before it (did you mean 'dataset'?)")
    }

    @Test func environmentVariableMustBeRequired() throws {
        let diagnostic = try only(diagnose("{\"name\": \"x\", \"steps\": [{\"fill\": \"label=P\", \"value\": \"${env.TOKEN}\"}]}"))
        #expect(diagnostic.column == 55)
        #expect(diagnostic.message == "environment variable 'TOKEN' is used but not listed in \"requires\"")
    }

    @Test func unknownRunVariableIsAnError() throws {
        let diagnostic = try only(diagnose("{\"name\": \"x\", \"steps\": [{\"goto\": \"/${run.ids}\"}]}"))
        #expect(diagnostic.message == "unknown run variable 'ids' (did you mean 'id'?); known: id, date, baseURL")
    }

    @Test func savedVariablesAndDefaultsAreKnown() {
        let text = """
            {"name": "x", "requires": ["P"], "vars": {"a": "${run.id}"}, "steps": [
              {"save": "job", "from": {"url": {"segment": -1}}},
              {"goto": "/jobs/${vars.job}/${vars.a}?t=${env.P}&d=${run.date}"}
            ]}
            """
        #expect(diagnose(text).isEmpty)
    }

    @Test func missingUploadFileNamesThePattern() throws {
        let folder = try AuthoringPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data([1]).write(to: folder.appendingPathComponent("present.png"))
        let text = "{\"name\": \"x\", \"steps\": [\n  {\"upload\": \"input[type=file]\", \"files\": [\"*.png\", \"missing/*.jpg\"]}\n]}"
        let diagnostic = try only(diagnose(text, in: folder.path))
        #expect(diagnostic.line == 2 && diagnostic.column == 53)
        #expect(diagnostic.message.hasPrefix("no file matches 'missing/*.jpg' (relative to the flow file: "))
    }

    @Test func missingPrerequisiteAndIncludeFilesAreErrors() throws {
        let text = "{\"name\": \"x\", \"prerequisites\": [\"01-login.flow.json\"],\n \"steps\": [{\"include\": \"common.flow.json\"}]}"
        let diagnostics = diagnose(text)
        #expect(diagnostics.map(\.line) == [1, 2])
        #expect(diagnostics.map(\.column) == [33, 24])
        #expect(diagnostics.allSatisfy { $0.message.hasPrefix("flow file '") && $0.message.contains("not found") })
    }

    @Test func locatorShapesAreChecked() {
        let text = """
            {"name": "x", "steps": [
              {"click": "txt=Go"},
              {"click": {"css": ".a", "text": "b"}},
              {"click": {"label": "L", "name": "n"}},
              {"click": []},
              {"click": 3},
              {"click": "role=button[nme=\\"x\\"]"},
              {"click": "css=.row >> text=\\"Delete\\" >> nth=1"},
              {"click": "role=button[name=\\"Go\\"][exact]"},
              {"click": "nth=1"}
            ]}
            """
        let messages = diagnose(text).map(\.message)
        #expect(messages == [
            "unknown locator prefix 'txt=' (did you mean 'text='?); known: css= xpath= text= role= label= placeholder= testId= alt= title=",
            "a locator has one kind; this one has 'css' and 'text' (use \"within\" or \"has\" to combine)",
            "\"name\" goes with \"role\" (the accessible name of a role locator)",
            "a list of locator alternatives needs at least one",
            "expected a locator (a string such as \"text=Create\", an object, or a list of alternatives), found an integer",
            "a role locator reads role=ROLE, role=ROLE[name=\"Accessible name\"], with [exact] for an exact name and ARIA filters [level=N], [checked], [disabled], [expanded], [selected], [pressed] (or =false), found 'role=button[nme=\"x\"]'",
            "'nth=1' in 'nth=1' must follow a locator and be an integer",
        ].map { $0.replacingOccurrences(of: "did you mean 'text='", with: "did you mean 'text'") })
    }

    @Test func conditionAndSourceShapesAreChecked() {
        let text = """
            {"name": "x", "steps": [
              {"waitFor": {"element": "text=A", "state": "visibel"}},
              {"waitFor": {"respnse": {"url": "**/api"}}},
              {"expect": {"response": {"method": "post"}, "json": {"equals": 1}}},
              {"waitFor": {"text": "a", "url": "b"}},
              {"save": "id", "from": {"response": {"url": "**/api/jobs"}}},
              {"save": "id", "from": {"url": {"regex": "(", "segment": 1}}}
            ]}
            """
        let messages = diagnose(text).map(\.message)
        #expect(messages == [
            "'visibel' is not one of visible, hidden, attached, detached, enabled, disabled, checked, unchecked (did you mean 'visible'?)",
            "unknown condition kind 'respnse' (did you mean 'response'?)",
            "a response match needs \"url\" (a glob such as \"**/api/jobs\")",
            "HTTP methods are upper case: 'POST'",
            "a json check needs \"path\" (such as \"$.status\")",
            "a condition has one kind; this one has 'text' and 'url' (use two steps)",
            "a response source needs \"path\" (such as \"$.id\")",
            "a url source takes one of \"regex\" (first group) or \"segment\" (index, negative from the end)",
            "invalid regular expression '('",
        ])
    }

    @Test func typesAndWhenAreChecked() {
        let text = """
            {"name": "x", "when": {"var": "until", "in": ["a"], "equals": "b"}, "steps": [
              {"goto": "/", "timeout": "10s"},
              {"screenshot": "a.png", "fullPage": "yes"},
              {"setViewport": {"width": 0, "height": 600}}
            ], "descripton": "typo"}
            """
        let messages = diagnose(text).map(\.message)
        #expect(messages == [
            "variable 'until' has no default in vars; it must be set with --var until=...",
            "a when takes \"in\" or \"equals\", not both",
            "expected an integer, found the string \"10s\"",
            "expected true or false, found the string \"yes\"",
            "expected a number above 0, found 0.0",
            "unknown key 'descripton' in the flow (did you mean 'description'?)",
        ])
    }

    @Test func missingNameAndStepsAreErrors() {
        #expect(diagnose("{}").map(\.description) == [
            "/nonexistent/broken.flow.json:1:1: error: the flow has no \"name\"",
            "/nonexistent/broken.flow.json:1:1: error: the flow has no \"steps\"",
        ])
        #expect(diagnose("[1]").map(\.message) == ["a flow file holds one JSON object with \"name\" and \"steps\", found an array"])
    }

    @Test func duplicateKeysAreErrors() throws {
        let diagnostic = try only(diagnose("{\"name\": \"x\",\n\"steps\": [],\n\"name\": \"y\"}").filter { $0.severity == .error })
        #expect(diagnostic.description == "/nonexistent/broken.flow.json:3:1: error: duplicate key 'name': the earlier value is ignored")
    }

    @Test func folderChecksDuplicateNamesAndSharesSavedVariables() throws {
        let folder = try AuthoringPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try #"{"name": "one", "steps": [{"save": "job", "from": {"url": {"segment": -1}}}]}"#
            .write(to: folder.appendingPathComponent("01-a.flow.json"), atomically: true, encoding: .utf8)
        try "{\"name\": \"two\", \"steps\": [{\"goto\": \"/jobs/${vars.job}\"}]}"
            .write(to: folder.appendingPathComponent("02-b.flow.json"), atomically: true, encoding: .utf8)
        try "{\n  \"name\": \"one\", \"steps\": [{\"goto\": \"/\"}]}"
            .write(to: folder.appendingPathComponent("03-c.flow.json"), atomically: true, encoding: .utf8)
        let diagnostics = FlowValidator.validate(paths: [folder.path])
        #expect(diagnostics.map(\.description) == [
            "\(folder.path)/03-c.flow.json:2:11: error: flow name 'one' is also used by \(folder.path)/01-a.flow.json; names must be unique in a folder"
        ])
        // Alone, the second flow does not know the variable the first one saves.
        #expect(FlowValidator.validate(paths: [folder.appendingPathComponent("02-b.flow.json").path]).map(\.message) == [
            "unknown variable 'job': not defined in \"vars\" and saved by no step before it"
        ])
    }

    @Test func prerequisitesLendVariablesAndCyclesAreReported() throws {
        let folder = try AuthoringPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try #"{"name": "a", "requires": ["P"], "prerequisites": ["b.flow.json"], "steps": [{"goto": "/${vars.x}"}]}"#
            .write(to: folder.appendingPathComponent("a.flow.json"), atomically: true, encoding: .utf8)
        try #"{"name": "b", "vars": {"x": "1"}, "steps": [{"include": "a.flow.json"}]}"#
            .write(to: folder.appendingPathComponent("b.flow.json"), atomically: true, encoding: .utf8)
        let messages = FlowValidator.validate(paths: [folder.appendingPathComponent("a.flow.json").path]).map(\.message)
        #expect(messages == ["'b.flow.json' leads back to this flow: prerequisites and includes must not form a cycle"])
    }

    @Test func missingPathIsReported() {
        #expect(FlowValidator.validate(paths: ["/nonexistent/flows"]).map(\.description) == ["/nonexistent/flows: error: no such file or folder"])
    }

    @Test func aiToolkitFlowsValidateClean() {
        let diagnostics = FlowValidator.validate(paths: [AuthoringPaths.aiToolkit.path])
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description).joined(separator: "\n"))")
        let flows = (try? FileManager.default.contentsOfDirectory(atPath: AuthoringPaths.aiToolkit.path))?.filter { $0.hasSuffix(".flow.json") }.sorted()
        #expect(flows == [
            "01-login.flow.json", "02-create-dataset.flow.json", "03-create-job.flow.json", "04-start-job.flow.json",
            "05-wait-checkpoint.flow.json", "06-wait-completed.flow.json", "90-cleanup.flow.json",
        ])
    }

    @Test func aiToolkitFlowsValidateAloneThroughTheirPrerequisites() {
        for name in ["03-create-job.flow.json", "05-wait-checkpoint.flow.json", "90-cleanup.flow.json"] {
            let diagnostics = FlowValidator.validate(paths: [AuthoringPaths.aiToolkit.appendingPathComponent(name).path])
            #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description).joined(separator: "\n"))")
        }
    }

    @Test func everyFlowFileInTheRepositoryValidates() {
        let diagnostics = FlowValidator.validate(paths: [AuthoringPaths.flows.path]).filter { $0.severity == .error }
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description).joined(separator: "\n"))")
    }

    @Test func editDistanceCountsTranspositionsAsOne() {
        #expect(Suggestion.editDistance("clcik", "click") == 1)
        #expect(Suggestion.editDistance("clik", "click") == 1)
        #expect(Suggestion.closest(to: "wait", among: FlowGrammar.stepKinds) == nil)
        #expect(Suggestion.closest(to: "waitfor", among: FlowGrammar.stepKinds) == "waitFor")
    }
}
