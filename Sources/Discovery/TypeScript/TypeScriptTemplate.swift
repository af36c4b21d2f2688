/// A TypeScript file with the few marks a generator needs, kept valid TypeScript so `tsc` checks it
/// as it is: `//#if flag` … `//#endif` lines keep what is between them only when the flag is set,
/// `//#insert name` is replaced by generated code, and literal placeholders (in comments, strings or
/// identifiers) are replaced on the lines kept.
struct TypeScriptTemplate {
    let text: String

    func render(flags: Set<String>, replacing: [(String, String)], inserts: [String: String]) -> String {
        var out = ""
        var conditions: [Bool] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            let end = rest.firstIndex(of: "\n").map { rest.index(after: $0) } ?? rest.endIndex
            let line = rest[..<end]
            rest = rest[end...]
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("//#if ") {
                conditions.append(flags.contains(String(trimmed.dropFirst("//#if ".count))))
                continue
            }
            if trimmed == "//#endif" {
                conditions.removeLast()
                continue
            }
            guard conditions.allSatisfy({ $0 }) else { continue }
            if trimmed.hasPrefix("//#insert ") {
                out += inserts[String(trimmed.dropFirst("//#insert ".count))] ?? ""
                continue
            }
            var kept = String(line)
            for (placeholder, value) in replacing where kept.contains(placeholder) {
                kept = kept.replacingOccurrences(of: placeholder, with: value)
            }
            out += kept
        }
        return out
    }
}

extension TypeScriptTemplate {
    /// `client-runtime.ts`: everything of the generated client but its types and methods.
    static let clientRuntime = TypeScriptTemplate(text: String(decoding: PackageResources.client_runtime_ts, as: UTF8.self))
}
