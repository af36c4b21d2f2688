import JSONCore

/// What changed since the baseline: breaking changes first, each with the rule that makes it breaking
/// and the evidence (which run reached the endpoint, and how often), then the rest; a changed endpoint
/// can be opened to see its shapes before and after side by side.
enum ChangesSection {
    static func write(_ diff: APIDiff, old: DiscoveredAPI?, new: DiscoveredAPI, into html: inout HTMLText) {
        html.raw("<section id=\"changes\">\n<h2>Changes since the baseline</h2>\n")
        let oldByKey = Dictionary((old?.endpoints ?? []).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let newByKey = Dictionary(new.endpoints.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let oldByShape = Dictionary((old?.endpoints ?? []).map { ($0.normalizedKey, $0) }, uniquingKeysWith: { first, _ in first })
        if diff.changes.isEmpty {
            html.raw("<p class=\"good\">No changes.</p>\n")
        } else {
            let breaking = diff.changes.filter(\.breaking).count
            html.raw("<p class=\"summary\">")
            html.add("\(diff.changes.count) changes, \(breaking) breaking, on \(Set(diff.changes.map(\.endpoint)).count) endpoints.")
            html.raw("</p>\n")
        }
        for (title, isBreaking) in [("Breaking", true), ("Not breaking", false)] {
            let selected = diff.changes.filter { $0.breaking == isBreaking }
            guard !selected.isEmpty else { continue }
            html.raw("<h3>")
            html.add("\(title) (\(selected.count))")
            html.raw("</h3>\n<table class=\"changes \(isBreaking ? "breaking" : "compatible")\"><thead><tr><th>change</th><th>endpoint</th><th>what</th>")
            html.raw(isBreaking ? "<th>rule</th>" : "")
            html.raw("<th>evidence</th></tr></thead><tbody>\n")
            for change in selected {
                html.raw("<tr class=\"change \(isBreaking ? "breaking" : "compatible")\"><td><span class=\"badge \(change.kind.rawValue)\">")
                html.add(change.kind.rawValue)
                html.raw("</span></td><td><code>")
                html.add(change.endpoint)
                html.raw("</code></td><td>")
                html.add(change.detail.isEmpty ? "the whole endpoint" : change.detail)
                html.raw("</td>")
                if isBreaking {
                    html.raw("<td>")
                    html.add(rule(change))
                    html.raw("</td>")
                }
                let before = oldByKey[change.endpoint] ?? newByKey[change.endpoint].flatMap { oldByShape[$0.normalizedKey] }
                html.raw("<td>")
                html.add(evidence(before: change.kind == .added ? nil : before, after: change.kind == .removed ? nil : newByKey[change.endpoint], new: new))
                html.raw("</td></tr>\n")
            }
            html.raw("</tbody></table>\n")
        }
        let changed = Array(Set(diff.changes.filter { $0.kind == .changed }.map(\.endpoint))).sorted()
        if !changed.isEmpty {
            html.raw("<h3>Before and after</h3>\n")
            for key in changed {
                guard let after = newByKey[key], let before = oldByKey[key] ?? oldByShape[after.normalizedKey] else { continue }
                html.raw("<details class=\"sidebyside\"><summary><code>")
                html.add(key)
                html.raw("</code></summary><div class=\"columns\"><div><h4>baseline</h4>")
                shapes(before, into: &html)
                html.raw("</div><div><h4>this run</h4>")
                shapes(after, into: &html)
                html.raw("</div></div></details>\n")
            }
        }
        if !diff.notReached.isEmpty {
            html.raw("<h3>")
            html.add("Not compared (\(diff.notReached.count))")
            html.raw("</h3>\n<p class=\"note\">The flows that reached these before did not pass this time: no evidence either way.</p><ul>")
            for key in diff.notReached {
                html.raw("<li><code>")
                html.add(key)
                html.raw("</code></li>")
            }
            html.raw("</ul>\n")
        }
        html.raw("</section>\n")
    }

    /// The rule of `discover diff` (after Optic's) that made a change breaking, from what it says.
    static func rule(_ change: APIDiff.Change) -> String {
        let detail = change.detail
        switch change.kind {
        case .removed: return detail.isEmpty ? "operation removed: a client calling it gets an error" : "stream removed: a client listening gets nothing"
        case .added: return "a new endpoint the client must call"
        case .changed: break
        }
        if detail.hasPrefix("kind ") { return "the endpoint's kind changed: a client reads it another way" }
        if detail.hasPrefix("response "), detail.hasSuffix(" removed"), !detail.contains(".") { return "success status removed" }
        if detail.contains("content type") { return "content type changed: a client parses another format" }
        if detail.hasPrefix("query parameter") { return "new required query parameter" }
        if detail.hasPrefix("operation "), detail.hasSuffix(" removed") { return "JSON-RPC or GraphQL operation removed" }
        if detail.hasPrefix("request body added") { return "request body now required" }
        if detail.hasPrefix("stream message") { return detail.contains("no longer seen") ? "stream message no longer sent" : "stream message shape changed" }
        if detail.contains(": type ") { return detail.hasPrefix("response") ? "response property retyped" : "request property retyped" }
        if detail.hasSuffix(" removed") { return "response property removed: a client reading it gets nothing" }
        return "breaking for an existing client"
    }

    /// Which run reached the endpoint, how often and from which steps.
    static func evidence(before: DiscoveredEndpoint?, after: DiscoveredEndpoint?, new: DiscoveredAPI) -> String {
        func reach(_ endpoint: DiscoveredEndpoint) -> String {
            let steps = endpoint.provenance.prefix(2).map { "\($0.flow) step \($0.step)" }
            return "\(endpoint.observations.count)×" + (steps.isEmpty ? "" : " by " + steps.joined(separator: ", ") + (endpoint.provenance.count > 2 ? "…" : ""))
        }
        var parts: [String] = []
        if let before { parts.append("baseline: " + reach(before)) }
        if let after { parts.append("this run: " + reach(after)) }
        if after == nil, let before {
            let flows = Set(before.provenance.map(\.flow)).sorted()
            let passed = flows.filter { new.capture.flows[$0] == "passed" }
            if !flows.isEmpty { parts.append("not called this time, though \(passed.count) of \(flows.count) flows that called it passed") }
        }
        return parts.joined(separator: "; ")
    }

    private static func shapes(_ endpoint: DiscoveredEndpoint, into html: inout HTMLText) {
        for parameter in endpoint.parameters where parameter.location == .query {
            html.raw("<p><code>")
            html.add("?\(parameter.name)")
            html.raw("</code> ")
            html.add(parameter.required ? "required" : "optional")
            html.raw("</p>")
        }
        if let request = endpoint.request {
            html.raw("<p>request body</p>")
            SchemaTree.write(request.schema, into: &html)
        }
        for response in endpoint.responses {
            html.raw("<p>")
            html.add("response \(response.status)")
            html.raw("</p>")
            if let schema = response.schema { SchemaTree.write(schema, into: &html) }
        }
        for message in endpoint.stream?.messages ?? [] {
            html.raw("<p>")
            html.add("\(message.direction) \(message.name)")
            html.raw("</p>")
            SchemaTree.write(message.schema, into: &html)
        }
    }
}
