import Flows
import Foundation
import JSONCore

struct ConvertCommand: Command {
    static let name = "convert"
    static let summary = "Convert a Chrome DevTools Recorder export into a flow file"
    static let usage = "discover convert <recording.json> [--output file.flow.json]"
    static let discussion = """
        Reads the JSON that Chrome's Recorder panel exports and writes the same steps in the flow format
        (stdout without --output). Unsupported step types are an error naming each one; nothing is skipped.
        `discover run recording.json` converts on the fly.
        """
    static let options: [OptionSpec] = [.value("output", "FILE", "Write the flow here instead of stdout.")]

    static func run(_ arguments: ParsedArguments, console: Console) async throws -> ExitCode {
        guard arguments.positionals.count == 1, let input = arguments.positionals.first else {
            throw UsageError(message: "convert takes one Recorder export", command: name)
        }
        let json: JSON
        do {
            json = try JSON.parse(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: input))))
        } catch let error as JSONParseError {
            throw CommandFailure(code: .input, message: "\(input):\(error.line):\(error.column): \(error.message)")
        } catch {
            throw CommandFailure(code: .input, message: "\(input): \(error.localizedDescription)")
        }
        guard RecorderImport.isRecording(json) else {
            throw CommandFailure(code: .input, message: "\(input): not a Chrome DevTools Recorder export (expected {\"title\", \"steps\": [{\"type\": ...}]})")
        }
        let flow: JSON
        do {
            flow = try RecorderImport.convert(json, file: input)
        } catch {
            throw CommandFailure(code: .input, message: "\(error)")
        }
        let text = FlowFormatter.format(flow)
        if let output = arguments.value("output") {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
            console.success("wrote \(output)")
        } else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
        return .success
    }
}
