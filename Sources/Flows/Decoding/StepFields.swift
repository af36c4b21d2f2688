import Browser
import Foundation
import JSONCore

/// One step's action value and options as its `FlowGrammar` entry's `decode` reads them: already read
/// and checked by their shapes, so an entry only assembles its `Action`. What a shape cannot know (a
/// file outside the flow's folder, a screenshot name, the included flow) is refused here, at its value.
struct StepFields {
    let action: String
    /// The step's pointer (`/steps/3`).
    let pointer: String
    let members: [String: JSON]
    let decoder: FlowDecoder
    var value: DecodedValue = .json(.null)
    var options: [String: DecodedValue] = [:]

    init(action: String, pointer: String, members: [String: JSON], decoder: FlowDecoder) {
        self.action = action
        self.pointer = pointer
        self.members = members
        self.decoder = decoder
    }

    private func pointer(_ key: String) -> String { PositionedJSON.pointer(pointer, key) }

    // A refused value was reported where it is; these only pick the placeholder back out.

    func text() -> String { Self.text(value) ?? placeholder("text", "") }

    func locator() -> Locator { Self.locator(value) ?? placeholder("locator", Self.placeholderLocator) }

    func condition() -> Condition {
        if case .condition(let condition) = value { return condition }
        return placeholder("condition", .expression(""))
    }

    func optionalLocator(_ key: String) -> Locator? { options[key].flatMap(Self.locator) }

    func optionalString(_ key: String) -> String? { options[key].flatMap(Self.text) }

    func optionalInt(_ key: String) -> Int? {
        if case .integer(let number) = options[key] { return number }
        return nil
    }

    func optionalBool(_ key: String) -> Bool? {
        if case .boolean(let flag) = options[key] { return flag }
        return nil
    }

    /// A required option read as text (`"value": 2000` types "2000").
    func scalarText(_ key: String) -> String { optionalString(key) ?? "" }

    func source(_ key: String) -> Source {
        if case .source(let source) = options[key] { return source }
        return .urlSegment(0)
    }

    func position() -> PointerPosition? {
        if case .position(let position) = options["position"] { return position }
        return nil
    }

    func press() -> PointerPress {
        var press = PointerPress.plain
        if let name = optionalString("button"), let button = PointerPress.Button(rawValue: name) { press.button = button }
        if case .texts(let names) = options["modifiers"] {
            press.modifiers = Set(names.compactMap(PointerPress.Modifier.init(rawValue:)))
        }
        return press
    }

    func selectOption() -> SelectOption {
        if case .selectOption(let option) = options["option"] { return option }
        return .text("")
    }

    /// A flow hands files to the app under test: only its own, unless it says otherwise.
    func uploadFiles() -> [String] {
        guard case .texts(let files) = options["files"] else { return [] }
        let outside = files.firstIndex { $0.hasPrefix("/") || $0.hasPrefix("~") || $0.split(separator: "/").contains("..") }
        if optionalBool("outsideFlowFolder") != true, let outside {
            let at = members["files"]?.arrayValue == nil ? pointer("files") : PositionedJSON.pointer(pointer("files"), outside)
            decoder.error(at, "`files` names \(files[outside]), outside the flow file's folder; add \"outsideFlowFolder\": true to the step to allow it")
        }
        return files
    }

    func screenshotName() -> String {
        let name = text()
        // A `${…}` name is checked once interpolated: the runner decodes the step again then.
        guard !name.isEmpty, !name.contains("${") else { return name }
        do throws(FlowValueError) {
            return try OutputFileName.screenshot(name)
        } catch {
            decoder.error(pointer(action), error.message)
            return name
        }
    }

    func viewport() -> Viewport {
        if case .viewport(let viewport) = value { return viewport }
        return placeholder("viewport", .standard)
    }

    func includedFlow() -> Flow { decoder.include(text(), at: pointer(action)) }

    /// A value the walk refused; without a refusal, the entry reads a kind its shape does not give.
    private func placeholder<Value>(_ kind: String, _ value: Value) -> Value {
        assert(decoder.errorCount > 0, "the grammar entry for \(action) reads a \(kind) that its shape does not give")
        return value
    }

    private static func text(_ value: DecodedValue) -> String? {
        if case .text(let text) = value { return text }
        return nil
    }

    private static func locator(_ value: DecodedValue) -> Locator? {
        if case .locator(let locator) = value { return locator }
        return nil
    }

    static let placeholderLocator = Locator.single(LocatorQuery(.css("*")))
}
