import Foundation
import JSONCore
import Testing

@testable import Flows

/// `run` (`FlowLoader.load`) and `validate` (`FlowValidator`) read flow files through one pass: the same
/// findings, all of them, each with file, line, column and JSON Pointer.
@Suite struct FlowPassTests {
    static let threeErrors = """
        {
          "name": "three",
          "steps": [
            {"clik": "text=Go"},
            {"fill": "css=input"},
            {"click": "txt=Save"}
          ]
        }
        """

    @Test("three errors in three steps: validate reports each where it is, run refuses with the same three")
    func threeErrorsInDifferentSteps() throws {
        let folder = try AuthoringPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("three.flow.json")
        try Self.threeErrors.write(to: file, atomically: true, encoding: .utf8)

        let errors = FlowValidator.validate(paths: [file.path]).filter { $0.severity == .error }
        #expect(errors.map(\.pointer) == ["/steps/0/clik", "/steps/1/fill", "/steps/2/click"], "\(errors.map(\.description))")
        #expect(errors.map { "\($0.line):\($0.column)" } == ["4:6", "5:6", "6:15"])
        #expect(errors.allSatisfy { $0.file == file.path })
        #expect(errors[0].message.contains("unknown step kind 'clik' (did you mean 'click'?)"))
        #expect(errors[1].message == "a fill step needs \"value\"")
        #expect(errors[2].message.hasPrefix("unknown locator prefix 'txt='"))

        #expect {
            try FlowLoader.load(file)
        } throws: { error in
            guard let refusal = error as? FlowPassError else { return false }
            return refusal.diagnostics == errors && refusal.description.hasPrefix("3 errors in the flows; nothing ran:\n")
                && errors.allSatisfy { refusal.description.contains($0.description) }
        }
    }

    @Test("a folder run reports the errors of every file, in file-name order")
    func folderRunListsEveryFilesErrors() throws {
        let folder = try AuthoringPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try #"{"name": "a", "steps": [{"goto": "/", "timeout": 0}]}"#.write(to: folder.appendingPathComponent("01-a.flow.json"), atomically: true, encoding: .utf8)
        try #"{"name": "b", "steps": [{"goto": "/"}]}"#.write(to: folder.appendingPathComponent("02-b.flow.json"), atomically: true, encoding: .utf8)
        try #"{"name": "c", "steps": [{"hover": "css=a", "button": "left"}]}"#.write(to: folder.appendingPathComponent("03-c.flow.json"), atomically: true, encoding: .utf8)
        let outcome = FlowPass.read(folder)
        #expect(outcome.diagnostics.map { ($0.file as NSString).lastPathComponent } == ["01-a.flow.json", "03-c.flow.json"])
        #expect(outcome.diagnostics.map(\.pointer) == ["/steps/0/timeout", "/steps/0/button"])
        #expect(outcome.flows.map(\.name) == ["b"])
        #expect(throws: FlowPassError.self) { try FlowLoader.load(folder) }
    }

    @Test("a file's prerequisites are checked before it runs, and a cycle among them is an error")
    func prerequisitesAreChecked() throws {
        let folder = try AuthoringPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try #"{"name": "login", "steps": [{"goto": "/login", "clik": "x"}]}"#.write(to: folder.appendingPathComponent("login.flow.json"), atomically: true, encoding: .utf8)
        try #"{"name": "job", "prerequisites": ["login.flow.json"], "steps": [{"goto": "/"}]}"#.write(to: folder.appendingPathComponent("job.flow.json"), atomically: true, encoding: .utf8)
        let outcome = FlowPass.read(folder.appendingPathComponent("job.flow.json"))
        #expect(outcome.diagnostics.filter { $0.severity == .error }.map { ($0.file as NSString).lastPathComponent } == ["login.flow.json"])

        try #"{"name": "a", "prerequisites": ["b.flow.json"], "steps": [{"goto": "/"}]}"#.write(to: folder.appendingPathComponent("a.flow.json"), atomically: true, encoding: .utf8)
        try #"{"name": "b", "prerequisites": ["a.flow.json"], "steps": [{"goto": "/"}]}"#.write(to: folder.appendingPathComponent("b.flow.json"), atomically: true, encoding: .utf8)
        #expect {
            try FlowLoader.load(folder.appendingPathComponent("a.flow.json"))
        } throws: { "\($0)".contains("must not form a cycle") }
    }
}
