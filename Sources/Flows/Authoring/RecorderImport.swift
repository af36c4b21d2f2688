import Foundation
import JSONCore

/// Why a Chrome DevTools Recorder export could not be converted: every step that has no equivalent,
/// by number, so nothing is dropped in silence.
public struct RecorderImportError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable, Hashable {
        /// 0-based index in the recording's `steps`; nil for the recording as a whole.
        public let stepIndex: Int?
        public let message: String
    }

    public let file: String
    public let problems: [Problem]

    public var description: String {
        problems.map { problem in
            let place = problem.stepIndex.map { "step \($0 + 1) (steps[\($0)])" } ?? "recording"
            return "\(file): error: \(place): \(problem.message)"
        }.joined(separator: "\n")
    }
}

/// Chrome DevTools Recorder exports (`{title, timeout?, selectorAttribute?, steps: [{type, ...}]}`)
/// converted into the flow format, so a flow recorded by clicking through Chrome runs like a hand-written one.
public enum RecorderImport {
    public static func isRecording(_ json: JSON) -> Bool {
        guard json["title"]?.stringValue != nil, let steps = json["steps"]?.arrayValue else { return false }
        return steps.allSatisfy { $0["type"]?.stringValue != nil }
    }

    public static func convert(_ json: JSON, file: String) throws(RecorderImportError) -> JSON {
        var converter = RecorderConverter(recording: json)
        converter.run()
        if !converter.problems.isEmpty { throw RecorderImportError(file: file, problems: converter.problems) }
        let title = json["title"]?.stringValue ?? "recording"
        return [
            "name": .string(slug(title)),
            "description": .string("Imported from a Chrome DevTools Recorder export: \(title)"),
            "steps": .array(converter.steps),
        ]
    }

    /// `validate` on a recording: the steps that would not convert, at their place in the file, and
    /// anything the converted flow has that `run` would not load.
    static func diagnose(_ document: PositionedJSON, file: String) -> [FlowDiagnostic] {
        do throws(RecorderImportError) {
            let converted = try convert(document.value, file: file)
            do {
                _ = try FlowLoader.decode(converted, file: URL(fileURLWithPath: file))
                return []
            } catch {
                return [FlowDiagnostic(file: file, at: document.position(of: ""), .error, "the converted flow does not load: \(error)")]
            }
        } catch {
            return error.problems.map { problem in
                let pointer = problem.stepIndex.map { "/steps/\($0)/type" } ?? ""
                return FlowDiagnostic(file: file, at: document.position(of: pointer), .error, problem.message)
            }
        }
    }

    /// The locator alternatives one Recorder selector string stands for.
    static func locators(for selector: String) -> [JSON] { RecorderConverter.locators(for: selector) }

    /// A Recorder selector path through shadow roots as one locator.
    static func shadowPath(_ path: [String]) -> JSON { RecorderConverter.shadowPath(path) }

    static func slug(_ title: String) -> String {
        let words = title.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.isEmpty ? "recording" : words.joined(separator: "-")
    }
}

/// One pass over the Recorder steps. Keys are paired (`keyDown`/`keyUp` -> one `press`), so the
/// converter keeps the modifiers held down between steps.
private struct RecorderConverter {
    let recording: JSON
    var steps: [JSON] = []
    var problems: [RecorderImportError.Problem] = []
    private var heldModifiers: [(key: String, used: Bool)] = []
    private var keysAwaitingRelease: [String: Int] = [:]

    static let modifierKeys: Set<String> = ["Control", "Shift", "Alt", "Meta"]
    static let unsupportedTypes: [String: String] = [
        "customStep": "custom steps run code registered in the Recorder's extension, which a flow cannot see",
        "emulateNetworkConditions": "network throttling is not part of the flow format",
    ]

    init(recording: JSON) { self.recording = recording }

    mutating func run() {
        guard let recorded = recording["steps"]?.arrayValue else {
            problems.append(.init(stepIndex: nil, message: "a recording has a \"steps\" list"))
            return
        }
        for (index, step) in recorded.enumerated() {
            convert(step, index: index, isLast: index == recorded.count - 1)
        }
        for modifier in heldModifiers where !modifier.used { emit(["press": .string(modifier.key)], from: [:]) }
    }

    private mutating func problem(_ index: Int, _ message: String) {
        problems.append(.init(stepIndex: index, message: message))
    }

    private mutating func emit(_ step: [String: JSON], from recorded: [String: JSON]) {
        var step = step
        if let timeout = (recorded["timeout"] ?? recording["timeout"])?.intValue, timeout > 0 {
            step["timeout"] = .integer(timeout)
        }
        steps.append(.object(step))
    }

    private mutating func convert(_ value: JSON, index: Int, isLast: Bool) {
        guard let step = value.objectValue, let type = step["type"]?.stringValue else {
            problem(index, "a Recorder step is an object with a \"type\"")
            return
        }
        if let target = step["target"]?.stringValue, target != "main" {
            problem(index, "\(type) in another target ('\(target)', a popup or new tab) is not supported; flows drive one page")
            return
        }
        switch type {
        case "setViewport":
            var viewport: [String: JSON] = [:]
            for key in ["width", "height", "deviceScaleFactor"] { viewport[key] = step[key] }
            guard viewport["width"] != nil, viewport["height"] != nil else {
                problem(index, "setViewport needs width and height")
                return
            }
            emit(["setViewport": .object(viewport)], from: step)
        case "navigate":
            guard let url = step["url"]?.stringValue else {
                problem(index, "navigate needs a url")
                return
            }
            emit(["goto": .string(url)], from: step)
        case "click", "doubleClick", "hover":
            // The Recorder names buttons by role; flows by place, as Input.dispatchMouseEvent does.
            let buttons = ["primary": "left", "secondary": "right", "auxiliary": "middle"]
            let recorded = step["button"]?.stringValue ?? "primary"
            guard let button = buttons[recorded], type != "hover" || recorded == "primary" else {
                problem(index, "\(type) with the \(recorded) mouse button is not supported; flows click with the primary, secondary or auxiliary button")
                return
            }
            guard let locator = locator(step, index: index) else { return }
            let action = ["click": "click", "doubleClick": "dblclick", "hover": "hover"][type] ?? type
            var converted: [String: JSON] = [action: locator]
            if button != "left" { converted["button"] = .string(button) }
            if let x = step["offsetX"], let y = step["offsetY"], x.doubleValue != nil, y.doubleValue != nil {
                converted["position"] = ["x": x, "y": y]
            }
            emit(converted, from: step)
        case "change":
            guard let locator = locator(step, index: index) else { return }
            guard let value = step["value"]?.stringValue else {
                problem(index, "change needs a value")
                return
            }
            emit(["fill": locator, "value": .string(value)], from: step)
        case "keyDown": keyDown(step, index: index)
        case "keyUp": keyUp(step, index: index)
        case "scroll": scroll(step, index: index)
        case "waitForElement": waitForElement(step, index: index)
        case "waitForExpression":
            guard let expression = step["expression"]?.stringValue else {
                problem(index, "waitForExpression needs an expression")
                return
            }
            if let frame = step["frame"]?.arrayValue, !frame.isEmpty {
                problem(index, "waitForExpression inside a frame is not supported; expression conditions run in the top document")
                return
            }
            emit(["waitFor": ["expression": .string(expression)]], from: step)
        case "close":
            // The flow ends with its last step; only a close in the middle has no equivalent.
            if !isLast { problem(index, "close before the end of the recording is not supported; flows keep one page open") }
            return
        default:
            let reason = Self.unsupportedTypes[type] ?? "not a Recorder step type this importer knows"
            problem(index, "step type '\(type)' is not supported: \(reason)")
            return
        }
        assertEvents(step, index: index)
    }

    /// `assertedEvents: [{type: "navigation", url, title}]` -> wait for the URL. Titles are not checked.
    private mutating func assertEvents(_ step: [String: JSON], index: Int) {
        for event in step["assertedEvents"]?.arrayValue ?? [] {
            guard event["type"]?.stringValue == "navigation" else {
                problem(index, "asserted event of type '\(event["type"]?.stringValue ?? "?")' is not supported")
                continue
            }
            guard let url = event["url"]?.stringValue, !url.isEmpty else { continue }
            emit(["waitFor": ["url": .string(Self.urlPattern(url))]], from: step)
        }
    }

    /// A URL as a pattern of the `url` condition: literal unless it holds glob characters, then an anchored regex.
    static func urlPattern(_ url: String) -> String {
        guard url.contains(where: { "*?[]{}".contains($0) }) else { return url }
        return "/^" + NSRegularExpression.escapedPattern(for: url) + "$/"
    }

    private mutating func keyDown(_ step: [String: JSON], index: Int) {
        guard let key = step["key"]?.stringValue else {
            problem(index, "keyDown needs a key")
            return
        }
        if Self.modifierKeys.contains(key) {
            heldModifiers.append((key, false))
            return
        }
        let chord = heldModifiers.map(\.key) + [key]
        for position in heldModifiers.indices { heldModifiers[position].used = true }
        keysAwaitingRelease[key, default: 0] += 1
        emit(["press": .string(chord.joined(separator: "+"))], from: step)
    }

    private mutating func keyUp(_ step: [String: JSON], index: Int) {
        guard let key = step["key"]?.stringValue else {
            problem(index, "keyUp needs a key")
            return
        }
        if let position = heldModifiers.lastIndex(where: { $0.key == key }) {
            let modifier = heldModifiers.remove(at: position)
            if !modifier.used { emit(["press": .string(key)], from: step) }
        } else if let pending = keysAwaitingRelease[key], pending > 0 {
            keysAwaitingRelease[key] = pending - 1
        }
        // A keyUp whose keyDown came before the recording started changes nothing on the page.
    }

    private mutating func scroll(_ step: [String: JSON], index: Int) {
        let x = step["x"].flatMap { $0.doubleValue != nil ? $0.serialized() : nil } ?? "0"
        let y = step["y"].flatMap { $0.doubleValue != nil ? $0.serialized() : nil } ?? "0"
        guard let selectors = step["selectors"]?.arrayValue, !selectors.isEmpty else {
            emit(["evaluate": .string("window.scrollTo(\(x), \(y))")], from: step)
            return
        }
        for selector in selectors {
            guard let text = selector.stringValue ?? selector.arrayValue.flatMap({ $0.count == 1 ? $0[0].stringValue : nil }) else { continue }
            let literal = JSON.string
            if text.hasPrefix("xpath/") {
                let path = literal(String(text.dropFirst(6))).serialized()
                emit(["evaluate": .string("document.evaluate(\(path), document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue.scrollTo(\(x), \(y))")], from: step)
                return
            }
            if !text.hasPrefix("aria/"), !text.hasPrefix("text/") {
                let css = literal(text.hasPrefix("pierce/") ? String(text.dropFirst(7)) : text).serialized()
                emit(["evaluate": .string("document.querySelector(\(css)).scrollTo(\(x), \(y))")], from: step)
                return
            }
        }
        problem(index, "scroll inside an element needs a CSS or XPath selector among its selectors")
    }

    private mutating func waitForElement(_ step: [String: JSON], index: Int) {
        for key in ["attributes", "properties"] where step[key] != nil {
            problem(index, "waitForElement with \"\(key)\" is not supported; wait for the element, then expect its state")
            return
        }
        guard let locator = locator(step, index: index) else { return }
        var condition: [String: JSON] = ["element": locator, "state": step["visible"]?.boolValue == false ? "hidden" : "visible"]
        if let count = step["count"]?.intValue {
            condition["count"] = .integer(count)
            condition["operator"] = .string(step["operator"]?.stringValue ?? ">=")
        }
        emit(["waitFor": .object(condition)], from: step)
    }

    // MARK: Selectors

    private mutating func locator(_ step: [String: JSON], index: Int) -> JSON? {
        guard let selectors = step["selectors"]?.arrayValue, !selectors.isEmpty else {
            problem(index, "\(step["type"]?.stringValue ?? "step") needs selectors")
            return nil
        }
        var alternatives: [JSON] = []
        for selector in selectors {
            let converted: [JSON]
            switch selector {
            case .string(let text): converted = Self.locators(for: text)
            case .array(let path) where path.count == 1 && path[0].stringValue != nil:
                // The Recorder writes every selector as a path; one element means no shadow root.
                converted = Self.locators(for: path[0].stringValue ?? "")
            case .array(let path) where !path.isEmpty && path.allSatisfy({ $0.stringValue != nil }):
                converted = [Self.shadowPath(path.compactMap(\.stringValue))]
            default:
                problem(index, "a selector is a string or a list of strings (a path through shadow roots)")
                return nil
            }
            for alternative in converted where !alternatives.contains(alternative) { alternatives.append(alternative) }
        }
        if let frames = step["frame"]?.arrayValue, !frames.isEmpty {
            guard let frame = Self.frameLocator(frames.compactMap(\.intValue)) else { return nil }
            alternatives = alternatives.map { alternative in
                var object = alternative.objectValue ?? [:]
                object["frame"] = frame
                return .object(object)
            }
        }
        return alternatives.count == 1 ? alternatives[0] : .array(alternatives)
    }

    /// `aria/Name[role="button"]` names an element by role and accessible name; without a role the
    /// name may come from a label (form fields) or from the text, so both are tried.
    static func locators(for selector: String) -> [JSON] {
        if selector.hasPrefix("aria/") {
            let body = String(selector.dropFirst(5))
            if let match = body.range(of: #"\[role="[^"]*"\]$"#, options: .regularExpression) {
                let role = String(body[match].dropFirst(7).dropLast(2))
                return [["role": .string(role), "name": .string(String(body[..<match.lowerBound]))]]
            }
            return [["label": .string(body)], ["text": .string(body), "exact": true]]
        }
        if selector.hasPrefix("text/") { return [["text": .string(String(selector.dropFirst(5)))]] }
        if selector.hasPrefix("xpath/") { return [["xpath": .string(String(selector.dropFirst(6)))]] }
        // Our CSS locators pierce open shadow roots, as `pierce/` does.
        if selector.hasPrefix("pierce/") { return [["css": .string(String(selector.dropFirst(7)))]] }
        return [["css": .string(selector)]]
    }

    /// `["my-app", "button.save"]`: each selector runs inside the shadow root of the previous match.
    static func shadowPath(_ path: [String]) -> JSON {
        var locator: JSON? = nil
        for selector in path {
            var next = locators(for: selector).last?.objectValue ?? [:]
            if let host = locator { next["within"] = host }
            locator = .object(next)
        }
        return locator ?? .null
    }

    /// `frame: [1, 0]`: the index of each child frame, from the top document down.
    static func frameLocator(_ indexes: [Int]) -> JSON? {
        var locator: JSON? = nil
        for index in indexes {
            var next: [String: JSON] = ["css": "iframe, frame", "nth": .integer(index)]
            if let parent = locator { next["frame"] = parent }
            locator = .object(next)
        }
        return locator
    }
}
