/// Turns the distinct request paths of a capture into route templates.
///
/// The segments at each position are judged together with their siblings (the segments that follow
/// the same templated prefix): identifier-shaped values are parameters; word-shaped values stay
/// constants (`/api/datasets/list`, `/api/jobs/{jobId}/start`) unless a response handed the value out
/// earlier; values sharing a prefix with a changing number are parameters; a file name after a
/// parameter is one too.
struct TemplateInference {
    struct RawPath {
        var segments: [String]
        /// Segment index -> the response field that handed out this value earlier (`id`, `gpu_ids`).
        var linkedFields: [Int: String]
        /// How the route behaves: its methods with the shape of their first JSON answer.
        var behaviour: String = ""
        /// From this position on, the path is one value that holds `/`.
        var rest: Rest?
    }

    /// A parameter that takes the rest of the path: where it starts, the literal before it in its
    /// segment (`file=`), and the field that named its value.
    struct Rest: Equatable {
        var position: Int
        var prefix: String
        var field: String
        /// Route words after the value (`checkpoints`).
        var suffix: [String] = []
    }

    /// Paths that share a multi-segment parameter at one depth: the literal before it and the words after.
    private struct RestGroup: Hashable {
        var prefix: String
        var suffix: [String]
    }

    struct Result {
        var template: PathTemplate
        /// Parameter name -> why it is a parameter (shape, link, sibling values, user template).
        var reasons: [String: String]
    }

    let userTemplates: [PathTemplate]

    init(userTemplates: [String]) {
        // The most specific template wins when several match.
        self.userTemplates = userTemplates.map(PathTemplate.init(parsing:)).sorted { $0.literalCount > $1.literalCount }
    }

    func infer(_ paths: [RawPath]) -> [Result] {
        var results = [Result?](repeating: nil, count: paths.count)
        var open: [Int] = []
        for (index, path) in paths.enumerated() {
            if let template = userTemplates.first(where: { $0.matches(path.segments) }) {
                var reasons: [String: String] = [:]
                for name in template.parameterNames { reasons[name] = "user template" }
                results[index] = Result(template: template, reasons: reasons)
            } else {
                open.append(index)
            }
        }
        var assigned: [Int: Result] = [:]
        descend(open, depth: 0, prefix: Result(template: PathTemplate(tokens: []), reasons: [:]), paths: paths, into: &assigned)
        for (index, result) in assigned { results[index] = result }
        return results.map { $0! }
    }

    private func descend(_ members: [Int], depth: Int, prefix: Result, paths: [RawPath], into assigned: inout [Int: Result]) {
        var byValue: [String: [Int]] = [:]
        var rests: [RestGroup: [Int]] = [:]
        for index in members {
            let segments = paths[index].segments
            if let rest = paths[index].rest, rest.position == depth, depth > 0 || !rest.prefix.isEmpty {
                rests[RestGroup(prefix: rest.prefix, suffix: rest.suffix), default: []].append(index)
            } else if segments.count == depth {
                assigned[index] = prefix
            } else {
                byValue[segments[depth], default: []].append(index)
            }
        }
        guard !byValue.isEmpty || !rests.isEmpty else { return }
        let values = byValue.keys.sorted()
        var parameterValues = Set(values.filter { value in
            isParameter(value, depth: depth, siblings: values, prefix: prefix.template, linked: byValue[value]!.contains { paths[$0].linkedFields[depth] != nil })
        })
        let interchangeable = interchangeableWords(values, byValue: byValue, depth: depth, paths: paths)
        parameterValues.formUnion(interchangeable)
        // Where some paths here were seen to be one value with `/` (a response named it), their
        // identifier-like siblings are values of the same kind: `/api/img/{+path}` for every image,
        // not only the ones whose path some body happened to name.
        if !rests.isEmpty {
            // Longest literal and suffix first: `file=` before ``, `checkpoints` before nothing.
            let groups = rests.keys.sorted { ($0.prefix.count, $0.suffix.count, $0.prefix) > ($1.prefix.count, $1.suffix.count, $1.prefix) }
            // Identifier-like values, and values no word is made of (`@jupyterlab`, `notes.txt`).
            for value in values where parameterValues.contains(value) || ![.word, .reserved].contains(SegmentShape(value)) {
                var kept: [Int] = []
                for index in byValue[value]! {
                    let tail = paths[index].segments[depth...]
                    let home = groups.first { group in
                        value.hasPrefix(group.prefix) && tail.count > group.suffix.count && tail.suffix(group.suffix.count).elementsEqual(group.suffix)
                    }
                    if let home { rests[home]!.append(index) } else { kept.append(index) }
                }
                byValue[value] = kept.isEmpty ? nil : kept
                if kept.isEmpty { parameterValues.remove(value) }
            }
        }
        for (key, group) in rests.sorted(by: { ($0.key.prefix, $0.key.suffix.joined(separator: "/")) < ($1.key.prefix, $1.key.suffix.joined(separator: "/")) }) {
            let named = group.lazy.compactMap { paths[$0].rest }.first
            var name = Naming.camelCase(named?.field ?? "path")
            if name.isEmpty || prefix.template.parameterNames.contains(name) { name = "path" }
            var next = prefix
            next.template.tokens.append(.rest(name, prefix: key.prefix))
            next.template.tokens += key.suffix.map(PathTemplate.Token.literal)
            next.reasons[name] = "the rest of the path is one value (with `/`) named earlier in `\(named?.field ?? "path")`"
            for index in group { assigned[index] = next }
        }
        for value in values where !parameterValues.contains(value) && byValue[value] != nil {
            var next = prefix
            next.template.tokens.append(.literal(value))
            descend(byValue[value]!, depth: depth + 1, prefix: next, paths: paths, into: &assigned)
        }
        guard !parameterValues.isEmpty else { return }
        let group = parameterValues.sorted().flatMap { byValue[$0]! }
        var (name, reason) = parameterName(values: parameterValues.sorted(), group: group, depth: depth, prefix: prefix, paths: paths)
        if !interchangeable.isEmpty, interchangeable.count == parameterValues.count {
            reason = "\(interchangeable.count) word values with the same methods, answers and sub-routes"
        }
        var next = prefix
        next.template.tokens.append(.parameter(name))
        next.reasons[name] = reason
        descend(group, depth: depth + 1, prefix: next, paths: paths, into: &assigned)
    }

    /// Word siblings that behave alike (`/api/users/alice`, `/bob`, `/carol`, `/dave`: same methods,
    /// same answer shape, same sub-routes) are values, not route vocabulary. A small set of verbs or
    /// words with their own methods or answers (`list`, `create`, `listImages`) never is. Fewer than four
    /// is no evidence: Syncthing's `pending/{devices,folders}` and Prefect's `count-by/{event,time}`
    /// look the same, and only the second is a parameter.
    private func interchangeableWords(_ values: [String], byValue: [String: [Int]], depth: Int, paths: [RawPath]) -> Set<String> {
        guard depth > 0 else { return [] }
        let words = values.filter { SegmentShape($0) == .word }
        guard words.count >= 4 else { return [] }
        for word in words {
            let lower = word.lowercased()
            if Self.actionWords.contains(lower) || Naming.words(word).first.map(OperationNaming.verbs.contains) == true { return [] }
        }
        func signature(_ value: String) -> Set<String> {
            Set(byValue[value]!.map { index in
                let rest = paths[index].segments.dropFirst(depth + 1).map { SegmentShape($0).isIdentifier ? "{}" : $0 }
                return rest.joined(separator: "/") + "|" + paths[index].behaviour
            })
        }
        let first = signature(words[0])
        guard first.allSatisfy({ !$0.hasSuffix("|") }), words.dropFirst().allSatisfy({ signature($0) == first }) else { return [] }
        return Set(words)
    }

    private func isParameter(_ value: String, depth: Int, siblings: [String], prefix: PathTemplate, linked: Bool) -> Bool {
        if depth == 0 { return false }
        let shape = SegmentShape(value)
        if shape == .reserved { return false }
        if shape.isIdentifier { return true }
        let afterParameter: Bool
        if case .parameter = prefix.tokens.last { afterParameter = true } else { afterParameter = false }
        switch shape {
        case .fileName:
            return afterParameter || siblings.filter { SegmentShape($0) == .fileName }.count >= 3
        case .numbered(let stem):
            return linked || siblings.contains { $0 != value && SegmentShape($0) == .numbered(prefix: stem) }
        case .word:
            // Words are route vocabulary (`list`, `create`, `start`) unless a response handed them out.
            return linked && !Self.actionWords.contains(value.lowercased())
        case .other:
            return linked || afterParameter
        default:
            return linked
        }
    }

    private func parameterName(values: [String], group: [Int], depth: Int, prefix: Result, paths: [RawPath]) -> (String, String) {
        let shapes = values.map(SegmentShape.init)
        let linkedField = group.lazy.compactMap { paths[$0].linkedFields[depth] }.first
        let continues = group.contains { paths[$0].segments.count > depth + 1 }
        var name: String
        var reason: String
        if shapes.allSatisfy({ $0 == .encodedPath }) {
            name = continues ? "folder" : "filePath"
            reason = "encoded absolute path"
        } else if shapes.allSatisfy({ $0 == .fileName }) {
            name = "fileName"
            reason = "file name"
        } else if let field = linkedField, !["id", "uuid", "_id", "key"].contains(field) {
            name = Naming.camelCase(field)
            reason = "value returned earlier in response field `\(field)`"
        } else {
            name = (lastLiteral(prefix.template).map { Naming.singular(Naming.camelCase($0)) } ?? "resource") + "Id"
            if let field = linkedField {
                reason = "value returned earlier in response field `\(field)`"
            } else {
                reason = "identifier-shaped values (\(Set(shapes.map(Self.shapeName)).sorted().joined(separator: ", ")))"
            }
        }
        if prefix.template.parameterNames.contains(name) {
            var counter = 2
            while prefix.template.parameterNames.contains("\(name)\(counter)") { counter += 1 }
            name = "\(name)\(counter)"
        }
        return (name, reason)
    }

    private func lastLiteral(_ template: PathTemplate) -> String? {
        for token in template.tokens.reversed() {
            if case .literal(let value) = token, SegmentShape(value) != .reserved { return value }
        }
        return nil
    }

    private static func shapeName(_ shape: SegmentShape) -> String {
        switch shape {
        case .integer: return "integer"
        case .uuid: return "uuid"
        case .hex: return "hex"
        case .ulid: return "ulid"
        case .token: return "token"
        case .encodedPath: return "encoded path"
        case .fileName: return "file name"
        case .numbered: return "numbered name"
        case .word: return "word"
        case .reserved: return "reserved"
        case .other: return "other"
        }
    }

    /// Segments that name what a route does; a response that happens to contain the same word is no
    /// reason to make them parameters.
    static let actionWords: Set<String> = [
        "list", "get", "create", "new", "add", "delete", "remove", "update", "edit", "save", "upload", "download",
        "start", "stop", "restart", "cancel", "pause", "resume", "run", "status", "log", "logs", "files", "search",
        "login", "logout", "auth", "me", "export", "import", "reset", "clone", "copy", "move", "rename", "refresh",
        "sync", "check", "verify", "validate", "publish", "archive", "settings", "config", "interrupt", "shutdown", "execute", "kill",
        "trust", "restore", "apply", "connect", "disconnect", "subscribe", "unsubscribe",
    ]
}
