import Browser
import DevTools
import Flows
import JSONCore
import Testing

/// Locator kinds against real pages: each test acts through one kind and checks the page saw it.
@Suite("Locators in Chromium")
struct LocatorTests {
    @Test("label without for: the label directly before the input, and before a wrapper holding it")
    func labelWithoutFor() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"],
                ["fill": "label=Training Name", "value": "my_lora"],
                ["fill": ["role": "textbox", "name": "Trigger Word"], "value": "sks"],
            ])
            #expect(result.passed, "\(result.report)")
            #expect(try await bed.evaluate("document.getElementById('training-name').value") == "my_lora")
            #expect(try await bed.evaluate("document.getElementById('trigger').value") == "sks")
        }
    }

    @Test("label for, wrapping label, aria-labelledby, placeholder, testId, alt, title, text, css, xpath")
    func everyStrategy() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"],
                ["fill": "label=Steps", "value": "3000"],
                ["check": "label=I agree"],
                ["click": "role=button[name=\"Start Training\"]"],
                ["fill": "placeholder=Dataset Name", "value": "cats"],
                ["click": "testId=go"],
                ["expect": ["element": "alt=Ostris AI Toolkit", "state": "visible"]],
                ["click": "title=Close"],
                ["click": "text=Save all"],
                ["click": "css=.actions button >> nth=1"],
                ["click": "xpath=//button[text()='Go']"],
            ])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["agree:true", "labelledby", "go", "close", "save-all", "trash", "go"])
            #expect(try await bed.evaluate("document.getElementById('steps').value") == "3000")
            #expect(try await bed.evaluate("document.getElementById('ds').value") == "cats")
        }
    }

    @Test("an icon-only button found by role with has css=svg.lucide-play")
    func iconOnlyButton() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"],
                ["click": ["role": "button", "has": "css=svg.lucide-play"]],
            ])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["play"])
        }
    }

    @Test("within scopes, nth picks from the end, first picks the first, alternatives fall through")
    func combinators() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"],
                ["click": ["role": "button", "within": "css=.actions", "nth": -1]],
                ["click": ["css": ".actions button", "first": true]],
                ["click": ["text=No Such Button", "role=button[name=\"Save\"][exact]"]],
            ])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["trash", "play", "save"])
        }
    }

    @Test("locators pierce an open shadow root")
    func shadowRoot() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/shadow"],
                ["fill": "label=Shadow Name", "value": "deep"],
                ["click": "css=button.deep"],
                ["click": "text=Shadow Button"],
            ])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["shadow-click:deep", "shadow-click:deep"])
        }
    }

    @Test("frame targets a same-origin iframe's document, clicks land inside it")
    func sameOriginFrame() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/frame"],
                ["fill": ["label": "Query", "frame": "css=#inner-frame"], "value": "lora"],
                ["click": ["role": "button", "name": "Search", "frame": "css=#inner-frame"]],
            ])
            #expect(result.passed, "\(result.report)")
            #expect(try await bed.evaluate("document.getElementById('inner-frame').contentWindow.events") == ["inner:lora"])
        }
    }

    @Test("frame targets a cross-origin iframe, in the page's process or out of it, through an engine inside it", arguments: [false, true])
    func crossOriginFrame(sitePerProcess: Bool) async throws {
        let launch = sitePerProcess ? LaunchOptions(extraArguments: ["--site-per-process"]) : nil
        try await TestBed.with(launch: launch) { bed in
            if sitePerProcess {
                try await bed.page.goto("\(bed.baseURL)/pages/cross-frame")
                let targets = try await CDPSession(connection: bed.page.session.connection, id: nil).send("Target.getTargets")
                #expect(targets["targetInfos"]?.arrayValue?.contains { $0["type"] == "iframe" } == true, "no out-of-process iframe")
            }
            let result = try await bed.run([
                ["goto": "/pages/cross-frame"],
                ["fill": ["label": "Query", "frame": "css=#other"], "value": "far away"],
                ["expect": ["element": ["role": "button", "name": "Search", "frame": "css=#other"], "state": "enabled"]],
                ["click": ["text": "Search", "frame": "css=#other"]],
                ["waitFor": ["text": "inner:far away"]],
            ])
            #expect(result.passed, "\(result.report)")
            try await bed.expectEvents(["inner:far away"])
        }
    }

    @Test("several matches fail strictly and list each match with tag, text, attributes and selector")
    func strictModeViolation() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([["goto": "/pages/controls"], ["click": "css=.actions button"]])
            let failure = try #require(result.failures.first)
            #expect(failure.message.contains("strict mode violation: css=.actions button matches 2 elements"))
            #expect(failure.message.contains(#"<button class="icon"> containing <svg class="lucide lucide-play">"#))
            #expect(failure.message.contains("div.actions:nth-of-type(3) > button.icon:nth-of-type(2)"))
            #expect(failure.message.contains("\"nth\", \"first\""))
            #expect(failure.step == 2)
        }
    }

    @Test("zero matches fail after the timeout listing the closest candidates by text")
    func zeroMatchesWithCandidates() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([["goto": "/pages/controls"], ["click": "role=button[name=\"Sav\"][exact]", "timeout": 300]])
            let failure = try #require(result.failures.first)
            #expect(failure.message.contains("timed out after"))
            let found = failure.found.joined(separator: "\n")
            #expect(found.contains("zero matches for role=button \"Sav\""))
            #expect(found.contains("closest candidates by text"))
            #expect(failure.found.dropFirst().first?.contains("\"Save\"") == true, "\(found)")
        }
    }

    @Test("role names: aria-label, alt, content, wrapping label, label without for, label for, placeholder, aria-labelledby")
    func accessibleNames() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/controls"],
                ["expect": ["element": "role=switch[name=\"Low VRAM\"]", "state": "unchecked"]],
                ["expect": ["element": "role=img[name=\"Ostris AI Toolkit\"]"]],
                ["expect": ["element": "role=heading[name=\"Controls\"]"]],
                ["expect": ["element": "role=link[name=\"Open job 123\"]"]],
                ["expect": ["element": "role=combobox", "count": 1]],
                ["expect": ["element": "role=checkbox[name=\"I agree\"]", "state": "unchecked"]],
                ["expect": ["element": "role=textbox[name=\"Training Name\"]"]],
                ["expect": ["element": "role=spinbutton[name=\"Steps\"]"]],
                ["expect": ["element": "role=textbox[name=\"Dataset Name\"]"]],
                ["expect": ["element": "role=button[name=\"Start Training\"]"]],
            ])
            #expect(result.passed, "\(result.report)")
        }
    }
}
