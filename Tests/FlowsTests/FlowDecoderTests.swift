import Foundation
import JSONCore
import Testing

@testable import Flows

/// `FlowDecoder` reads a flow file in one walk: every refusal, whatever kind, comes out of the same
/// pass at the value it is about, and none waits for another to be fixed first.
@Suite struct FlowDecoderTests {
    static let fiveRefusals = """
        {
          "name": "r",
          "steps": [
            {"clik": "text=Go"},
            {"waitFor": {"response": "/api/(unclosed[/"}},
            {"upload": "css=input", "files": ["a.txt", "../../secret.key"]},
            {"screenshot": "../escape.png"},
            {"click": "text=Go", "timeout": 0}
          ]
        }
        """

    private func diagnostics(_ text: String, extraFiles: [String] = []) throws -> [FlowDiagnostic] {
        let folder = try AuthoringPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in extraFiles { try "x".write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let file = folder.appendingPathComponent("refused.flow.json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return FlowValidator.validate(paths: [file.path]).map {
            FlowDiagnostic(file: "refused.flow.json", line: $0.line, column: $0.column, severity: $0.severity, message: $0.message, pointer: $0.pointer)
        }
    }

    @Test("refusals the grammar words and refusals only a decoded value shows come out of one pass, each at its own value")
    func everyRefusalAtItsValue() throws {
        let errors = try diagnostics(Self.fiveRefusals, extraFiles: ["a.txt"]).filter { $0.severity == .error }
        let found = errors.map { "\($0.pointer ?? "-") \($0.line):\($0.column)" }
        #expect(Set(found) == [
            "/steps/0/clik 4:6", "/steps/1/waitFor/response 5:30", "/steps/2/files/1 6:48", "/steps/3/screenshot 7:20", "/steps/4/timeout 8:37",
        ], "\(errors.map(\.description))")
        func message(at pointer: String) -> String { errors.filter { $0.pointer == pointer }.map(\.message).joined(separator: " | ") }
        #expect(message(at: "/steps/1/waitFor/response").contains("`response` /api/(unclosed[/ is not a valid URL pattern"))
        #expect(message(at: "/steps/2/files/1").contains("`files` names ../../secret.key, outside the flow file's folder"))
        #expect(message(at: "/steps/2/files/1").contains("no file matches '../../secret.key'"))
        #expect(message(at: "/steps/3/screenshot").contains("a screenshot's name is a relative path inside the output folder"))
        #expect(message(at: "/steps/4/timeout").hasPrefix("`timeout` is a positive number of milliseconds"))
    }

    @Test("run refuses with the same findings validate prints")
    func runRefusesWithTheSameLines() throws {
        let folder = try AuthoringPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "x".write(to: folder.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let file = folder.appendingPathComponent("refused.flow.json")
        try Self.fiveRefusals.write(to: file, atomically: true, encoding: .utf8)
        let validated = FlowValidator.validate(paths: [file.path]).filter { $0.severity == .error }
        #expect {
            try FlowLoader.load(file)
        } throws: { error in
            (error as? FlowPassError)?.diagnostics == validated
        }
        #expect(validated.count == 6)
    }

    @Test("what used to be refused only at the step is refused at the value inside it")
    func refusalsInsideValues() throws {
        let cases: [(step: String, pointer: String, phrase: String)] = [
            (#"{"waitFor": {"message": {"url": "/ws/(x[/"}}}"#, "/steps/0/waitFor/message/url", "is not a valid URL pattern"),
            (#"{"click": "div >> \#(Array(repeating: "div", count: 40).joined(separator: " >> "))"}"#, "/steps/0/click", "at most \(Locator.maximumNesting)"),
            (#"{"include": "broken.flow.json"}"#, "/steps/0/include", "'broken.flow.json' does not load: 1:26: unknown step kind 'clik'"),
            (#"{"upload": "css=input", "files": "/etc/hostname"}"#, "/steps/0/files", "outside the flow file's folder"),
        ]
        for (step, pointer, phrase) in cases {
            let folder = try AuthoringPaths.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try #"{"name": "b", "steps": [{"clik": "x"}]}"#.write(to: folder.appendingPathComponent("broken.flow.json"), atomically: true, encoding: .utf8)
            let file = folder.appendingPathComponent("one.flow.json")
            try "{\"name\": \"one\", \"steps\": [\n  \(step)\n]}".write(to: file, atomically: true, encoding: .utf8)
            let errors = FlowValidator.validate(paths: [file.path]).filter { $0.severity == .error }
            #expect(errors.contains { $0.pointer == pointer && $0.line == 2 && $0.message.contains(phrase) }, "\(step): \(errors.map { "\($0.pointer ?? "-") \($0)" })")
        }
    }

    @Test("defaults that refer to each other are refused at vars")
    func varsCycleAtVars() throws {
        let errors = try diagnostics("{\"name\": \"c\",\n \"vars\": {\"a\": \"${vars.b}\", \"b\": \"${vars.a}\"},\n \"steps\": [{\"goto\": \"/\"}]}")
            .filter { $0.severity == .error }
        #expect(errors.map { "\($0.pointer ?? "-") \($0.line):\($0.column)" } == ["/vars 2:10"], "\(errors.map(\.description))")
        #expect(errors.first?.message.contains("cycle: a -> b -> a") == true)
    }

    @Test("the shapes both walkers once refused separately are refused once, at the value")
    func shapesRefusedAtTheirValue() throws {
        let cases: [(JSON, String)] = [
            (["waitFor": ["element": "css=.item", "operator": ">="]], "/steps/0/waitFor/operator"),
            (["click": ["css": "h2", "level": 2]], "/steps/0/click/level"),
            (["click": "text=Go", "position": ["x": 5]], "/steps/0/position"),
            (["click": "role=heading[level=zero]"], "/steps/0/click"),
            (["goto": "/", "when": ["var": "until", "in": [["nested": true]]]], "/steps/0/when/in/0"),
            (["goto": "/", "when": ["var": "until", "equals": ["a", "b"]]], "/steps/0/when/equals"),
        ]
        for (step, pointer) in cases {
            let flow: JSON = ["name": "bad", "vars": ["until": "x"], "steps": [step]]
            let errors = try diagnostics(flow.serialized()).filter { $0.severity == .error }
            #expect(errors.map(\.pointer) == [pointer], "\(step.serialized()): \(errors.map(\.description))")
            #expect(throws: FlowFileError.self, "\(step.serialized())") { try FlowLoader.decode(flow, file: nil) }
        }
    }

    @Test("a flow in memory is refused in the words validate uses, naming the step")
    func inMemoryRefusal() throws {
        #expect {
            try FlowLoader.decode(["name": "m", "steps": [["goto": "/"], ["clik": "text=Go"]]], file: URL(fileURLWithPath: "/tmp/m.flow.json"))
        } throws: { error in
            "\(error)" == "m.flow.json: step 2: unknown step kind 'clik' (did you mean 'click'?)"
        }
    }

    @Test("a reference is checked once wherever its string sits, as the walk reads it")
    func referencesAsStringsAreRead() throws {
        let flow = #"""
            {"name": "v", "vars": {"w": "x"}, "description": "${vars.notChecked}", "steps": [
              {"click": "text=${vars.a1}", "name": "${vars.a2}"},
              {"select": "css=select", "option": "${vars.a3}"},
              {"upload": "css=input", "files": ["${vars.a4}"]},
              {"waitFor": {"response": "**/x", "json": {"path": "$.x", "equals": {"k": ["${vars.a5}"]}}}},
              {"goto": "/", "when": {"var": "w", "equals": "${vars.a6}"}},
              {"fill": {"role": "textbox", "name": "${vars.a7}"}, "value": "${vars.a8}"}
            ]}
            """#
        let errors = try diagnostics(flow).filter { $0.severity == .error }
        #expect(errors.map { "\($0.pointer ?? "-") \($0.message.prefix(21))" } == [
            "/steps/0/click unknown variable 'a1'", "/steps/0/name unknown variable 'a2'", "/steps/1/option unknown variable 'a3'",
            "/steps/2/files/0 unknown variable 'a4'", "/steps/3/waitFor/json/equals/k/0 unknown variable 'a5'",
            "/steps/4/when/equals unknown variable 'a6'", "/steps/5/fill/name unknown variable 'a7'", "/steps/5/value unknown variable 'a8'",
        ], "\(errors.map(\.description))")
    }
}
