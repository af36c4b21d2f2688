import Browser
import DevTools
import Foundation
import JSONCore

#if canImport(Glibc)
import Glibc
import Durations
#endif

/// Where a trusted click lands, in top-level page coordinates.
struct ActionPoint {
    let x: Double
    let y: Double
    let description: String
}

/// The checks the engine runs before an action (Playwright's actionability).
enum Checks {
    static let pointer = ["visible", "enabled", "stable", "hit"]
    static let hover = ["visible", "stable", "hit"]
    static let editable = ["visible", "enabled", "editable"]
    static let visible = ["visible"]
    static let attached: [String] = []
}

extension FlowRunner {
    func perform(_ action: Action, step: Step, file: Flow) async throws {
        let deadline = Deadline(after: step.timeout ?? options.timeout)
        switch action {
        case .waitFor, .expect, .save, .screenshot, .include: break
        default: actionMark = network.mark
        }
        switch action {
        case .goto(let target):
            try await page.goto(absoluteURL(target), timeout: step.timeout ?? options.navigationTimeout)
        case .click(let locator, let position, let press):
            try await click(locator, at: position, press: press, clickCount: 1, until: deadline)
        case .dblclick(let locator, let position, let press):
            try await click(locator, at: position, press: press, clickCount: 2, until: deadline)
        case .hover(let locator, let position):
            let point = try await waitActionable(locator, Checks.hover, at: position, until: deadline)
            try await mouse.move(x: point.x, y: point.y)
        case .fill(let locator, let value):
            _ = try await waitActionable(locator, Checks.editable, until: deadline)
            // A Recorder `change` on a native <select> arrives as a fill with the option's value.
            let target = try await route(locator)
            if try await target.engine.call(.isNativeSelect, target.locator).boolValue == true {
                let result = try await target.engine.call(.selectNative, target.locator, .string(value))
                if let error = result["error"]?.stringValue { throw StepError(message: error) }
                break
            }
            try await focus(locator, selectAll: true)
            if value.isEmpty {
                try await keyboard.press("Delete")
            } else {
                try await keyboard.insertText(value)
            }
        case .type(let locator, let value, let delay):
            _ = try await waitActionable(locator, Checks.editable, until: deadline)
            try await focus(locator, selectAll: false)
            try await keyboard.type(value, delay: delay.map { .milliseconds($0) })
        case .press(let key, let target):
            if let target {
                _ = try await waitActionable(target, Checks.visible, until: deadline)
                try await focus(target, selectAll: false)
            }
            try await keyboard.press(key)
        case .select(let locator, let option):
            try await select(option, in: locator, until: deadline)
        case .check(let locator):
            try await setChecked(locator, to: true, until: deadline)
        case .uncheck(let locator):
            try await setChecked(locator, to: false, until: deadline)
        case .upload(let locator, let patterns):
            try await upload(patterns, to: locator, flowFile: file.file, until: deadline)
        case .waitFor(let condition):
            try await satisfy(condition, until: deadline, asserting: false)
        case .expect(let condition):
            try await satisfy(condition, until: deadline, asserting: true)
        case .save(let variable, let source):
            variables[variable] = try await value(of: source, until: deadline)
        case .evaluate(let script, let save):
            let value: JSON
            do {
                value = try await page.evaluate(script)
            } catch let error as JavaScriptError {
                throw StepError(message: "the script threw: \(error.message)")
            }
            if let save { variables[save] = value.plainText }
        case .screenshot(let name, let fullPage):
            // Redacted first: a secret interpolated into a name must not reach the file system.
            let safe: String
            do {
                safe = try OutputFileName.screenshot(redactor.redact(name))
            } catch {
                throw StepError(message: error.message)
            }
            let target = outputFolder.appendingPathComponent(safe)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try await page.screenshot(fullPage: fullPage).write(to: target)
        case .download(let locator, let save):
            let path = try await download(by: locator, until: deadline)
            if let save { variables[save] = path }
        case .setViewport(let viewport):
            try await viewport.apply(to: page.session)
        case .include:
            break
        }
    }

    func absoluteURL(_ target: String) -> String {
        if target.contains("://") || target.hasPrefix("about:") || target.hasPrefix("data:") { return target }
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        return base + (target.hasPrefix("/") ? target : "/" + target)
    }

    // MARK: Auto-waiting

    /// Polls the engine (which checks every animation frame) until the element passes `checks` or the
    /// deadline; the timeout error says what was awaited, what was seen last, and what the page has instead.
    /// `position` moves the point (and its hit test) from the element's centre to that offset from its corner.
    func waitActionable(
        _ locator: Locator, _ checks: [String], at position: PointerPosition? = nil, until deadline: Deadline
    ) async throws -> ActionPoint {
        let positionJSON: JSON = position.map { ["x": .number($0.x), "y": .number($0.y)] } ?? .null
        var lastReason = "the page did not answer"
        let started = ContinuousClock.now
        // At least one look, even when earlier parts of the step used up its time: a ready element is
        // acted on, and a timeout reports what the page showed rather than that it was never asked.
        repeat {
            let slice = deadline.remaining(atMost: .milliseconds(1000))
            let target = try await route(locator)
            let result = try await target.engine.call(
                .actionable, target.locator, .array(checks.map { .string($0) }), .integer(Self.milliseconds(slice)), positionJSON)
            switch result["status"]?.stringValue {
            case "ready":
                let point = ActionPoint(
                    x: (result["x"]?.doubleValue ?? 0) + target.offsetX, y: (result["y"]?.doubleValue ?? 0) + target.offsetY,
                    description: result["description"]?.stringValue ?? "")
                if let frame = target.frame, checks.contains("hit"),
                    let blocker = try await engine.call(.frameObstruction, frame.engineJSON, .number(point.x), .number(point.y)).stringValue
                {
                    lastReason = "\(blocker) would receive the click instead of \(point.description)"
                    try await Task.sleep(for: .milliseconds(50))
                    continue
                }
                await reportReady()
                return point
            case "error":
                throw StepError(message: result["message"]?.stringValue ?? "locator error")
            default:
                lastReason = result["reason"]?.stringValue ?? lastReason
            }
        } while !deadline.hasPassed
        let named = checks.filter { $0 != "label" }.map { $0 == "hit" ? "receiving events" : $0 }
        let wanted = named.isEmpty ? "attached" : named.joined(separator: ", ")
        throw await timeout(
            "timed out after \(Self.seconds(.now - started)) waiting for \(locator) to be \(wanted): \(lastReason)", locator: locator)
    }

    /// Clicks once the element is actionable, guarded: when the press lands on something else (the element
    /// moved or was covered after the last check), the page saw none of it and the runner looks again until
    /// the deadline. A click no pointer event of which reached the element's frame (the page navigated, or a
    /// listener of its own stopped it first) counts as done: clicking again could click twice.
    func click(
        _ locator: Locator, at position: PointerPosition?, press: PointerPress, clickCount: Int, until deadline: Deadline
    ) async throws {
        let started = ContinuousClock.now
        var landed = "something else"
        repeat {
            let point = try await waitActionable(locator, Checks.pointer, at: position, until: deadline)
            let target = try await route(locator)
            let armed = (try? await target.engine.call(.armHitGuard))?.boolValue == true
            try await mouse.click(x: point.x, y: point.y, clickCount: clickCount, press: press)
            guard armed, let verdict = try? await target.engine.call(.disarmHitGuard), verdict["verdict"]?.stringValue == "missed" else {
                return
            }
            landed = verdict["landed"]?.stringValue ?? landed
            try await Task.sleep(for: .milliseconds(50))
        } while !deadline.hasPassed
        throw await timeout(
            "timed out after \(Self.seconds(.now - started)) clicking \(locator): the click landed on \(landed) instead", locator: locator)
    }

    /// A timeout error with what the locator finds now: several matches, one, or the closest candidates.
    func timeout(_ message: String, locator: Locator) async -> StepError {
        guard let target = try? await route(locator), let explanation = try? await target.engine.call(.explain, target.locator) else {
            return StepError(message: message)
        }
        let count = explanation["count"]?.intValue ?? 0
        if count == 0 {
            let candidates = explanation["candidates"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let head = "zero matches for \(locator)" + (explanation["pending"]?.stringValue.map { " (\($0))" } ?? "")
            return StepError(message: message, found: [candidates.isEmpty ? head + "; no similar elements" : head + "; closest candidates by text:"] + candidates.map { "  \($0)" })
        }
        let matches = explanation["matches"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return StepError(message: message, found: ["\(count) match\(count == 1 ? "" : "es"):"] + matches.map { "  \($0)" })
    }

    func focus(_ locator: Locator, selectAll: Bool) async throws {
        let target = try await route(locator)
        let focused = try await target.engine.call(selectAll ? .focus : .focusOnly, target.locator)
        if focused.boolValue == false { throw StepError(message: "\(locator) did not take the focus") }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.inMilliseconds)
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f s", Double(milliseconds(duration)) / 1000)
    }

    // MARK: select, check, upload, download

    func select(_ option: SelectOption, in locator: Locator, until deadline: Deadline) async throws {
        _ = try await waitActionable(locator, ["visible", "enabled"], until: deadline)
        let target = try await route(locator)
        if try await target.engine.call(.isNativeSelect, target.locator).boolValue == true {
            guard case .text(let wanted) = option else {
                throw StepError(message: "\(locator) is a native <select>: give the option's label or value as a string")
            }
            let result = try await target.engine.call(.selectNative, target.locator, .string(wanted))
            if let error = result["error"]?.stringValue { throw StepError(message: error) }
            return
        }
        // A custom dropdown: open it, then click the option, which menus often render elsewhere (a portal).
        let control = try await waitActionable(locator, Checks.pointer, until: deadline)
        try await mouse.click(x: control.x, y: control.y)
        let optionLocator: Locator
        switch option {
        case .locator(let given): optionLocator = given
        case .text(let text):
            optionLocator = .alternatives([
                .single(LocatorQuery(.role("option", name: text), exact: true)),
                .single(LocatorQuery(.role("option", name: text))),
                .single(LocatorQuery(.text(text), exact: true)),
            ])
        }
        // The menu is the effect of that click: it gets the grace period a loaded page may need to render it.
        let point = try await waitActionable(optionLocator, Checks.pointer, until: Self.effectDeadline(after: deadline))
        try await mouse.click(x: point.x, y: point.y)
    }

    /// How long an action's effect may take to show once the action was sent, even when waiting for the
    /// element used up the step's time: the action happened, and only its outcome is still unknown.
    static let effectGrace = Duration.seconds(5)
    /// The effect's wait never runs past the step's own deadline (`StepDeadline.grace`), so the step
    /// fails with what it saw rather than with the deadline.
    static let effectOverrun = Duration.seconds(2)

    static func effectDeadline(after deadline: Deadline) -> Deadline {
        min(max(deadline, Deadline(after: effectGrace)), deadline + effectOverrun)
    }

    func setChecked(_ locator: Locator, to wanted: Bool, until deadline: Deadline) async throws {
        _ = try await waitActionable(locator, Checks.attached, until: deadline)
        let target = try await route(locator)
        let current = try await target.engine.call(.isChecked, target.locator)
        guard let isChecked = current.boolValue else {
            throw StepError(message: "\(locator) has no checked state (not a checkbox, radio, or element with aria-checked)")
        }
        if isChecked == wanted { return }
        // The element itself, for reading its state afterwards: a locator with a state filter
        // (`role=checkbox[checked=false]`) no longer finds it once the click changed that state.
        let handle = try await target.engine.callForObject(.resolveElement, target.locator)
        defer { Task { await target.engine.release(handle) } }
        let point = try await waitActionable(locator, Checks.pointer + ["label"], until: deadline)
        try await mouse.click(x: point.x, y: point.y)
        // The reply to the click does not mean the page has run its handlers (a loaded renderer may be
        // seconds behind), so poll the state for the rest of the step, and for a grace period at least.
        let settle = Self.effectDeadline(after: deadline)
        repeat {
            var state = (try? await target.engine.call(.checkedStateOf, on: handle)) ?? .null
            // A re-render may have replaced the element: ask the locator instead.
            if state == .null { state = (try? await target.engine.call(.isChecked, target.locator)) ?? .null }
            if state.boolValue == wanted { return }
            try await Task.sleep(for: .milliseconds(20))
        } while !settle.hasPassed
        throw StepError(message: "clicking \(point.description) did not \(wanted ? "check" : "uncheck") it")
    }

    func upload(_ patterns: [String], to locator: Locator, flowFile: URL?, until deadline: Deadline) async throws {
        var files: [String] = []
        for pattern in patterns {
            let matches = Self.glob(FlowLoader.resolve(pattern, relativeTo: flowFile).path)
            if matches.isEmpty {
                throw StepError(message: "no file matches `\(pattern)` (looked in \(FlowLoader.resolve(pattern, relativeTo: flowFile).deletingLastPathComponent().path))")
            }
            files += matches
        }
        _ = try await waitActionable(locator, Checks.attached, until: deadline)
        let target = try await route(locator)
        let input = try await target.engine.callForObject(.fileInput, target.locator)
        defer { Task { await target.engine.release(input) } }
        _ = try await target.engine.session.send("DOM.setFileInputFiles", ["files": .array(files.map { .string($0) }), "objectId": .string(input)])
    }

    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in result.gl_pathv[index].map { String(cString: $0) } }.sorted()
    }

    /// Clicks, then waits for the browser to finish the download it started; returns the saved path.
    func download(by locator: Locator, until deadline: Deadline) async throws -> String {
        let downloads = try await prepareDownloads()
        let folder = downloads.url
        let subscription = await page.browser.network.subscribe()
        defer { subscription.cancel() }
        let events = subscription.events
        let point = try await waitActionable(locator, Checks.pointer, until: deadline)
        try await mouse.click(x: point.x, y: point.y)
        let waited = Self.effectDeadline(after: deadline).remaining
        let outcome: (guid: String, name: String, state: String)? = try await withThrowingTaskGroup(of: (String, String, String)?.self) { group in
            group.addTask { [page] in
                var names: [String: String] = [:]
                for await event in events {
                    switch event {
                    case .downloadBegin(let download):
                        // The browser reports every context's downloads: another run's may start meanwhile.
                        guard let frame = download.frameId, await page.contextHoldsFrame(frame) else { continue }
                        names[download.guid] = download.suggestedFilename
                    case .downloadProgress(let guid, let state, _, _):
                        if let name = names[guid], state != "inProgress" { return (guid, name, state) }
                    default: continue
                    }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: max(waited, .milliseconds(1)))
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let outcome else {
            throw StepError(message: "clicking \(point.description) started no download that completed within \(Self.seconds(waited))")
        }
        guard outcome.state == "completed" else { throw StepError(message: "the download of \(outcome.name) was \(outcome.state)") }
        let saved = folder.appendingPathComponent(outcome.guid)
        // On a loaded machine the completion event can come a moment before the file has its final name.
        let settle = Deadline(after: .seconds(5))
        while !FileManager.default.fileExists(atPath: saved.path) {
            guard !settle.hasPassed else {
                throw StepError(message: "the download of \(outcome.name) completed, but no file appeared at \(saved.path) within 5 s")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // The file is ours to name only when the runner set the download behaviour itself (a capture
        // that set it names and hashes the file).
        guard downloads.setByCaller else { return saved.path }
        // The server names the file: only its last component counts, and never `..`.
        let suggested = redactor.redact(String(outcome.name.split(separator: "/").last ?? ""))
        let name = suggested.isEmpty || suggested.hasPrefix(".") ? outcome.guid : suggested
        var target = folder.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: target.path) { target = folder.appendingPathComponent("\(outcome.guid)-\(name)") }
        do {
            try FileManager.default.moveItem(at: saved, to: target)
            return target.path
        } catch {
            return saved.path
        }
    }

    /// The page's context's downloads folder: `<output>/downloads` unless someone (a capture) chose one first.
    private func prepareDownloads() async throws -> DownloadsFolder {
        if let downloadsFolder { return downloadsFolder }
        let folder = try await page.browser.configureDownloads(
            into: outputFolder.appendingPathComponent("downloads"), browserContextId: page.target.browserContextId)
        downloadsFolder = folder
        return folder
    }
}
