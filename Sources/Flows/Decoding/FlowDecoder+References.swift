import Foundation
import JSONCore

/// `${env.NAME}`, `${vars.NAME}` and `${run.NAME}` references, checked as each string is read, with
/// the variables of the flow's neighbours known.
extension FlowDecoder {
    /// Every string in a value kept as JSON (a json check's `equals`).
    func references(in value: JSON, at pointer: String) {
        switch value {
        case .string(let text): references(inText: text, at: pointer)
        case .array(let items):
            for (index, item) in items.enumerated() { references(in: item, at: PositionedJSON.pointer(pointer, index)) }
        case .object(let object):
            for (key, item) in object { references(in: item, at: PositionedJSON.pointer(pointer, key)) }
        default: break
        }
    }

    func references(inText text: String, at pointer: String) {
        guard reach.contains(.references), text.contains("${") else { return }
        var searchStart = text.startIndex
        // Worked out once per string, and positions only for what is reported: a value with 100,000
        // references took minutes when each one was located from the start of the string.
        let required = requiredEnvironment
        let known = knownVariables
        let document = self.document
        func positionOf(_ open: Range<String.Index>) -> SourcePosition {
            let offset = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: open.lowerBound)
            return document.position(inString: pointer, scalarOffset: offset)
        }
        while let open = text.range(of: "${", range: searchStart..<text.endIndex) {
            var position: SourcePosition { positionOf(open) }
            guard let close = text.range(of: "}", range: open.upperBound..<text.endIndex) else {
                report(.error, at: position, "'${' is not closed with '}'", pointer: pointer)
                return
            }
            searchStart = close.upperBound
            let reference = String(text[open.upperBound..<close.lowerBound])
            let parts = reference.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, FlowGrammar.interpolationNamespaces.contains(parts[0]), !parts[1].isEmpty else {
                report(.error, at: position, "'${\(reference)}' is not a variable; write ${env.NAME}, ${vars.name} or ${run.id|date|baseURL}", pointer: pointer)
                continue
            }
            let name = parts[1]
            switch parts[0] {
            case "env":
                if !required.contains(name) {
                    report(.error, at: position, "environment variable '\(name)' is used but not listed in \"requires\"\(Suggestion.hint(for: name, among: required))", pointer: pointer)
                }
            case "vars":
                if !known.contains(name) {
                    report(.error, at: position, "unknown variable '\(name)': not defined in \"vars\" and saved by no step before it\(Suggestion.hint(for: name, among: known))", pointer: pointer)
                }
            default:
                if !FlowGrammar.runVariables.contains(name) {
                    report(.error, at: position, "unknown run variable '\(name)'\(Suggestion.hint(for: name, among: FlowGrammar.runVariables)); known: \(FlowGrammar.runVariables.joined(separator: ", "))", pointer: pointer)
                }
            }
        }
    }
}
