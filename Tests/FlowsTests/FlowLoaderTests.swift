import Flows
import Foundation
import JSONCore
import Testing

@Suite("Flow loading")
final class FlowLoaderTests {
    let folder: URL

    deinit { try? FileManager.default.removeItem(at: folder) }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("flows-loader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    @Test("the contract's example decodes into every field")
    func contractExample() throws {
        try write("02-create-dataset.flow.json", #"""
        {
          "name": "create-dataset",
          "description": "Create a dataset and upload the fixture images",
          "requires": ["AI_TOOLKIT_PASSWORD"],
          "secrets": ["AI_TOOLKIT_PASSWORD"],
          "prerequisites": ["01-login.flow.json"],
          "when": {"var": "until", "in": ["checkpoint", "completed"]},
          "vars": {"dataset": "discover_${run.id}"},
          "steps": [
            {"goto": "/datasets"},
            {"click": {"role": "button", "name": "New Dataset"}},
            {"fill": {"placeholder": "Dataset Name"}, "value": "${vars.dataset}"},
            {"click": "role=button[name=\"Create\"]", "name": "confirm the dialog", "timeout": 10000},
            {"waitFor": {"response": {"method": "POST", "url": "**/api/datasets/create", "status": 200}, "json": {"path": "$.name", "exists": true}}},
            {"save": "datasetId", "from": {"url": {"segment": -1}}},
            {"select": "css=select", "option": "Two"},
            {"upload": "input[type=file]", "files": "fixtures/*.png"},
            {"setViewport": {"width": 800, "height": 600}},
            {"press": "Control+A", "target": "label=Name", "when": {"var": "x", "equals": "y"}}
          ]
        }
        """#)
        let flow = try FlowLoader.loadFile(folder.appendingPathComponent("02-create-dataset.flow.json"))
        #expect(flow.name == "create-dataset")
        #expect(flow.requires == ["AI_TOOLKIT_PASSWORD"] && flow.secrets == ["AI_TOOLKIT_PASSWORD"])
        #expect(flow.prerequisites == ["01-login.flow.json"])
        #expect(flow.when == WhenCondition(variable: "until", allowed: ["checkpoint", "completed"]))
        #expect(flow.vars == ["dataset": "discover_${run.id}"])
        #expect(flow.steps.map(\.action.kind) == ["goto", "click", "fill", "click", "waitFor", "save", "select", "upload", "setViewport", "press"])
        #expect(flow.steps[3].name == "confirm the dialog" && flow.steps[3].timeout == .seconds(10))
        #expect(flow.steps[3].index == 4)
        guard case .waitFor(.response(let matcher, nil, let json)) = flow.steps[4].action else { Issue.record("response"); return }
        #expect(matcher == ResponseMatcher(method: "POST", url: "**/api/datasets/create", status: 200))
        #expect(json == JSONExpectation(path: "$.name", exists: true))
        guard case .upload(_, let files) = flow.steps[7].action else { Issue.record("upload"); return }
        #expect(files == ["fixtures/*.png"])
        #expect(flow.steps[9].when == WhenCondition(variable: "x", allowed: ["y"]))
    }

    @Test("a bad step names the file and the step number")
    func badStep() throws {
        try write("bad.flow.json", #"{"name": "bad", "steps": [{"goto": "/"}, {"clik": "text=Go"}]}"#)
        #expect {
            try FlowLoader.loadFile(folder.appendingPathComponent("bad.flow.json"))
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("bad.flow.json: step 2:") && text.contains("clik")
        }
        try write("two.flow.json", #"{"name": "two", "steps": [{"goto": "/", "click": "a"}]}"#)
        #expect { try FlowLoader.loadFile(self.folder.appendingPathComponent("two.flow.json")) } throws: {
            "\($0)".contains("step 1: a step has exactly one action; this one has 'goto' and 'click'")
        }
    }

    @Test("a syntax error names the file, line and column")
    func syntaxError() throws {
        try write("broken.flow.json", "{\n  \"name\": \"x\",\n  \"steps\": [,]\n}")
        #expect { try FlowLoader.loadFile(self.folder.appendingPathComponent("broken.flow.json")) } throws: {
            "\($0)".hasPrefix("broken.flow.json: 3:")
        }
    }

    @Test("a folder loads *.flow.json in file-name order")
    func folderOrder() throws {
        try write("02-b.flow.json", #"{"name": "b", "steps": []}"#)
        try write("01-a.flow.json", #"{"name": "a", "steps": []}"#)
        try write("10-c.flow.json", #"{"name": "c", "steps": []}"#)
        try write("templates.json", #"{"templates": []}"#)
        #expect(try FlowLoader.load(folder).map(\.name) == ["a", "b", "c"])
    }

    @Test("a single file runs its prerequisites first, each once")
    func prerequisites() throws {
        try write("01-login.flow.json", #"{"name": "login", "steps": []}"#)
        try write("02-data.flow.json", #"{"name": "data", "prerequisites": ["01-login.flow.json"], "steps": []}"#)
        try write("03-job.flow.json", #"{"name": "job", "prerequisites": ["01-login.flow.json", "02-data.flow.json"], "steps": []}"#)
        #expect(try FlowLoader.load(folder.appendingPathComponent("03-job.flow.json")).map(\.name) == ["login", "data", "job"])
    }

    @Test("include loads the other file relative to this one and refuses cycles")
    func include() throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("parts"), withIntermediateDirectories: true)
        try write("parts/login.flow.json", #"{"name": "login-part", "steps": [{"goto": "/login"}]}"#)
        try write("main.flow.json", #"{"name": "main", "steps": [{"include": "parts/login.flow.json"}]}"#)
        let flow = try FlowLoader.loadFile(folder.appendingPathComponent("main.flow.json"))
        guard case .include(let included) = flow.steps[0].action else { Issue.record("include"); return }
        #expect(included.name == "login-part" && included.steps.count == 1)
        try write("loop.flow.json", #"{"name": "loop", "steps": [{"include": "loop.flow.json"}]}"#)
        #expect { try FlowLoader.loadFile(self.folder.appendingPathComponent("loop.flow.json")) } throws: { "\($0)".contains("cycle") }
    }
}
