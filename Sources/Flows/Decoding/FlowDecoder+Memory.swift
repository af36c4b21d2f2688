import Foundation
import JSONCore

/// JSON that is not a file on disk: a flow built in memory (a converted recording, a test's flow), a
/// step decoded again after interpolation, a locator given as JSON. Read by the same walk, without
/// positions, so the first refusal is thrown in the words `validate` would use.
extension FlowDecoder {
    /// The grammar and the included files; `${…}` references and files named are for `FlowPass`, which
    /// knows the flow's neighbours.
    static func decode(_ json: JSON, file: URL?) throws(FlowFileError) -> Flow {
        let decoder = FlowDecoder(
            file: file?.path ?? "<flow>", document: PositionedJSON(unpositioned: json), reach: .includes,
            includeChain: file.map { [($0.path as NSString).standardizingPath] } ?? [])
        if let flow = decoder.decodeFlow(file: file) { return flow }
        throw decoder.refusal(naming: file?.lastPathComponent ?? "<flow>")
    }

    /// A flow file read the same way, for programs that load one file themselves: its includes are
    /// read, its prerequisites only named.
    static func decodeFile(_ url: URL) throws(FlowFileError) -> Flow {
        let url = url.standardizedFileURL
        let text = String(decoding: try FlowFileReader.read(url.path), as: UTF8.self)
        let document: PositionedJSON
        do throws(JSONParseError) {
            document = try PositionedJSON.parse(text)
        } catch {
            throw FlowFileError(file: url.lastPathComponent, message: "\(error.line):\(error.column): \(error.message)")
        }
        let decoder = FlowDecoder(file: url.path, document: document, reach: .includes)
        if let flow = decoder.decodeFlow(file: url) { return flow }
        throw decoder.refusal(naming: url.lastPathComponent)
    }

    private func refusal(naming file: String) -> FlowFileError {
        let first = firstError
        return FlowFileError(file: file, step: first?.pointer.flatMap(Self.stepNumber), message: first?.message ?? "the flow does not load")
    }

    /// A step as the runner has it once `${…}` are replaced: the grammar alone (an include is never
    /// interpolated, so none is read).
    static func decodeStep(_ json: JSON, index: Int) throws(FlowValueError) -> Step {
        let decoder = FlowDecoder(file: "<step>", document: PositionedJSON(unpositioned: json), reach: [])
        let step = decoder.decodeStep(json, at: "", index: index)
        if let step, decoder.errorCount == 0 { return step }
        throw FlowValueError(decoder.firstError?.message ?? "the step does not load")
    }

    static func decodeLocator(_ json: JSON) throws(FlowValueError) -> Locator {
        let decoder = FlowDecoder(file: "<locator>", document: PositionedJSON(unpositioned: json), reach: [])
        let locator = decoder.locator(json, at: "")
        if let refusal = decoder.firstError { throw FlowValueError(refusal.message) }
        return locator
    }

    /// `/steps/3/click` is step 4.
    static func stepNumber(_ pointer: String) -> Int? {
        let tokens = pointer.split(separator: "/")
        guard tokens.count >= 2, tokens[0] == "steps", let index = Int(tokens[1]) else { return nil }
        return index + 1
    }
}
