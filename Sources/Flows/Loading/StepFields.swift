import Browser
import Foundation
import JSONCore

/// One step's members as a grammar entry's `decode` reads them: the action's value and options, through
/// the decoder's readers, so every step kind words its problems the same way.
struct StepFields {
    let action: String
    let members: [String: JSON]
    let decoder: FlowDecoder

    private var value: JSON { members[action]! }

    func text() throws(FlowValueError) -> String { try decoder.string(value, action) }

    func locator() throws(FlowValueError) -> Locator { try decoder.decodeLocator(value) }

    func condition() throws(FlowValueError) -> Condition { try decoder.decodeCondition(value) }

    func optionalLocator(_ key: String) throws(FlowValueError) -> Locator? {
        guard let json = members[key] else { return nil }
        return try decoder.decodeLocator(json)
    }

    func optionalString(_ key: String) throws(FlowValueError) -> String? { try decoder.optionalString(members[key], key) }

    func optionalInt(_ key: String) throws(FlowValueError) -> Int? { try decoder.optionalInt(members[key], key) }

    func optionalBool(_ key: String) throws(FlowValueError) -> Bool? { try decoder.optionalBool(members[key], key) }

    /// A required option read as text (`"value": 2000` types "2000").
    func scalarText(_ key: String) throws(FlowValueError) -> String {
        try decoder.scalarText(try required(key), key)
    }

    func source(_ key: String) throws(FlowValueError) -> Source { try decoder.decodeSource(try required(key)) }

    func position() throws(FlowValueError) -> PointerPosition? { try decoder.decodePosition(members["position"]) }

    func press() throws(FlowValueError) -> PointerPress { try decoder.decodePress(members) }

    func selectOption() throws(FlowValueError) -> SelectOption {
        let option = try required("option")
        if let text = option.stringValue { return .text(text) }
        return .locator(try decoder.decodeLocator(option))
    }

    func uploadFiles() throws(FlowValueError) -> [String] {
        let files = try required("files")
        let list: [String]
        if let one = files.stringValue { list = [one] } else { list = try decoder.stringList(files, "files") }
        if list.isEmpty { throw FlowValueError("`files` names no file") }
        // A flow hands files to the app under test: only its own, unless it says otherwise.
        if try optionalBool("outsideFlowFolder") != true,
            let outside = list.first(where: { $0.hasPrefix("/") || $0.hasPrefix("~") || $0.split(separator: "/").contains("..") })
        {
            throw FlowValueError("`files` names \(outside), outside the flow file's folder; add \"outsideFlowFolder\": true to the step to allow it")
        }
        return list
    }

    func screenshotName() throws(FlowValueError) -> String {
        let name = try text()
        // A `${…}` name is checked once interpolated: the runner decodes the step again then.
        return name.contains("${") ? name : try OutputFileName.screenshot(name)
    }

    func viewport() throws(FlowValueError) -> Viewport {
        guard let object = value.objectValue else { throw FlowValueError("`setViewport` takes {width, height, deviceScaleFactor?}") }
        try decoder.rejectUnknown(object, ["width", "height", "deviceScaleFactor"], in: "setViewport")
        guard let width = object["width"]?.intValue, let height = object["height"]?.intValue, width > 0, height > 0 else {
            throw FlowValueError("`setViewport` needs positive integer `width` and `height`")
        }
        return Viewport(width: width, height: height, deviceScaleFactor: object["deviceScaleFactor"]?.doubleValue)
    }

    /// Untyped: a problem inside the included file is that file's `FlowFileError`.
    func includedFlow() throws -> Flow { try decoder.loadInclude(try text()) }

    private func required(_ key: String) throws(FlowValueError) -> JSON {
        guard let json = members[key] else { throw FlowValueError("`\(action)` needs `\(key)`") }
        return json
    }
}
