import Foundation
import JSONCore

/// `include`: the other file is read and decoded by a decoder of its own, and what it refuses is
/// refused here, at the include, naming the place in that file.
extension FlowDecoder {
    func include(_ path: String, at pointer: String) -> Flow {
        let placeholder = Flow(name: path, steps: [])
        guard reach.contains(.includes), !path.isEmpty else { return placeholder }
        let target = (resolve(path) as NSString).standardizingPath
        if includeChain.contains(target) {
            error(pointer, "'\(path)' leads back to this flow: prerequisites and includes must not form a cycle")
            return placeholder
        }
        guard FileManager.default.fileExists(atPath: target) else {
            // With files in reach, `flowFile` has said so already, unless the path is interpolated.
            if !reach.contains(.files) || path.contains("${") { error(pointer, "flow file '\(path)' not found (looked for \(target))") }
            return placeholder
        }
        let document: PositionedJSON
        do {
            document = try PositionedJSON.parse(String(decoding: try FlowFileReader.read(target), as: UTF8.self))
        } catch let failure as FlowFileError {
            error(pointer, "'\(path)' does not load: \(failure.message)")
            return placeholder
        } catch let failure as JSONParseError {
            error(pointer, "'\(path)' does not load: \(failure.line):\(failure.column): invalid JSON: \(failure.message)")
            return placeholder
        } catch {
            self.error(pointer, "'\(path)' does not load: \(error)")
            return placeholder
        }
        // Its own variables are checked when it is validated; here it runs inside this flow.
        let decoder = FlowDecoder(file: target, document: document, reach: reach.subtracting(.references), includeChain: includeChain + [target])
        guard let flow = decoder.decodeFlow(file: URL(fileURLWithPath: target)) else {
            let refusal = decoder.firstError
            error(pointer, "'\(path)' does not load: \(refusal.map { "\($0.line):\($0.column): \($0.message)" } ?? "it has errors")")
            return placeholder
        }
        return flow
    }
}
