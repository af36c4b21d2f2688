import JSONCore

/// Names a person would give each endpoint (`createDataset`, `startJob`, `getJobLog`), and a
/// one-line description, from the method, the route, the traffic and the UI step that called it.
enum OperationNaming {
    static let verbs: Set<String> = [
        "list", "get", "create", "delete", "remove", "update", "upload", "download", "start", "stop", "restart", "cancel",
        "mark", "save", "sample", "check", "set", "add", "run", "login", "logout", "search", "sync", "export", "import",
        "reset", "clone", "copy", "move", "rename", "refresh", "validate", "verify", "publish", "pause", "resume", "fetch",
        "generate", "send", "submit", "test", "retry", "approve", "reject", "archive", "enable", "disable", "find", "query",
    ]

    static func assign(_ api: inout DiscoveredAPI) {
        var used: Set<String> = []
        let listLike = Set(api.endpoints.filter { $0.method == "GET" && isListLike($0.primaryResponse?.schema, path: $0.path) }.map(\.path))
        let readable = Set(api.endpoints.filter { $0.method == "GET" }.map(\.path))
        // A step's button names the call only when that step made a single write.
        var soleWrites: [String: String] = [:]
        for step in api.steps {
            let writes = step.calls.filter { !$0.hasPrefix("GET ") && !$0.hasPrefix("HEAD ") }
            if writes.count == 1 { soleWrites["\(step.flow)#\(step.step)"] = writes[0] }
        }
        for index in api.endpoints.indices {
            var endpoint = api.endpoints[index]
            let base = endpoint.operationName.isEmpty ? name(for: endpoint, listLikePaths: listLike, readablePaths: readable, soleWrites: soleWrites) : endpoint.operationName
            var unique = base
            if used.contains(unique) { unique = base + Naming.pascalCase(endpoint.method.lowercased()) }
            var counter = 2
            while used.contains(unique) {
                unique = base + String(counter)
                counter += 1
            }
            used.insert(unique)
            endpoint.operationName = unique
            if endpoint.description.isEmpty { endpoint.description = describe(endpoint) }
            api.endpoints[index] = endpoint
        }
    }

    static func name(
        for endpoint: DiscoveredEndpoint, listLikePaths: Set<String>, readablePaths: Set<String> = [], soleWrites: [String: String] = [:]
    ) -> String {
        let template = PathTemplate(parsing: endpoint.path)
        let tokens = template.tokens.filter {
            if case .literal(let value) = $0 { return SegmentShape(value) != .reserved } else { return true }
        }
        let literals = tokens.compactMap { if case .literal(let value) = $0 { return value } else { return nil } }
        guard let lastToken = tokens.last else { return endpoint.method.lowercased() + "Root" }
        switch endpoint.kind {
        case .websocket: return camel(["connect"] + literals.flatMap(Naming.words))
        case .sse, .ndjson: return camel(["stream"] + (literals.last.map(Naming.words) ?? ["events"]))
        case .http: break
        }
        // One URL for many operations (JSON-RPC, GraphQL): no single verb fits it; each operation is named.
        if !endpoint.operations.isEmpty { return camel(["call"] + literals.flatMap(Naming.words)) }
        let method = endpoint.method
        switch lastToken {
        case .parameter, .rest:
            var resource = literals.last.map { Naming.words(Naming.singular($0)) } ?? ["item"]
            // `file={+path}`: the literal in the parameter's own segment names what it is.
            if case .rest(_, let prefix) = lastToken, !Naming.words(prefix).isEmpty { resource = Naming.words(prefix) }
            switch method {
            case "GET", "HEAD":
                if let download = endpoint.primaryResponse?.download {
                    return camel([download.disposition == "attachment" ? "download" : "get"] + resource)
                }
                return camel(["get"] + resource)
            case "DELETE": return camel(["delete"] + resource)
            case "POST": return camel(["create"] + resource)
            default: return camel(["update"] + resource)
            }
        case .literal(let last):
            let words = Naming.words(last)
            let parentIsParameter: Bool
            if tokens.count >= 2, case .parameter = tokens[tokens.count - 2] { parentIsParameter = true } else { parentIsParameter = false }
            let parent = literals.dropLast().last
            if let verb = words.first, verbs.contains(verb), words.count >= 1 {
                let rest = Array(words.dropFirst())
                guard let parent else { return camel(words) }
                var resource = Naming.words(parent)
                if verb != "list" || parentIsParameter || !rest.isEmpty { resource = Naming.words(Naming.singular(parent)) }
                var tail = rest
                if verb == "upload", tail.isEmpty, let files = endpoint.request?.multipart?.first(where: \.isFile) {
                    tail = Naming.words(files.name)
                    if Naming.singularWord(tail.last ?? "") == tail.last, files.maxPerRequest > 1 || files.name.hasSuffix("s") {
                        tail = tail.dropLast() + [(tail.last ?? "file") + "s"]
                    }
                    if tail.isEmpty { tail = ["files"] }
                }
                return camel([verb] + resource + tail)
            }
            if parentIsParameter, let parent {
                let owner = Naming.words(Naming.singular(parent))
                let plural = Naming.isPlural(last)
                switch method {
                case "GET", "HEAD": return camel([plural ? "list" : "get"] + owner + words)
                case "DELETE": return camel(["delete"] + owner + words)
                case "POST": return camel(["create"] + owner + words)
                default: return camel(["update"] + owner + words)
                }
            }
            let owner = parent.map { Naming.words(Naming.singular($0)) } ?? []
            switch method {
            case "GET", "HEAD":
                let listLike = isListLike(endpoint.primaryResponse?.schema, path: endpoint.path)
                return camel([listLike && Naming.isPlural(last) ? "list" : "get"] + owner + words)
            case "DELETE":
                return camel(["delete"] + owner + Naming.words(Naming.singular(last)))
            case "POST":
                if let verb = stepVerb(endpoint, soleWrites: soleWrites) {
                    let noun = verb == "save" || verb == "update" ? words : Naming.words(Naming.singular(last))
                    return camel([verb] + owner + noun)
                }
                if listLikePaths.contains(endpoint.path) { return camel(["create"] + owner + Naming.words(Naming.singular(last))) }
                // A POST beside a GET that answers one object (settings) updates that object.
                if readablePaths.contains(endpoint.path) { return camel(["update"] + owner + words) }
                if owner.isEmpty { return camel(["create"] + Naming.words(Naming.singular(last))) }
                return camel(["update"] + owner + words)
            default:
                return camel(["update"] + owner + words)
            }
        }
    }

    /// The first word of the button a step clicked, when it is a verb: `click role=button "Create Job"` -> create.
    /// The verb of the button that made this call, when every step that made it was such a button
    /// with the same verb. A call some other step made too (a read done as POST, as Prefect's
    /// `/count`, fired by page loads and by a Delete click alike) is named by its route: otherwise its
    /// name would depend on which step a run happened to see it under.
    private static func stepVerb(_ endpoint: DiscoveredEndpoint, soleWrites: [String: String]) -> String? {
        guard !endpoint.provenance.isEmpty,
            endpoint.provenance.allSatisfy({ soleWrites["\($0.flow)#\($0.step)"] == endpoint.key })
        else { return nil }
        var found: Set<String> = []
        for step in endpoint.provenance {
            guard step.description.lowercased().hasPrefix("click") || step.description.lowercased().hasPrefix("press"),
                let open = step.description.firstIndex(of: "\"")
            else { return nil }
            let quoted = step.description[step.description.index(after: open)...].prefix { $0 != "\"" }
            guard let first = Naming.words(String(quoted)).first, verbs.contains(first) else { return nil }
            found.insert(first)
        }
        return found.count == 1 ? found.first : nil
    }

    /// An array, an object with few members one of which is an array (`{jobs: [...]}`), or an object
    /// with an array named like the route (`/api/jobs` -> `jobs`).
    static func isListLike(_ schema: JSON?, path: String) -> Bool {
        guard let schema else { return false }
        if let variants = schema["oneOf"]?.arrayValue { return variants.contains { isListLike($0, path: path) } }
        let types = SchemaSketch.typeNames(schema)
        if types.contains("array") { return true }
        guard types.contains("object"), let properties = schema["properties"]?.objectValue else { return false }
        let arrays = properties.filter { SchemaSketch.typeNames($0.value).contains("array") }.map(\.key)
        if let last = path.split(separator: "/").last.map(String.init), arrays.contains(where: { Naming.singular($0) == Naming.singular(last) }) { return true }
        return properties.count <= 3 && !arrays.isEmpty
    }

    private static func camel(_ words: [String]) -> String {
        var cleaned: [String] = []
        for word in words where !word.isEmpty {
            if cleaned.last == word { continue }
            cleaned.append(word)
        }
        return Naming.camelCase(words: cleaned)
    }

    static func describe(_ endpoint: DiscoveredEndpoint) -> String {
        var words = Naming.words(endpoint.operationName)
        if let first = words.first { words[0] = Naming.capitalized(first) }
        var text = words.joined(separator: " ") + "."
        switch endpoint.kind {
        case .sse: text += " Server-sent events stream."
        case .ndjson: text += " Newline-delimited JSON stream."
        case .websocket: text += " WebSocket."
        case .http: break
        }
        if let request = endpoint.request, let sent = shapeSummary(request.schema) { text += " Sends \(sent)." }
        if let download = endpoint.primaryResponse?.download, download.disposition == "attachment" {
            text += " Answers a file download."
        } else if endpoint.kind == .http, let schema = endpoint.primaryResponse?.schema, let answer = shapeSummary(schema) {
            text += " Returns \(answer)."
        }
        if let polling = endpoint.polling {
            let with = polling.query.isEmpty ? "" : " (with \(polling.query.map { "`\($0)`" }.joined(separator: ", ")))"
            text += endpoint.kind == .http ? " Polled every \(format(polling.intervalSeconds)) s\(with)." : " Reconnected every \(format(polling.intervalSeconds)) s."
        }
        if let step = endpoint.provenance.first(where: { !$0.description.isEmpty }) {
            text += " Called by \(step.flow) step \(step.step) (\(step.description))."
        }
        return text
    }

    /// `{name, success}`, `an array of string`, `{jobs: array} or an object`: a body's outline in a few words.
    static func shapeSummary(_ schema: JSON, depth: Int = 0) -> String? {
        if let variants = schema["oneOf"]?.arrayValue {
            let parts = variants.compactMap { shapeSummary($0, depth: depth) }
            return parts.isEmpty ? nil : parts.joined(separator: " or ")
        }
        let types = SchemaSketch.typeNames(schema).filter { $0 != "null" }
        guard let type = types.first else { return nil }
        switch type {
        case "object":
            if schema["additionalProperties"]?.objectValue != nil { return "a map" }
            guard let properties = schema["properties"]?.objectValue, !properties.isEmpty else { return "an object" }
            let keys = properties.keys.sorted()
            let shown = keys.prefix(5).joined(separator: ", ")
            return "{" + shown + (keys.count > 5 ? ", … (\(keys.count) fields)" : "") + "}"
        case "array":
            guard depth == 0, let items = schema["items"], let inner = shapeSummary(items, depth: 1) else { return "an array" }
            return "an array of \(inner)"
        default:
            return schema["format"]?.stringValue == "binary" ? "a file" : type
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds.rounded() == seconds ? String(Int(seconds)) : String(seconds)
    }
}
