import JSONCore

/// Writes a flow the way people write them: the flow's keys in reading order and one step a line with
/// its action first, so a converted Recorder export reads like a hand-written flow. Key order inside a
/// step's values stays JSONCore's sorted order, so equal flows give equal text.
public enum FlowFormatter {
    static let flowKeyOrder = ["$schema", "name", "description", "requires", "secrets", "prerequisites", "when", "vars", "steps"]

    public static func format(_ flow: JSON) -> String {
        guard let members = flow.objectValue else { return flow.serialized(.pretty) + "\n" }
        let known = flowKeyOrder.filter { members[$0] != nil }
        let others = members.keys.filter { !flowKeyOrder.contains($0) }.sorted(by: JSON.keyOrder)
        var lines: [String] = []
        for key in known + others {
            let value = members[key]!
            if key == "steps", let steps = value.arrayValue, !steps.isEmpty {
                let body = steps.map { "    " + formatStep($0) }.joined(separator: ",\n")
                lines.append("  \(JSON.string(key).serialized()): [\n\(body)\n  ]")
            } else {
                lines.append("  \(JSON.string(key).serialized()): \(inline(value))")
            }
        }
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }

    /// `{"click": ..., "position": ..., "name": ..., "timeout": ...}`: action, options, then modifiers.
    static func formatStep(_ step: JSON) -> String {
        guard let members = step.objectValue else { return step.serialized() }
        let actions = FlowDecoder.actions(of: Array(members.keys))
        let modifiers = FlowGrammar.stepModifiers.filter { members[$0] != nil }
        let options = members.keys.filter { !actions.contains($0) && !modifiers.contains($0) }.sorted(by: JSON.keyOrder)
        let parts = (actions + options + modifiers).map { "\(JSON.string($0).serialized()): \(inline(members[$0]!))" }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// One line, with a space after each `:` and `,` as people type it.
    static func inline(_ value: JSON) -> String {
        switch value {
        case .array(let items): return "[" + items.map(inline).joined(separator: ", ") + "]"
        case .object(let members):
            let parts = members.keys.sorted(by: JSON.keyOrder).map { "\(JSON.string($0).serialized()): \(inline(members[$0]!))" }
            return "{" + parts.joined(separator: ", ") + "}"
        default: return value.serialized()
        }
    }
}
