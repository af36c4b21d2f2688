import JSONCore

/// `report.md`: what a person wants to read after a run.
enum ReportWriter {
    static func report(_ api: DiscoveredAPI) -> String {
        var lines: [String] = []
        lines.append("# \(api.appName) API: discovery report")
        lines.append("")
        let streams = api.endpoints.filter { $0.kind != .http }
        lines.append("\(api.endpoints.count) endpoints (\(streams.count) streams) from \(api.capture.describedExchanges) API exchanges of \(api.capture.exchanges) recorded\(api.baseURL.map { " at \($0)" } ?? "").")
        let findings = SecurityFindings.of(api)
        if !findings.isEmpty {
            lines.append("")
            lines.append("## Findings")
            lines.append("")
            for finding in findings { lines.append("- \(finding)") }
        }
        lines.append("")
        lines.append("## Endpoints by area")
        var byArea: [String: [DiscoveredEndpoint]] = [:]
        for endpoint in api.endpoints { byArea[OpenAPIWriter.area(of: endpoint.path), default: []].append(endpoint) }
        for area in byArea.keys.sorted() {
            lines.append("")
            lines.append("### \(area)")
            for endpoint in byArea[area]! {
                let statuses = endpoint.responses.map { "\($0.status)" }.joined(separator: "/")
                var line = "- `\(endpoint.method) \(endpoint.path)` `\(endpoint.operationName)`: \(endpoint.description)"
                line += " [\(endpoint.observations.count)x\(statuses.isEmpty ? "" : ", " + statuses)\(endpoint.source == "discovered" ? "" : ", " + endpoint.source)]"
                lines.append(line)
            }
        }
        if !api.steps.isEmpty {
            lines.append("")
            lines.append("## What each UI step called")
            lines.append("")
            for step in api.steps {
                lines.append("- \(step.flow) step \(step.step) (\(step.description)): \(step.calls.map { "`\($0)`" }.joined(separator: ", "))")
            }
        }
        if !streams.isEmpty {
            lines.append("")
            lines.append("## Streams")
            lines.append("")
            for endpoint in streams {
                let messages = (endpoint.stream?.messages ?? []).map { message in
                    "\(message.direction) `\(message.name)` x\(message.count)\(message.intervalSeconds.map { " every \(OperationNaming.format($0)) s" } ?? "")"
                }
                let framework = isFrameworkRoute(endpoint.path) ? " (framework dev-server socket, not app code)" : ""
                lines.append("- `\(endpoint.method) \(endpoint.path)` \(endpoint.kind.rawValue)\(framework), \(endpoint.stream?.connections ?? 0) connections: \(messages.joined(separator: "; "))")
            }
        }
        let polled = api.endpoints.filter { $0.polling != nil }
        if !polled.isEmpty {
            lines.append("")
            lines.append("## Polling")
            lines.append("")
            for endpoint in polled {
                let polling = endpoint.polling!
                let query = polling.query.isEmpty ? "" : "?" + polling.query.map { "\($0)=..." }.joined(separator: "&")
                lines.append("- `\(endpoint.method) \(endpoint.path)\(query)` every \(OperationNaming.format(polling.intervalSeconds)) s (\(polling.repeats) repeats)")
            }
        }
        lines.append("")
        lines.append("## Auth")
        lines.append("")
        if api.securitySchemes.isEmpty {
            lines.append("No credentials were seen on any request.")
        } else {
            for name in api.securitySchemes.keys.sorted() {
                lines.append("- `\(name)`: \(api.securitySchemes[name]!.serialized())")
            }
            let protected = api.endpoints.filter { $0.auth.requiresAuth }
            let open = api.endpoints.filter { $0.auth.acceptsAnonymous }
            let rejected = api.endpoints.filter { !$0.auth.rejectedWithout.isEmpty }
            lines.append("- \(protected.count) endpoints were only answered with credentials; \(rejected.count) answered \(Set(rejected.flatMap(\.auth.rejectedWithout)).sorted().map(String.init).joined(separator: "/")) without them.")
            if !open.isEmpty {
                lines.append("- Answered without credentials: \(open.map { "`\($0.method) \($0.path)`" }.joined(separator: ", ")).")
            }
        }
        if !api.links.isEmpty {
            lines.append("")
            lines.append("## Where request values come from")
            lines.append("")
            for link in api.links {
                lines.append("- `\(link.to)` \(link.location) `\(link.name)` <- `\(link.from)` response `\(link.field)` (\(link.count)x)")
            }
        }
        let downloads = api.endpoints.filter { $0.primaryResponse?.download != nil }
        if !downloads.isEmpty {
            lines.append("")
            lines.append("## Downloads and binary responses")
            lines.append("")
            for endpoint in downloads {
                let download = endpoint.primaryResponse!.download!
                lines.append("- `\(endpoint.method) \(endpoint.path)`: \(download.disposition), \(download.contentTypes.joined(separator: ", "))\(download.fileNameExample.map { ", e.g. `\($0)`" } ?? "")")
            }
        }
        let oddities = oddities(api)
        lines.append("")
        lines.append("## Oddities")
        lines.append("")
        lines.append(contentsOf: oddities.isEmpty ? ["Nothing odd was seen."] : oddities.map { "- " + $0 })
        if !api.notes.isEmpty {
            lines.append("")
            lines.append("## Notes")
            lines.append("")
            lines.append(contentsOf: api.notes.map { "- " + $0 })
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func oddities(_ api: DiscoveredAPI) -> [String] {
        var found: [String] = []
        for endpoint in api.endpoints where endpoint.source != "manual" {
            let key = "`\(endpoint.method) \(endpoint.path)`"
            let successes = endpoint.responses.filter { (200..<400).contains($0.status) }.reduce(0) { $0 + $1.count }
            if successes == 0 && endpoint.kind != .websocket {
                let statuses = endpoint.responses.map { "\($0.status)" }.joined(separator: "/")
                let failures = endpoint.observations.failures.keys.sorted().joined(separator: ", ")
                found.append("\(key) always failed (\([statuses, failures].filter { !$0.isEmpty }.joined(separator: "; ")), \(endpoint.observations.count) calls).")
            }
            if endpoint.method != "GET" && endpoint.method != "HEAD" && endpoint.method != "OPTIONS" && endpoint.auth.acceptsAnonymous {
                found.append("\(key) accepts writes without credentials.")
            }
            if endpoint.method == "GET", let last = PathTemplate(parsing: endpoint.path).tokens.last, case .literal(let word) = last,
                let verb = Naming.words(word).first, ["start", "stop", "delete", "remove", "create", "update", "mark", "save", "reset", "cancel"].contains(verb)
            {
                found.append("\(key) changes state with a GET (\(word)).")
            }
            if isFrameworkRoute(endpoint.path) {
                found.append("\(key) belongs to the framework's dev server, not the application.")
            }
        }
        return found
    }

    static func isFrameworkRoute(_ path: String) -> Bool {
        path.hasPrefix("/_next/") || path.hasPrefix("/__webpack") || path.hasPrefix("/sockjs-node") || path.hasPrefix("/@vite") || path.hasPrefix("/__vite")
    }
}
