import Browser
import Foundation
import JSONCore

/// A step: its one action, the options its `FlowGrammar` entry allows (each read by its shape), the
/// modifiers any step may carry, and the entry's `decode` to assemble the `Action`.
extension FlowDecoder {
    func decodeStep(_ value: JSON, at pointer: String, index: Int) -> Step? {
        guard let step = value.objectValue else {
            error(pointer, "a step is an object with one action key such as {\"click\": ...}, found \(describe(value))")
            return nil
        }
        let stepMembers = members(step, at: pointer)
        let actions = Self.actions(of: stepMembers.map(\.key)).compactMap { action in stepMembers.first { $0.key == action } }
        guard let action = actions.first, let kind = FlowGrammar.stepKind(action.key) else {
            let everyOption = Set(FlowGrammar.steps.flatMap(\.options.keys))
            let strangers = stepMembers.filter { !FlowGrammar.stepModifiers.contains($0.key) && !everyOption.contains($0.key) }
            if strangers.isEmpty {
                error(pointer, "the step has no action; a step has one of: \(FlowGrammar.stepKinds.joined(separator: ", "))")
            }
            for stranger in strangers {
                keyError(stranger.pointer, "unknown step kind '\(stranger.key)'\(Suggestion.hint(for: stranger.key, among: FlowGrammar.stepKinds))")
            }
            return nil
        }
        for extra in actions.dropFirst() {
            keyError(extra.pointer, "a step has exactly one action; this one has '\(action.key)' and '\(extra.key)'")
        }
        var fields = StepFields(action: action.key, pointer: pointer, members: step, decoder: self)
        fields.value = decode(kind.value, action.value, at: action.pointer)
        var decoded = Step(action: .goto(""), written: value, index: index)
        for member in stepMembers where member.key != action.key && !actions.contains(where: { $0.key == member.key }) {
            switch member.key {
            case "name": decoded.name = expectString(member.value, at: member.pointer)
            case "timeout": decoded.timeout = timeout(member.value, at: member.pointer)
            case "when": decoded.when = when(member.value, at: member.pointer)
            case "optional": decoded.optional = boolean(member.value, at: member.pointer)
            default:
                if let shape = kind.options[member.key] {
                    fields.options[member.key] = decode(shape, member.value, at: member.pointer)
                    continue
                }
                let owners = FlowGrammar.steps.filter { $0.options[member.key] != nil }.map(\.action)
                let allowed = FlowGrammar.stepModifiers + kind.options.keys.sorted()
                if !owners.isEmpty, Suggestion.closest(to: member.key, among: allowed) == nil {
                    keyError(member.pointer, "'\(member.key)' is not allowed in \(article(kind.action)) \(kind.action) step (it belongs to \(owners.joined(separator: ", ")))")
                } else {
                    unknownKey(member.key, at: member.pointer, in: "\(article(kind.action)) \(kind.action) step", allowed: allowed + FlowGrammar.stepKinds)
                }
            }
        }
        for required in kind.required where step[required] == nil {
            keyError(action.pointer, "\(article(kind.action)) \(kind.action) step needs \"\(required)\"")
        }
        decoded.action = kind.decode(fields)
        return decoded
    }

    /// The action keys among a step's keys. `save` is both a step (`{"save": "name", "from": ...}`) and an
    /// option of `evaluate` and `download`; beside one of those it is the option.
    static func actions(of keys: [String]) -> [String] {
        let actions = keys.filter { FlowGrammar.stepKind($0) != nil }
        let saveIsAnOption = actions.contains { FlowGrammar.stepKind($0)?.options["save"] != nil }
        return saveIsAnOption ? actions.filter { $0 != "save" } : actions
    }

    private func timeout(_ value: JSON, at pointer: String) -> Duration? {
        guard value.doubleValue != nil else {
            _ = integer(value, at: pointer, minimum: 1)
            return nil
        }
        if case .integer(let milliseconds) = value, milliseconds >= 1, milliseconds <= Self.maximumTimeoutMilliseconds {
            return .milliseconds(milliseconds)
        }
        error(pointer, "`timeout` is a positive number of milliseconds, at most \(Self.maximumTimeoutMilliseconds) (a day), found \(describe(value))")
        return nil
    }

    /// A value of any shape the grammar names, read and checked in one go.
    func decode(_ shape: Shape, _ value: JSON, at pointer: String) -> DecodedValue {
        switch shape {
        case .any:
            references(in: value, at: pointer)
            return .json(value)
        case .string: return .text(nonEmptyString(value, at: pointer))
        case .scalar: return .text(scalarText(value, at: pointer))
        case .integer(let minimum): return .integer(integer(value, at: pointer, minimum: minimum))
        case .boolean: return .boolean(boolean(value, at: pointer))
        case .locator: return .locator(locator(value, at: pointer))
        case .condition: return .condition(condition(value, at: pointer))
        case .source: return .source(source(value, at: pointer))
        case .stringOrLocator:
            if let text = value.stringValue {
                references(inText: text, at: pointer)
                return .selectOption(.text(text))
            }
            return .selectOption(.locator(locator(value, at: pointer)))
        case .stringOrStrings: return .texts(uploadFiles(value, at: pointer))
        case .choice(let names): return .text(choice(value, names, at: pointer))
        case .choices(let names):
            guard let items = value.arrayValue else { return .texts([choice(value, names, at: pointer)]) }
            return .texts(items.enumerated().map { index, item in choice(item, names, at: PositionedJSON.pointer(pointer, index)) })
        case .viewport: return .viewport(viewport(value, at: pointer))
        case .position: return .position(position(value, at: pointer))
        case .variableName: return .text(variableName(value, at: pointer))
        case .flowFile: return .text(flowFile(value, at: pointer))
        }
    }
}

/// A value as its shape reads it; a refused value holds a placeholder, and the flow around it is dropped.
enum DecodedValue {
    case text(String)
    case texts([String])
    case integer(Int?)
    case boolean(Bool)
    case locator(Locator)
    case condition(Condition)
    case source(Source)
    case selectOption(SelectOption)
    case viewport(Viewport)
    case position(PointerPosition)
    case json(JSON)
}
