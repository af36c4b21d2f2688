/// WebSocket, server-sent-event and NDJSON endpoints: their message kinds with counts and intervals
/// (from discovery), then each connection the run opened with its first messages (from the capture).
enum StreamsSection {
    static func write(_ api: DiscoveredAPI, requests: [TimelineCollector.Request], into html: inout HTMLText) {
        html.raw("<section id=\"streams\">\n<h2>Streams</h2>\n")
        let streams = api.endpoints.filter { $0.kind != .http }
        if streams.isEmpty { html.raw("<p class=\"note\">No WebSocket or streamed response was seen.</p>\n") }
        let connections = requests.filter { $0.kind != .http }.map { ($0, URLParts.segments(of: $0.path)) }
        for endpoint in streams {
            html.raw("<div class=\"stream-endpoint\" id=\"")
            html.add(HTMLText.anchor("stream-", endpoint.key))
            html.raw("\"><h3><span class=\"method m-\(endpoint.method.lowercased())\">")
            html.add(endpoint.method)
            html.raw("</span> <code>")
            html.add(endpoint.path)
            html.raw("</code> <span class=\"badge\">")
            html.add(endpoint.kind.rawValue)
            html.raw("</span> <span class=\"aside\">")
            html.add("\(endpoint.stream?.connections ?? 0) connections" + (endpoint.stream?.subprotocol.map { ", subprotocol \($0)" } ?? ""))
            if ReportWriter.isFrameworkRoute(endpoint.path) { html.add(", the framework's dev-server socket") }
            html.raw("</span></h3>\n<table class=\"kinds\"><thead><tr><th>direction</th><th>kind</th><th>count</th><th>interval</th><th>example</th></tr></thead><tbody>\n")
            for message in endpoint.stream?.messages ?? [] {
                html.raw("<tr><td>")
                html.add(message.direction)
                html.raw("</td><td><code>")
                html.add(message.name)
                html.raw("</code></td><td>\(message.count)</td><td>")
                html.add(message.intervalSeconds.map { "every \(OperationNaming.format($0)) s" } ?? "")
                html.raw("</td><td>")
                if let example = message.example { SchemaTree.example(example, into: &html, label: "show") }
                html.raw("</td></tr>\n")
            }
            html.raw("</tbody></table>\n")
            let template = PathTemplate(parsing: endpoint.path)
            let opened = connections.filter { $0.0.method == endpoint.method && template.matches($0.1) }.map(\.0)
            if !opened.isEmpty {
                html.raw("<ul class=\"connections\">")
                for connection in opened.prefix(20) {
                    html.raw("<li><details><summary>")
                    var line = "\(connection.path): \(connection.messageCount) messages"
                    if let end = connection.endedAt { line += " over \(HTMLText.duration(end - connection.startedAt))" }
                    if let flow = connection.flow, let step = connection.step { line += ", opened by \(flow) step \(step)" }
                    html.add(line)
                    html.raw("</summary><pre>")
                    html.addText(connection.samples.isEmpty ? "(no message)" : connection.samples.joined(separator: "\n"))
                    html.raw("</pre></details></li>")
                }
                if opened.count > 20 {
                    html.raw("<li class=\"more\">")
                    html.add("… \(opened.count - 20) more connections in capture.jsonl")
                    html.raw("</li>")
                }
                html.raw("</ul>\n")
            }
            html.raw("</div>\n")
        }
        html.raw("</section>\n")
    }
}
