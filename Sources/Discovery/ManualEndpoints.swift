import Foundation
import JSONCore

/// Hand-written endpoints (the seed's `addEndpoint` entries) from `manual-endpoints.json`: either a
/// list or `{"endpoints": [...]}` of `{method, path, description, requestBody?, responseExample?, notes?}`.
/// Discovered facts win on shape, hand-written ones on wording; disagreements become report notes.
struct ManualEndpoint: Sendable, Equatable {
    var method: String
    var path: String
    var description: String
    var requestBody: JSON?
    var responseExample: JSON?
    var notes: String?
    var operationName: String?
}

enum ManualEndpoints {
    static func load(_ url: URL) throws -> [ManualEndpoint] {
        let json: JSON
        do {
            json = try JSON.parse(bytes: [UInt8](Data(contentsOf: url)))
        } catch let error as JSONParseError {
            throw DiscoveryError.invalidFile(url.path, "\(error)")
        }
        guard let list = json.arrayValue ?? json["endpoints"]?.arrayValue else {
            throw DiscoveryError.invalidFile(url.path, "expected a list of endpoints or {\"endpoints\": [...]}")
        }
        return try list.enumerated().map { position, item in
            guard let method = item["method"]?.stringValue, let path = item["path"]?.stringValue else {
                throw DiscoveryError.invalidFile(url.path, "endpoint \(position): `method` and `path` are required")
            }
            return ManualEndpoint(
                method: method.uppercased(), path: path, description: item["description"]?.stringValue ?? "",
                requestBody: item["requestBody"].flatMap { $0 == .null ? nil : $0 },
                responseExample: item["responseExample"].flatMap { $0 == .null ? nil : $0 },
                notes: item["notes"]?.stringValue, operationName: item["operationName"]?.stringValue)
        }
    }

    static func merge(_ entries: [ManualEndpoint], into api: inout DiscoveredAPI) {
        for entry in entries {
            let manualTemplate = PathTemplate(parsing: entry.path)
            let segments = URLParts.segments(of: entry.path)
            let match = api.endpoints.firstIndex {
                $0.method == entry.method
                    && (PathTemplate(parsing: $0.path).normalized == manualTemplate.normalized || PathTemplate(parsing: $0.path).matches(segments))
            }
            guard let index = match else {
                api.endpoints.append(manualOnly(entry, namedLike: api.endpoints))
                continue
            }
            var endpoint = api.endpoints[index]
            let label = "\(entry.method) \(entry.path)"
            if !entry.description.isEmpty { endpoint.description = entry.description }
            if let notes = entry.notes { endpoint.notes = notes }
            if let name = entry.operationName { endpoint.operationName = name }
            endpoint.source = "discovered+manual"
            if let sketch = entry.requestBody {
                let written = topLevelKeys(SchemaSketch.schema(fromSketch: sketch))
                if let request = endpoint.request {
                    let seen = topLevelKeys(request.schema)
                    if written != seen {
                        api.notes.append("Conflict on \(label): the hand-written requestBody has {\(written.joined(separator: ", "))}, the traffic showed {\(seen.joined(separator: ", "))}; the discovered shape is kept.")
                    }
                } else {
                    api.notes.append("Conflict on \(label): a requestBody is written by hand but no request body was seen; the hand-written one is used.")
                    endpoint.request = DiscoveredRequest(contentType: "application/json", schema: SchemaSketch.schema(fromSketch: sketch))
                }
            }
            if let example = entry.responseExample {
                let written = topLevelKeys(SchemaSketch.schema(fromExample: example))
                if let response = endpoint.primaryResponse, let schema = response.schema {
                    let seen = topLevelKeys(schema)
                    if written != seen {
                        api.notes.append("Conflict on \(label): the hand-written responseExample has {\(written.joined(separator: ", "))}, the traffic showed {\(seen.joined(separator: ", "))}; the discovered shape is kept.")
                    }
                }
            }
            if PathTemplate(parsing: endpoint.path).normalized != manualTemplate.normalized, !manualTemplate.parameterNames.isEmpty {
                api.notes.append("Conflict on \(label): the traffic showed the route as \(endpoint.path); the discovered template is kept.")
            }
            api.endpoints[index] = endpoint
        }
        api.endpoints.sort { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    /// A parameter takes the name discovery gave the same position on a sibling route
    /// (`/api/jobs/{job}/stop` beside a discovered `/api/jobs/{jobId}/start` becomes `{jobId}`).
    private static func aligned(_ template: PathTemplate, with endpoints: [DiscoveredEndpoint]) -> PathTemplate {
        var tokens = template.tokens
        for (position, token) in tokens.enumerated() {
            guard case .parameter = token else { continue }
            let prefix = PathTemplate(tokens: Array(tokens[...position])).normalized
            for endpoint in endpoints {
                let other = PathTemplate(parsing: endpoint.path)
                guard other.tokens.count > position, PathTemplate(tokens: Array(other.tokens[...position])).normalized == prefix,
                    case .parameter(let name) = other.tokens[position]
                else { continue }
                if !tokens.contains(.parameter(name)) { tokens[position] = .parameter(name) }
                break
            }
        }
        return PathTemplate(tokens: tokens)
    }

    private static func manualOnly(_ entry: ManualEndpoint, namedLike endpoints: [DiscoveredEndpoint]) -> DiscoveredEndpoint {
        let template = aligned(PathTemplate(parsing: entry.path), with: endpoints)
        let parameters = template.parameterNames.map {
            DiscoveredParameter(name: $0, location: .path, required: true, schema: ["type": "string"], evidence: "hand-written")
        }
        var responses: [DiscoveredResponse] = []
        if let example = entry.responseExample {
            responses.append(DiscoveredResponse(status: 200, count: 0, contentType: "application/json", schema: SchemaSketch.schema(fromExample: example), examples: [example]))
        }
        return DiscoveredEndpoint(
            method: entry.method, path: template.description, description: entry.description, operationName: entry.operationName ?? "",
            source: "manual", notes: entry.notes, parameters: parameters,
            request: entry.requestBody.map { DiscoveredRequest(contentType: "application/json", schema: SchemaSketch.schema(fromSketch: $0)) },
            responses: responses)
    }

    private static func topLevelKeys(_ schema: JSON) -> [String] {
        (schema["properties"]?.objectValue?.keys).map { $0.sorted() } ?? []
    }
}
