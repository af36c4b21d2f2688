import Browser
import Flows
import Foundation
import JSONCore
import Testing

/// Every action kind against fixture pages, through trusted input.
@Suite("Actions in Chromium")
struct ActionTests {
    @Test("type key by key into a React-style controlled input updates its state with trusted events")
    func typeIntoControlledInput() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/react"],
                ["type": "label=Job Name", "value": "Hi!"],
            ])
            #expect(result.passed, "\(result.report)")
            #expect(try await bed.evaluate("document.getElementById('mirror').textContent") == "Hi!")
            let events = try await bed.events { $0.contains("key:!") }
            #expect(events.contains("key:H") && events.contains("key:!") && !events.contains { $0.hasSuffix(":untrusted") })
        }
    }

    @Test("fill replaces the value of a controlled input and the page state follows")
    func fillControlledInput() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/react"],
                ["type": "label=Job Name", "value": "old value"],
                ["fill": "label=Job Name", "value": "new"],
            ])
            #expect(result.passed, "\(result.report)")
            #expect(try await bed.evaluate("document.getElementById('mirror').textContent") == "new")
        }
    }

    @Test("press Control+A then Backspace clears the input; Enter arrives, Shift+Tab moves the focus away")
    func pressChords() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/react"],
                ["type": "label=Job Name", "value": "abc"],
                ["press": "Control+A", "target": "label=Job Name"],
                ["press": "Backspace"],
                ["press": "Enter"],
                ["press": "Shift+Tab"],
            ])
            #expect(result.passed, "\(result.report)")
            #expect(try await bed.evaluate("document.getElementById('mirror').textContent") == "")
            let events = try await bed.events { $0.contains("key:Enter") }
            #expect(events.contains("key:a+ctrl") && events.contains("key:Backspace") && events.contains("key:Enter"), "\(events)")
            #expect(try await bed.evaluate("document.activeElement.id") != "controlled")
        }
    }

    @Test("fill on a native select chooses the option by value or label, as a Recorder change step does")
    func fillNativeSelect() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"],
                ["fill": "css=#native", "value": "b"],
                ["fill": "css=#native", "value": "Alpha"],
            ])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["select:b", "select:a"])
            let missing = try await bed.run([["fill": "css=#native", "value": "Gamma"]])
            #expect(missing.failures.first?.message.hasPrefix(#"no option "Gamma" in <select id="native">"#) == true, "\(missing.report)")
        }
    }

    @Test("click waits for a button that is enabled only after a delay")
    func delayedEnable() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([["goto": "/pages/delayed"], ["click": "role=button[name=\"Start Training\"]"]])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["late"])
        }
    }

    @Test("click waits until a moving element is stable")
    func movingElement() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([["goto": "/pages/moving"], ["click": "text=Moving"]])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["caught"])
        }
    }

    @Test("a click whose press would land on another element (the target left after the last check) is held back and retried")
    func clickThatWouldMissIsRetried() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([["goto": "/pages/jumping"], ["click": "role=button[name=\"Jumper\"]"]])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["caught"])
        }
    }

    @Test("click with the right or middle button, and with modifier keys held")
    func buttonsAndModifiers() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/buttons"],
                ["click": "text=Target"],
                ["click": "text=Target", "modifiers": ["Shift", "Control"]],
                ["click": "text=Target", "button": "right"],
                ["click": "text=Target", "button": "middle", "modifiers": "Alt"],
            ])
            #expect(result.passed, "\(result.report)")
            // A right click is a contextmenu and, as every non-primary button, an auxclick.
            try await bed.expectEvents(["click:0000", "click:1100", "contextmenu", "auxclick:2", "auxclick:1"])
            do {
                _ = try await bed.run([["click": "text=Target", "button": "back"]])
                Issue.record("a click with the back button loaded")
            } catch {
                #expect("\(error)".contains("step 1: 'back' is not one of left, right, middle"), "\(error)")
            }
        }
    }

    @Test("a step reports when its waiting ended and its input went out; --screenshots keeps the page after each passed step")
    func readyTimesAndStepScreenshots() async throws {
        try await TestBed.with { bed in
            let observer = ReadyRecorder()
            let flow = try FlowLoader.decode(
                ["name": "shots", "steps": [["goto": "/pages/delayed"], ["click": "role=button[name=\"Start Training\"]"], ["waitFor": ["text": "Moving"], "timeout": 300, "optional": true]]],
                file: bed.output.appendingPathComponent("shots.flow.json"))
            let runner = FlowRunner(
                page: bed.page, baseURL: bed.baseURL, outputFolder: bed.output, options: FlowRunOptions(stepScreenshots: true), observer: observer)
            let result = await runner.run([flow])
            #expect(result.passed, "\(result.report)")
            // The click waited for its button to be enabled, then acted; the goto and the wait never do.
            #expect(await observer.ready == [2])
            let shots = (try? FileManager.default.contentsOfDirectory(atPath: bed.output.appendingPathComponent("steps").path).sorted()) ?? []
            #expect(shots == ["shots-step1.png", "shots-step2.png"], "a picture per passed step, none for the skipped one")
        }
    }

    @Test("a failure in a window narrower than the default says so (a real UI renames or hides elements below its breakpoints)")
    func narrowWindowIsNamedInTheFailure() async throws {
        try await TestBed.with { bed in
            let narrow = try await bed.run([
                ["goto": "/pages/controls"], ["setViewport": ["width": 600, "height": 400]], ["click": "text=No such button", "timeout": 300],
            ])
            let found = try #require(narrow.failures.first).found.joined(separator: "\n")
            #expect(found.contains("the window is 600x400 CSS pixels, narrower than the default 1280x720"), "\(found)")
            let wide = try await bed.run([
                ["goto": "/pages/controls"], ["setViewport": ["width": 1280, "height": 720]], ["click": "text=No such button", "timeout": 300],
            ])
            #expect(try #require(wide.failures.first).found.allSatisfy { !$0.contains("the window is") })
        }
    }

    @Test("an element covered by an overlay fails naming the overlay that would get the click")
    func coveredByOverlay() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([["goto": "/pages/overlay"], ["click": "text=Covered", "timeout": 400]])
            let failure = try #require(result.failures.first)
            #expect(failure.message.contains(#"<div class="overlay">"#), "\(failure)")
            #expect(failure.message.contains("would receive the click"))
            #expect(try await bed.events().isEmpty)
        }
    }

    @Test("dblclick and hover send trusted mouse events")
    func dblclickAndHover() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"], ["dblclick": "testId=go"], ["hover": "text=Hover me"],
            ])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["go", "go", "dbl", "hover"])
        }
    }

    @Test("select picks a native option by label and by value, firing change")
    func nativeSelect() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"],
                ["select": "role=combobox", "option": "Beta"],
                ["select": "css=#native", "option": "a"],
            ])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["select:b", "select:a"])
        }
    }

    @Test("select on a custom dropdown (by the control, or by the label before its nested combobox) clicks it, then the option it renders in a portal")
    func customDropdown() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/dropdown"],
                ["select": "css=.aitk-react-select__control", "option": "dogs"],
                ["expect": ["element": "css=.menu", "state": "detached"]],
                ["select": "label=Dataset", "option": "dogs and cats"],
            ])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["chose:dogs", "chose:dogs and cats"])
        }
    }

    @Test("check and uncheck a checkbox and a role=switch with aria-checked; checking twice is a no-op")
    func checkAndSwitch() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"],
                ["check": "role=checkbox[name=\"I agree\"]"],
                ["check": "role=checkbox[name=\"I agree\"]"],
                ["uncheck": "label=I agree"],
                ["check": "role=switch[name=\"Low VRAM\"]"],
                ["expect": ["element": "role=switch[name=\"Low VRAM\"]", "state": "checked"]],
                ["uncheck": "role=switch[name=\"Low VRAM\"]"],
                ["expect": ["element": "role=switch[name=\"Low VRAM\"]", "state": "unchecked"]],
            ])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["agree:true", "agree:false"])
        }
    }

    @Test("check waits for a page that checks the box seconds after the click, and fails naming the click when it never does")
    func checkVerifiesItsEffect() async throws {
        try await TestBed.with { bed in
            let late = try await bed.run([["goto": "/pages/late-check"], ["check": "label=Checked later"]])
            #expect(late.passed, "\(late.report)")
            try await bed.expectEvents(["late:true"])
            let never = try await bed.run([["check": "label=Never checked", "timeout": 3000]])
            let failure = try #require(never.failures.first)
            #expect(failure.message.contains("did not check it"), "\(failure.message)")
        }
    }

    @Test("check clicks the visible label of a hidden, styled checkbox")
    func hiddenCheckboxViaLabel() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([["goto": "/pages/controls"], ["check": "label=Use EMA"], ["expect": ["element": "css=#styled", "state": "checked"]]])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["styled:true"])
        }
    }

    @Test("a confirm dialog is accepted so the page and the next steps go on")
    func dialogAccepted() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([["goto": "/pages/controls"], ["click": "text=Ask"], ["click": "text=Save all"]])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["confirm:true", "save-all"])
        }
    }

    @Test("with DialogPolicy.leave the runner leaves the dialog to the caller, who dismisses it: the page sees the dismissal")
    func dialogLeftToTheCallerWhenThePolicySaysSo() async throws {
        try await TestBed.with(launch: LaunchOptions(dialogs: .leave)) { bed in
            let session = bed.page.session
            let opened = session.events(["Page.javascriptDialogOpening"])
            // The caller's own answer; had the runner accepted first, the page would log confirm:true.
            let caller = Task {
                for await _ in opened {
                    _ = try? await session.send("Page.handleJavaScriptDialog", ["accept": false])
                    return true
                }
                return false
            }
            let result = try await bed.run([["goto": "/pages/controls"], ["click": "text=Ask"], ["click": "text=Save all"]])
            #expect(result.passed, "\(result.report)")
            #expect(await caller.value)
            try await bed.expectEvents(["confirm:false", "save-all"])
        }
    }

    @Test("a step whose when does not hold is skipped; type honours delay; a throwing evaluate fails with its message")
    func stepWhenDelayAndEvaluateError() async throws {
        try await TestBed.with { bed in
            let started = ContinuousClock.now
            let result = try await bed.run(
                [
                    ["goto": "/pages/react"],
                    ["click": "text=Nope", "when": ["var": "mode", "equals": "full"]],
                    ["type": "label=Job Name", "value": "abcd", "delay": 60],
                    ["evaluate": "throw new Error('boom from the page')"],
                ], variables: ["mode": "quick"])
            let failure = try #require(result.failures.first)
            #expect(failure.step == 4 && failure.message.contains("boom from the page"), "\(failure)")
            #expect(result.flows[0].steps.map(\.status) == [.passed, .skipped, .passed, .failed])
            #expect(ContinuousClock.now - started > .milliseconds(240))
            #expect(try await bed.evaluate("document.getElementById('mirror').textContent") == "abcd")
        }
    }

    @Test("upload sets files from a glob relative to the flow file on a hidden input inside a dropzone")
    func uploadHiddenInput() async throws {
        try await TestBed.with { bed in
            let fixtures = bed.output.appendingPathComponent("fixtures")
            try FileManager.default.createDirectory(at: fixtures, withIntermediateDirectories: true)
            try Data(repeating: 1, count: 3).write(to: fixtures.appendingPathComponent("a.png"))
            try Data(repeating: 2, count: 5).write(to: fixtures.appendingPathComponent("b.png"))
            try Data().write(to: fixtures.appendingPathComponent("notes.txt"))
            let result = try await bed.run([["goto": "/pages/upload"], ["upload": "css=.dropzone", "files": "fixtures/*.png"]])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["files:a.png/3,b.png/5"])
        }
    }

    @Test("upload fails naming the pattern when no file matches")
    func uploadMissingFiles() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([["goto": "/pages/upload"], ["upload": "#files", "files": ["fixtures/*.jpg"]]])
            let failure = try #require(result.failures.first)
            #expect(failure.message.contains("no file matches `fixtures/*.jpg`"))
        }
    }

    @Test("save from an element's text and attribute and from the URL, then use them in later steps")
    func saveAndInterpolate() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"],
                ["save": "status", "from": ["element": "css=#status b"]],
                ["save": "href", "from": ["element": "text=Open job 123", "attribute": "href"]],
                ["click": "text=Open job 123"],
                ["waitFor": ["url": "**/pages/jobs/*"]],
                ["save": "job", "from": ["url": ["segment": -1]]],
                ["save": "tab", "from": ["url": ["regex": "tab=([a-z]+)"]]],
                ["expect": ["text": "Job ${vars.job}"]],
                ["evaluate": "document.title + ':' + '${vars.status}'", "save": "title"],
            ])
            #expect(result.passed, "\(result.report)")
            #expect(result.variables["status"] == "idle")
            #expect(result.variables["href"] == "/pages/jobs/123?tab=overview")
            #expect(result.variables["job"] == "123")
            #expect(result.variables["tab"] == "overview")
            #expect(result.variables["title"] == "Job:idle")
        }
    }

    @Test("waitFor element states and counts, and text")
    func elementConditions() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/delayed"],
                ["waitFor": ["element": "css=.done", "state": "visible"]],
                ["waitFor": ["text": "Ready now"]],
                ["waitFor": ["element": "role=button[name=\"Start Training\"]", "state": "enabled"]],
                ["expect": ["element": "css=button", "count": 1]],
                ["expect": ["element": "css=.missing", "state": "detached"]],
                ["expect": ["element": "css=.missing", "state": "hidden"]],
            ])
            #expect(result.passed, "\(result.report)")
        }
    }

    @Test("waitFor text finds text inside a same-origin iframe, and not inside a hidden one")
    func textInsideFrames() async throws {
        try await TestBed.with { bed in
            let found = try await bed.run([
                ["goto": "/pages/frame"],
                ["waitFor": ["text": "Search"]],
            ])
            #expect(found.passed, "\(found.report)")
            _ = try await bed.evaluate("document.getElementById('inner-frame').style.display = 'none'")
            let hidden = try await bed.run([["expect": ["text": "Search"], "timeout": 300]])
            #expect(!hidden.passed, "text in a hidden iframe counted as shown")
        }
    }

    @Test("expect fails with what it saw when the condition never holds")
    func expectFails() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"],
                ["expect": ["element": "css=button.icon", "count": 3], "timeout": 200],
            ])
            let failure = try #require(result.failures.first)
            #expect(failure.message.hasPrefix("expected css=button.icon count=3 attached within"), "\(failure.message)")
            #expect(failure.message.contains("2 attached element(s) match (wanted 3)"))
        }
    }

    @Test("screenshot writes a PNG into the output folder; setViewport changes the window size")
    func screenshotAndViewport() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"],
                ["setViewport": ["width": 640, "height": 480]],
                ["screenshot": "shots/controls", "fullPage": true],
            ])
            #expect(result.passed, "\(result.report)")
            #expect(try await bed.evaluate("innerWidth + 'x' + innerHeight") == "640x480")
            let png = try Data(contentsOf: bed.output.appendingPathComponent("shots/controls.png"))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }

    @Test("download clicks, waits for the file and saves its path")
    func download() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([["goto": "/pages/network"], ["download": "text=Report", "save": "report"]])
            #expect(result.passed, "\(result.report)")
            let path = try #require(result.variables["report"])
            #expect(path.hasSuffix("downloads/report.csv"))
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "a,b\n1,2\n")
        }
    }

    @Test("download from a link with target=_blank: the paused new tab is resumed and the file arrives")
    func downloadInNewTab() async throws {
        try await TestBed.with { bed in
            // Left paused, the tab would hold the download until its setup command gives up (60 s), far
            // past the step's timeout: the step passing is what shows the tab was resumed.
            let result = try await bed.run([["goto": "/pages/network"], ["download": "text=Report in a new tab", "save": "report"]])
            #expect(result.passed, "\(result.report)")
            let path = try #require(result.variables["report"])
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "a,b\n1,2\n")
        }
    }
}

@Suite("Navigation during steps")
struct NavigationTests {
    @Test("a step right after a navigating click finds its element in the new document")
    func stepAfterNavigation() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"],
                ["click": "text=Open job 123"],
                ["expect": ["element": "role=heading[name=\"Job 123\"]"]],
                ["goto": "/pages/controls"],
                ["click": "text=Save all"],
            ])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["save-all"])
        }
    }
}

@Suite("Navigation while the engine evaluates")
struct NavigationDuringEvaluationTests {
    /// The page leaves 500 ms after the click, while the next step's wait is evaluating in the old
    /// document: the call dies with its context, and the engine carries on in the new document's world.
    @Test("a wait in flight when the page navigates continues in the next document")
    func waitAcrossNavigation() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/late-navigation"],
                ["click": "text=Leave soon"],
                ["expect": ["element": "role=heading[name=\"Job 456\"]"]],
                ["goto": "/pages/late-navigation"],
                ["click": "text=Leave soon"],
                ["waitFor": ["text": "Job 456"]],
                ["click": "role=heading[name=\"Job 456\"]"],
            ])
            #expect(result.passed, "\(result.report)")
        }
    }
}

actor ReadyRecorder: FlowRunObserver {
    private(set) var ready: [Int] = []
    func stepWillStart(_ step: StepContext) async {}
    func stepDidFinish(_ step: StepContext, error: (any Error)?) async {}
    func stepIsReady(_ step: StepContext) async { ready.append(step.index) }
}
