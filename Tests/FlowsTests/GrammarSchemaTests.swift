import Foundation
import JSONCore
import Testing

@testable import Flows

/// The schema is generated from `FlowGrammar`: the committed file must be that output, and a real JSON
/// Schema validator (Python `jsonschema`, which scripts/install-deps.sh installs) must accept every
/// step the grammar's decoders accept and refuse what they refuse.
@Suite struct GrammarSchemaTests {
    @Test("flows/flow.schema.json is the schema generated from FlowGrammar")
    func committedSchemaIsGenerated() throws {
        let committed = try String(contentsOf: AuthoringPaths.flows.appendingPathComponent(FlowSchema.fileName), encoding: .utf8)
        #expect(
            committed == FlowSchema.text(),
            "flows/flow.schema.json differs from the schema FlowGrammar generates; regenerate it with `swift run discover flow-schema > flows/flow.schema.json`")
    }

    /// Every step kind with every sample value of its value and each option, decoded by its grammar entry.
    private func everyStep(in folder: URL) throws -> [JSON] {
        var steps: [JSON] = []
        for kind in FlowGrammar.steps {
            for value in GrammarCoverageTests.sample(kind.value) {
                var step: [String: JSON] = [kind.action: value]
                for (option, shape) in kind.options where kind.required.contains(option) { step[option] = GrammarCoverageTests.sample(shape)[0] }
                steps.append(.object(step))
                for (option, shape) in kind.options.sorted(by: { $0.key < $1.key }) {
                    for optionValue in GrammarCoverageTests.sample(shape) {
                        var withOption = step
                        withOption[option] = optionValue
                        steps.append(.object(withOption))
                    }
                }
            }
        }
        steps.append(["goto": "/", "name": "a step", "timeout": 1500, "when": ["var": "until", "in": ["a", 2, true]], "optional": true])
        let flow: JSON = ["name": "every-step", "vars": ["until": "a", "saved": "x"], "steps": .array(steps)]
        let decoded = try FlowLoader.decode(flow, file: folder.appendingPathComponent("every-step.flow.json"))
        #expect(decoded.steps.map(\.action.kind) == steps.map { FlowDecoder.actions(of: $0.objectValue!.keys.sorted()).first! })
        return steps
    }

    @Test("every step the grammar decodes is valid by the schema; what it refuses, the schema refuses too")
    func schemaAcceptsWhatTheDecodersAccept() throws {
        let folder = try AuthoringPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{\"name\": \"included\", \"steps\": [{\"goto\": \"/\"}]}"
            .write(to: folder.appendingPathComponent("included.flow.json"), atomically: true, encoding: .utf8)
        let valid = try everyStep(in: folder).map { step -> JSON in ["name": "one", "steps": [step]] }
        let refused: [JSON] = [
            ["name": "x", "steps": [["clik": "text=Go"]]],
            ["name": "x", "steps": [["fill": "css=input"]]],
            ["name": "x", "steps": [["hover": "css=a", "button": "left"]]],
            ["name": "x", "steps": [["goto": "/", "click": "a"]]],
            ["name": "x", "steps": [["click": ["css": "a", "level": 2]]]],
            ["name": "x", "steps": [["waitFor": ["element": "css=a", "state": "shown"]]]],
            ["name": "x", "steps": [["save": "job", "from": ["response": "**/api"]]]],
            ["name": "x", "steps": [["setViewport": ["width": 0, "height": 600]]]],
            ["name": "x", "steps": [["goto": "/", "timeout": 0]]],
            ["name": "x", "colour": "red", "steps": []],
        ]
        for flow in refused {
            #expect(throws: (any Error).self, "the decoder accepts \(flow.serialized())") { try FlowLoader.decode(flow, file: nil) }
        }
        let verdict = try SchemaValidator.check(schema: FlowSchema.generate(), valid: valid, invalid: refused)
        #expect(verdict.rejectedValid.isEmpty, "the schema rejects what the grammar accepts: \(verdict.rejectedValid)")
        #expect(verdict.acceptedInvalid.isEmpty, "the schema accepts what the grammar refuses: \(verdict.acceptedInvalid)")
    }

    @Test("every flow file in the repository is valid by the schema")
    func repositoryFlowsAreValid() throws {
        let enumerator = try #require(FileManager.default.enumerator(at: AuthoringPaths.flows, includingPropertiesForKeys: nil))
        let files = enumerator.compactMap { $0 as? URL }.filter { $0.lastPathComponent.hasSuffix(".flow.json") }
        #expect(files.count >= 40)
        let flows = try files.map { try JSON.parse(bytes: [UInt8](Data(contentsOf: $0))) }
        let verdict = try SchemaValidator.check(schema: FlowSchema.generate(), valid: flows, invalid: [])
        #expect(verdict.rejectedValid.isEmpty, "\(verdict.rejectedValid)")
    }
}

/// Python's `jsonschema` (Draft 2020-12), run once over many instances.
enum SchemaValidator {
    struct Verdict {
        /// Instances expected valid that the schema rejects, with its first error.
        var rejectedValid: [String]
        /// Instances expected invalid that the schema accepts.
        var acceptedInvalid: [String]
    }

    static let script = """
        import json, sys
        from jsonschema import Draft202012Validator
        given = json.load(open(sys.argv[1]))
        Draft202012Validator.check_schema(given["schema"])
        validator = Draft202012Validator(given["schema"])
        rejected = []
        for instance in given["valid"]:
            errors = list(validator.iter_errors(instance))
            if errors: rejected.append(json.dumps(instance) + ": " + errors[0].message[:200])
        accepted = [json.dumps(instance) for instance in given["invalid"] if validator.is_valid(instance)]
        print(json.dumps({"rejected": rejected, "accepted": accepted}))
        """

    static func check(schema: JSON, valid: [JSON], invalid: [JSON]) throws -> Verdict {
        let request = FileManager.default.temporaryDirectory.appendingPathComponent("schema-check-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: request) }
        try JSON.object(["schema": schema, "valid": .array(valid), "invalid": .array(invalid)]).serializedData().write(to: request)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, request.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 jsonschema (scripts/install-deps.sh installs it): \(problems)")
        let answer = try JSON.parse(bytes: [UInt8](text))
        return Verdict(
            rejectedValid: answer["rejected"]?.arrayValue?.compactMap(\.stringValue) ?? ["no answer"],
            acceptedInvalid: answer["accepted"]?.arrayValue?.compactMap(\.stringValue) ?? ["no answer"])
    }
}
