import JSONCore

/// The API catalog: endpoints by area (as `report.md` and the OpenAPI tags group them), each a
/// `<details>` whose summary line is what a filter matches on. The `data-` attributes are the filter's
/// only input, so filtering never reads the page's text.
enum CatalogSection {
    static func write(_ api: DiscoveredAPI, into html: inout HTMLText) {
        var byArea: [String: [DiscoveredEndpoint]] = [:]
        for endpoint in api.endpoints { byArea[OpenAPIWriter.area(of: endpoint.path), default: []].append(endpoint) }
        let areas = byArea.keys.sorted()
        let methods = Set(api.endpoints.map(\.method)).sorted()
        let schemes = Set(api.endpoints.flatMap(\.auth.schemes)).sorted()

        html.raw("<section id=\"catalog\">\n<h2>API catalog</h2>\n")
        // Hidden until the script runs: with JavaScript off there is nothing to filter with.
        html.raw("<form class=\"filters\" id=\"filters\" hidden>")
        html.raw("<input type=\"search\" id=\"filter-text\" placeholder=\"Filter: path, name, step…\" aria-label=\"Filter by text\">")
        select("filter-method", "Method", "any method", methods, into: &html)
        select("filter-area", "Area", "any area", areas, into: &html)
        select("filter-auth", "Auth", "any auth", ["none"] + schemes, into: &html)
        html.raw("<output id=\"filter-count\"></output></form>\n")
        let incoming = Dictionary(grouping: api.links, by: \.to)
        let outgoing = Dictionary(grouping: api.links, by: \.from)
        let stepsByCall = stepsCalling(api)
        for area in areas {
            html.raw("<div class=\"area\" data-area=\"")
            html.add(area)
            html.raw("\"><h3>")
            html.add(area)
            html.raw("</h3>\n")
            for endpoint in byArea[area]! {
                write(endpoint, area: area, incoming: incoming[endpoint.key] ?? [], outgoing: outgoing[endpoint.key] ?? [],
                      steps: stepsByCall[endpoint.key] ?? [], into: &html)
            }
            html.raw("</div>\n")
        }
        if api.endpoints.isEmpty { html.raw("<p class=\"note\">No endpoint was described.</p>\n") }
        html.raw("</section>\n")
    }

    private static func select(_ id: String, _ label: String, _ any: String, _ values: [String], into html: inout HTMLText) {
        html.raw("<select id=\"\(id)\" aria-label=\"\(label)\"><option value=\"\">\(any)</option>")
        for value in values {
            html.raw("<option>")
            html.add(value)
            html.raw("</option>")
        }
        html.raw("</select>")
    }

    /// `METHOD /path` -> the steps that called it (`StepCalls.calls` holds endpoint keys).
    static func stepsCalling(_ api: DiscoveredAPI) -> [String: [StepCalls]] {
        var result: [String: [StepCalls]] = [:]
        for step in api.steps {
            for call in step.calls { result[call, default: []].append(step) }
        }
        return result
    }

    static func authText(_ endpoint: DiscoveredEndpoint) -> String {
        if endpoint.auth.schemes.isEmpty { return "none" }
        return endpoint.auth.requirements.map { $0.joined(separator: " + ") }.joined(separator: " or ")
    }

    private static func write(
        _ endpoint: DiscoveredEndpoint, area: String, incoming: [DataLink], outgoing: [DataLink], steps: [StepCalls], into html: inout HTMLText
    ) {
        let authValues = endpoint.auth.schemes.isEmpty ? "none" : endpoint.auth.schemes.joined(separator: " ")
        let searchable = [endpoint.method, endpoint.path, endpoint.operationName, endpoint.description, endpoint.kind.rawValue]
            + steps.map { "\($0.flow) \($0.description)" }
        html.raw("<details class=\"endpoint\" id=\"")
        html.add(HTMLText.anchor("ep-", endpoint.key))
        html.raw("\" data-method=\"")
        html.add(endpoint.method)
        html.raw("\" data-area=\"")
        html.add(area)
        html.raw("\" data-auth=\"")
        html.add(authValues)
        html.raw("\" data-text=\"")
        html.add(HTMLText.asciiLowercased(searchable.joined(separator: " ")))
        html.raw("\">\n<summary><span class=\"method m-\(endpoint.method.lowercased())\">")
        html.add(endpoint.method)
        html.raw("</span> <code class=\"path\">")
        html.add(endpoint.path)
        html.raw("</code> <span class=\"op\">")
        html.add(endpoint.operationName)
        html.raw("</span>")
        if endpoint.kind != .http {
            html.raw(" <span class=\"badge\">")
            html.add(endpoint.kind.rawValue)
            html.raw("</span>")
        }
        for response in endpoint.responses {
            html.raw(" <span class=\"status \(statusClass(response.status))\">\(response.status)</span>")
        }
        html.raw(" <span class=\"auth\" title=\"credentials seen\">")
        html.add(endpoint.auth.schemes.isEmpty ? "no auth" : authText(endpoint))
        html.raw("</span> <span class=\"count\">\(endpoint.observations.count)×</span>")
        if endpoint.source != "discovered" {
            html.raw(" <span class=\"badge\">")
            html.add(endpoint.source)
            html.raw("</span>")
        }
        html.raw("</summary>\n<div class=\"detail\">")
        if !endpoint.description.isEmpty {
            html.raw("<p>")
            html.add(endpoint.description)
            html.raw("</p>")
        }
        if let notes = endpoint.notes {
            html.raw("<p class=\"note\">")
            html.add(notes)
            html.raw("</p>")
        }
        parameters(endpoint.parameters, into: &html)
        if let request = endpoint.request {
            html.raw("<h4>Request body <span class=\"aside\">")
            html.add(request.contentType + (request.sentContentType.map { " (sent as \($0))" } ?? ""))
            html.raw("</span></h4>")
            if let parts = request.multipart {
                html.raw("<ul class=\"tree\">")
                for part in parts {
                    html.raw("<li><span class=\"k\">")
                    html.add(part.name)
                    html.raw("</span> <span class=\"t\">")
                    html.add(part.isFile ? "file \(part.contentTypes.joined(separator: ", "))" : "field")
                    html.raw("</span>")
                    if part.required { html.raw(" <span class=\"req\">required</span>") }
                    html.raw("</li>")
                }
                html.raw("</ul>")
            } else {
                SchemaTree.write(request.schema, into: &html)
            }
            if let example = request.examples.first { SchemaTree.example(example, into: &html) }
        }
        for response in endpoint.responses {
            html.raw("<h4>Response <span class=\"status \(statusClass(response.status))\">\(response.status)</span> <span class=\"aside\">")
            html.add("\(response.count)×" + (response.contentType.map { ", \($0)" } ?? ""))
            if let download = response.download {
                html.add(", \(download.disposition) download" + (download.fileNameExample.map { " (\($0))" } ?? ""))
            }
            html.raw("</span></h4>")
            if let schema = response.schema { SchemaTree.write(schema, into: &html) }
            if let example = response.examples.first { SchemaTree.example(example, into: &html) }
        }
        if !endpoint.operations.isEmpty {
            html.raw("<h4>Operations</h4><ul>")
            for operation in endpoint.operations {
                html.raw("<li><code>")
                html.add("\(operation.field) = \(operation.name)")
                html.raw("</code> ")
                html.add("\(operation.count)×")
                html.raw("</li>")
            }
            html.raw("</ul>")
        }
        if let stream = endpoint.stream {
            html.raw("<p>")
            html.add("\(stream.connections) connections, \(stream.messages.count) message kinds: ")
            html.raw("<a href=\"#")
            html.add(HTMLText.anchor("stream-", endpoint.key))
            html.raw("\">see Streams</a></p>")
        }
        if let polling = endpoint.polling {
            html.raw("<p>")
            html.add("Polled every \(OperationNaming.format(polling.intervalSeconds)) s (\(polling.repeats) repeats).")
            html.raw("</p>")
        }
        if !steps.isEmpty {
            html.raw("<h4>Called by</h4><ul class=\"called\">")
            for step in steps {
                html.raw("<li>")
                html.add("\(step.flow) step \(step.step): \(step.description)")
                html.raw("</li>")
            }
            html.raw("</ul>")
        }
        if !incoming.isEmpty || !outgoing.isEmpty {
            html.raw("<h4>Links</h4><ul class=\"links\">")
            for link in incoming {
                html.raw("<li><code>")
                html.add(link.name)
                html.raw("</code> (")
                html.add(link.location)
                html.raw(") comes from <a href=\"#")
                html.add(HTMLText.anchor("ep-", link.from))
                html.raw("\"><code>")
                html.add(link.from)
                html.raw("</code></a> → <code>")
                html.add(link.field)
                html.raw("</code> ")
                html.add("(\(link.count)×)")
                html.raw("</li>")
            }
            for link in outgoing {
                html.raw("<li><code>")
                html.add(link.field)
                html.raw("</code> feeds <a href=\"#")
                html.add(HTMLText.anchor("ep-", link.to))
                html.raw("\"><code>")
                html.add(link.to)
                html.raw("</code></a> ")
                html.add("\(link.location) \(link.name) (\(link.count)×)")
                html.raw("</li>")
            }
            html.raw("</ul>")
        }
        html.raw("</div></details>\n")
    }

    private static func parameters(_ parameters: [DiscoveredParameter], into html: inout HTMLText) {
        guard !parameters.isEmpty else { return }
        html.raw("<h4>Parameters</h4><table class=\"params\"><thead><tr><th>name</th><th>in</th><th>type</th><th>examples</th><th>why</th></tr></thead><tbody>")
        for parameter in parameters {
            html.raw("<tr><td><code>")
            html.add(parameter.name)
            html.raw("</code>")
            if parameter.required { html.raw(" <span class=\"req\">required</span>") }
            html.raw("</td><td>")
            html.add(parameter.location.rawValue)
            html.raw("</td><td>")
            html.add(SchemaTree.typeText(parameter.schema))
            html.raw("</td><td>")
            html.add(parameter.examples.joined(separator: ", "))
            html.raw("</td><td>")
            html.add(parameter.evidence ?? "")
            html.raw("</td></tr>")
        }
        html.raw("</tbody></table>")
    }

    static func statusClass(_ status: Int?) -> String {
        switch status ?? 0 {
        case 100..<300: return "s2"
        case 300..<400: return "s3"
        case 400..<500: return "s4"
        case 500...: return "s5"
        default: return "sx"
        }
    }
}
