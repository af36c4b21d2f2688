import Foundation
import JSONCore
import Testing

@testable import Flows

@Suite struct AuthoringRecorderImportTests {
    private func fixture(_ name: String) throws -> JSON {
        try JSON.parse(String(contentsOf: AuthoringPaths.fixtures.appendingPathComponent(name), encoding: .utf8))
    }

    @Test func recorderExportConvertsToTheExpectedFlow() throws {
        let recording = try fixture("recorder-create-dataset.json")
        #expect(RecorderImport.isRecording(recording))
        let flow = try RecorderImport.convert(recording, file: "recorder-create-dataset.json")
        let expected = try fixture("recorder-create-dataset.expected.flow.json")
        #expect(flow.serialized(.pretty) == expected.serialized(.pretty))
    }

    @Test func convertedFlowValidatesClean() throws {
        let flow = try RecorderImport.convert(try fixture("recorder-create-dataset.json"), file: "recording.json")
        let diagnostics = FlowValidator.validate(text: flow.serialized(.pretty), file: "/nonexistent/converted.flow.json")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
    }

    /// What `discover run recording.json` does: the converted flow loads, offsets, counts and expressions included.
    @Test func convertedFlowLoads() throws {
        let converted = try RecorderImport.convert(try fixture("recorder-create-dataset.json"), file: "recording.json")
        let flow = try FlowLoader.decode(converted, file: nil)
        #expect(flow.steps.count == converted["steps"]?.arrayValue?.count)
        #expect(flow.steps.contains { if case .click(_, PointerPosition(x: 42.5, y: 12)?, _) = $0.action { true } else { false } })
        #expect(flow.steps.contains { if case .waitFor(.element(_, .hidden, ElementCount(0, .equal)?)) = $0.action { true } else { false } })
        #expect(flow.steps.contains { if case .waitFor(.expression("document.querySelectorAll('img').length >= 1")) = $0.action { true } else { false } })
    }

    @Test func secondaryAndAuxiliaryButtonsBecomeRightAndMiddleClicks() throws {
        let recording: JSON = ["title": "buttons", "steps": [
            ["type": "click", "selectors": [["#menu"]], "button": "secondary"],
            ["type": "click", "selectors": [["#tab"]], "button": "auxiliary"],
        ]]
        let converted = try RecorderImport.convert(recording, file: "buttons.json")
        let steps = converted["steps"]?.arrayValue ?? []
        #expect(steps.map { $0["button"]?.stringValue } == ["right", "middle"])
        let flow = try FlowLoader.decode(converted, file: nil)
        guard case .click(_, _, let press) = flow.steps[0].action else { Issue.record("click"); return }
        #expect(press.button == .right)
    }

    @Test func formattedFlowPutsEachStepOnALineWithItsActionFirst() throws {
        let flow = try RecorderImport.convert(try fixture("recorder-create-dataset.json"), file: "recording.json")
        let text = FlowFormatter.format(flow)
        #expect(try JSON.parse(text) == flow)
        let lines = text.components(separatedBy: "\n")
        #expect(lines[1] == #"  "name": "create-dataset-and-caption","#)
        #expect(lines.contains(#"    {"waitFor": {"element": {"name": "Add Images", "role": "button"}, "state": "visible"}, "timeout": 15000},"#))
        #expect(lines.contains(#"    {"fill": [{"label": "Dataset Name"}, {"exact": true, "text": "Dataset Name"}, {"css": "input[placeholder=\"Dataset Name\"]"}], "value": "Cats"},"#))
    }

    @Test func flowsAreNotRecordings() throws {
        let flow = try JSON.parse(String(contentsOf: AuthoringPaths.aiToolkit.appendingPathComponent("01-login.flow.json"), encoding: .utf8))
        #expect(!RecorderImport.isRecording(flow))
    }

    @Test func unsupportedStepsAreErrorsNamingTypeAndIndex() throws {
        let recording: JSON = [
            "title": "t",
            "steps": [
                ["type": "navigate", "url": "/"],
                ["type": "emulateNetworkConditions", "download": 1000, "upload": 1000, "latency": 20],
                ["type": "customStep", "name": "x", "parameters": [:]],
                ["type": "click", "selectors": [["button"]], "button": "back"],
                ["type": "close"],
                ["type": "click", "target": "https://popup.example/", "selectors": [["a"]]],
                ["type": "waitForExpression", "expression": "true", "frame": [0]],
            ],
        ]
        do {
            _ = try RecorderImport.convert(recording, file: "rec.json")
            Issue.record("conversion should fail")
        } catch {
            #expect(error.problems.map(\.stepIndex) == [1, 2, 3, 4, 5, 6])
            #expect(error.description.components(separatedBy: "\n") == [
                "rec.json: error: step 2 (steps[1]): step type 'emulateNetworkConditions' is not supported: network throttling is not part of the flow format",
                "rec.json: error: step 3 (steps[2]): step type 'customStep' is not supported: custom steps run code registered in the Recorder's extension, which a flow cannot see",
                "rec.json: error: step 4 (steps[3]): click with the back mouse button is not supported; flows click with the primary, secondary or auxiliary button",
                "rec.json: error: step 5 (steps[4]): close before the end of the recording is not supported; flows keep one page open",
                "rec.json: error: step 6 (steps[5]): click in another target ('https://popup.example/', a popup or new tab) is not supported; flows drive one page",
                "rec.json: error: step 7 (steps[6]): waitForExpression inside a frame is not supported; expression conditions run in the top document",
            ])
        }
    }

    @Test func validateReportsUnsupportedRecorderStepsAtTheirPlace() throws {
        let folder = try AuthoringPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("recording.json")
        try "{\"title\": \"t\", \"steps\": [\n  {\"type\": \"navigate\", \"url\": \"/\"},\n  {\"type\": \"customStep\", \"name\": \"x\"}\n]}"
            .write(to: file, atomically: true, encoding: .utf8)
        let diagnostics = FlowValidator.validate(paths: [file.path])
        #expect(diagnostics.map(\.description) == [
            "\(file.path):3:12: error: step type 'customStep' is not supported: custom steps run code registered in the Recorder's extension, which a flow cannot see"
        ])
    }

    @Test func validateReportsAConvertedFlowThatWouldNotLoad() throws {
        let folder = try AuthoringPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("recording.json")
        try #"{"title": "t", "steps": [{"type": "setViewport", "width": "wide", "height": 600}]}"#.write(to: file, atomically: true, encoding: .utf8)
        let diagnostics = FlowValidator.validate(paths: [file.path])
        #expect(diagnostics.map(\.description) == [
            "\(file.path):1:1: error: the converted flow does not load: recording.json: step 1: expected a number, found the string \"wide\""
        ])
    }

    @Test func keysPairIntoPressesWithChords() throws {
        let keys: [(String, String)] = [
            ("keyDown", "Shift"), ("keyDown", "Control"), ("keyDown", "Z"), ("keyUp", "Z"), ("keyUp", "Control"), ("keyUp", "Shift"),
            ("keyDown", "Tab"), ("keyUp", "Tab"), ("keyUp", "Escape"), ("keyDown", "a"), ("keyDown", "Alt"),
        ]
        let recording: JSON = ["title": "keys", "steps": .array(keys.map { ["type": .string($0.0), "key": .string($0.1)] })]
        let flow = try RecorderImport.convert(recording, file: "keys.json")
        #expect(flow["steps"] == [["press": "Shift+Control+Z"], ["press": "Tab"], ["press": "a"], ["press": "Alt"]])
    }

    @Test func recordingTimeoutAppliesToStepsWithoutTheirOwn() throws {
        let recording: JSON = [
            "title": "T", "timeout": 7000,
            "steps": [["type": "navigate", "url": "/a"], ["type": "navigate", "url": "/b", "timeout": 500]],
        ]
        let flow = try RecorderImport.convert(recording, file: "t.json")
        #expect(flow["steps"] == [["goto": "/a", "timeout": 7000], ["goto": "/b", "timeout": 500]])
    }

    @Test func selectorPrefixesMapToLocatorKinds() {
        #expect(RecorderImport.locators(for: #"aria/Create Job[role="button"]"#) == [["role": "button", "name": "Create Job"]])
        #expect(RecorderImport.locators(for: "aria/Password") == [["label": "Password"], ["text": "Password", "exact": true]])
        #expect(RecorderImport.locators(for: "text/Create") == [["text": "Create"]])
        #expect(RecorderImport.locators(for: "xpath///button[1]") == [["xpath": "//button[1]"]])
        #expect(RecorderImport.locators(for: "pierce/#save") == [["css": "#save"]])
        #expect(RecorderImport.locators(for: "#save > span") == [["css": "#save > span"]])
        #expect(RecorderImport.shadowPath(["app-root", "settings-panel", "aria/Save[role=\"button\"]"])
            == ["role": "button", "name": "Save", "within": ["css": "settings-panel", "within": ["css": "app-root"]]])
    }
}
