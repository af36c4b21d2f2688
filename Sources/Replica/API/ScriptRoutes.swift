import Foundation
import JSONCore
import HTTPServer
import Wire

/// `POST /api/scripts` (`scripts/route.ts`): runs a `ui_scripts/*.py` with its arguments, buffered or as
/// NDJSON. The replica has no Python: `test_script.py` is reproduced line for line (it only echoes), the
/// others answer a one-line simulated run.
struct ScriptRoutes: Sendable {
    /// `ui_scripts/` at 27a03a91.
    static let scripts: Set<String> = ["merge_loras.py", "test_script.py", "upsample_ideogram4_caption.py"]

    func run(_ request: HTTPRequest) -> HTTPResponse {
        guard let body = request.jsonBody else { return .json(["error": "Invalid JSON body"], status: 400) }
        let name = body["script"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard Self.isFlatScriptName(name), Self.scripts.contains(name) else {
            return .json(["error": "Invalid or unknown script. Must be a *.py file inside ui_scripts/."], status: 400)
        }
        let arguments: [String]
        switch Self.normalizedArguments(body["args"]) {
        case .success(let list): arguments = list
        case .failure(let error): return .json(["error": .string(error.message)], status: 400)
        }
        let run = Self.simulate(name, arguments)
        guard body["stream"] == .bool(true) else {
            return .json([
                "ok": .bool(run.exitCode == 0), "exitCode": .integer(run.exitCode), "signal": .null, "stdout": .string(run.stdout.joined()),
                "stderr": .string(run.stderr), "result": Self.result(of: run.stdout.joined()), "timedOut": false,
            ], status: run.exitCode == 0 ? 200 : 500)
        }
        var headers = HTTPHeaders()
        headers.add("Cache-Control", "no-cache, no-transform")
        headers.add("X-Accel-Buffering", "no")
        return .stream(contentType: "application/x-ndjson; charset=utf-8", headers: headers) { writer in
            for chunk in run.stdout {
                try writer.write(JSON.object(["type": "stdout", "data": .string(chunk)]).serialized() + "\n")
                try await Task.sleep(for: .milliseconds(20))
            }
            if !run.stderr.isEmpty { try writer.write(JSON.object(["type": "stderr", "data": .string(run.stderr)]).serialized() + "\n") }
            try writer.write(JSON.object([
                "type": "exit", "exitCode": .integer(run.exitCode), "signal": .null, "ok": .bool(run.exitCode == 0), "timedOut": false,
                "result": Self.result(of: run.stdout.joined()), "stderr": .string(run.stderr),
            ]).serialized() + "\n")
        }
    }

    /// `SCRIPT_NAME_RE`: `^[A-Za-z0-9_][A-Za-z0-9_.-]*\.py$`, so no path separators and no traversal.
    static func isFlatScriptName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        func word(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_") }
        guard name.hasSuffix(".py"), scalars.count > 3, let first = scalars.first, word(first) else { return false }
        return scalars.dropLast(3).allSatisfy { word($0) || $0 == "." || $0 == "-" }
    }

    struct ArgumentError: Error { let message: String }

    /// `normalizeArgs`: a list of strings, numbers and booleans, or an object turned into `--key value`
    /// (`true` a bare flag, `false`/null left out).
    static func normalizedArguments(_ raw: JSON?) -> Result<[String], ArgumentError> {
        func text(_ value: JSON) -> String? {
            switch value {
            case .string(let string): return string
            case .bool(let flag): return String(flag)
            case .integer, .number: return value.serialized()
            default: return nil
            }
        }
        switch raw {
        case nil, .null?: return .success([])
        case .array(let values)?:
            var out: [String] = []
            for value in values where value != .null {
                guard let item = text(value) else { return .failure(ArgumentError(message: "args entries must be string|number|boolean")) }
                out.append(item)
            }
            return .success(out)
        case .object(let fields)?:
            var out: [String] = []
            for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
                guard !key.isEmpty, key.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }) else {
                    return .failure(ArgumentError(message: "invalid arg key: \(key)"))
                }
                switch value {
                case .bool(true): out.append("--\(key)")
                case .bool(false), .null: continue
                case .string, .integer, .number: out += ["--\(key)", text(value) ?? ""]
                default: return .failure(ArgumentError(message: "args.\(key) must be string|number|boolean"))
                }
            }
            return .success(out)
        default: return .failure(ArgumentError(message: "args must be an array or object"))
        }
    }

    /// `parseResult`: the last non-blank stdout line, parsed when it starts with `{` or `[`.
    static func result(of stdout: String) -> JSON {
        guard let line = stdout.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) }).last(where: { !$0.isEmpty }),
              line.hasPrefix("{") || line.hasPrefix("[") else { return .null }
        return (try? JSON.parse(line)) ?? .null
    }

    struct Run { var stdout: [String]; var stderr: String; var exitCode: Int }

    static func simulate(_ script: String, _ arguments: [String]) -> Run {
        guard script == "test_script.py" else {
            return Run(stdout: ["Simulated by the discover replica: python -u \(([script] + arguments).joined(separator: " "))\n"], stderr: "", exitCode: 0)
        }
        func option(_ name: String) -> String? { arguments.firstIndex(of: "--\(name)").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } }
        let message = option("message") ?? "hello"
        let count = option("count").flatMap(Int.init) ?? 3
        var lines = (0..<max(0, count)).map { "[\($0 + 1)/\(count)] \(message)\n" }
        if arguments.contains("--fail") { return Run(stdout: lines, stderr: "intentional failure\n", exitCode: 1) }
        // `json.dumps` spacing and key order, as the script prints it.
        lines.append("{\"message\": \(JSON.string(message).serialized()), \"count\": \(count), \"ok\": true}\n")
        return Run(stdout: lines, stderr: "", exitCode: 0)
    }
}
