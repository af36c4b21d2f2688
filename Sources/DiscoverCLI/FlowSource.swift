import Flows
import Foundation
import JSONCore

/// Turns the path given to `run` into flows: a folder of `*.flow.json`, one flow file (with its
/// prerequisites), or a Chrome DevTools Recorder export converted on the fly.
enum FlowSource {
    static func load(_ path: URL) throws -> [Flow] {
        if path.pathExtension == "json", !path.lastPathComponent.hasSuffix(FlowLoader.fileSuffix),
            let data = try? Data(contentsOf: path), let json = try? JSON.parse(bytes: data), RecorderImport.isRecording(json)
        {
            do {
                let flow = try RecorderImport.convert(json, file: path.path)
                return [try FlowLoader.decode(flow, file: path)]
            } catch {
                throw CommandFailure(code: .input, message: "\(error)")
            }
        }
        do {
            return try FlowLoader.load(path)
        } catch let failure as FlowPassError {
            throw CommandFailure(code: .input, message: failure.description)
        } catch {
            throw CommandFailure(code: .input, message: "\(error)\nRun 'discover validate \(path.relativePath)' for every problem with line and column.")
        }
    }
}
