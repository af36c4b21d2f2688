import JSONCore

/// OpenAPI 3.1 for a discovered API. Server-sent events are `text/event-stream` responses with their
/// events under `x-events`; WebSockets are GET operations answering 101 with `x-websocket`.
enum OpenAPIWriter {
    static func document(_ api: DiscoveredAPI) -> JSON {
        let components = SchemaComponents(api)
        var paths: [String: JSON] = [:]
        for endpoint in api.endpoints {
            let path = PathTemplate(parsing: endpoint.path).openAPIPath
            var item = paths[path]?.objectValue ?? [:]
            item[endpoint.method.lowercased()] = operation(endpoint, components: components)
            paths[path] = .object(item)
        }
        var componentObject: [String: JSON] = [:]
        if !components.schemas.isEmpty { componentObject["schemas"] = .object(components.resolvedSchemas()) }
        if !api.securitySchemes.isEmpty { componentObject["securitySchemes"] = .object(api.securitySchemes) }
        var document: [String: JSON] = [
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
            "info": [
                "title": .string("\(api.appName) API (discovered)"),
                "version": "0.0.0-discovered",
                "description": .string("Inferred by discover from \(api.capture.describedExchanges) of \(api.capture.exchanges) recorded exchanges."),
            ],
            "paths": .object(paths),
            "components": .object(componentObject),
        ]
        if let base = api.baseURL, !base.isEmpty { document["servers"] = [["url": .string(base)]] }
        let tags = Set(api.endpoints.map { area(of: $0.path) }).sorted()
        document["tags"] = .array(tags.map { ["name": .string($0)] })
        return .object(document)
    }

    static func area(of path: String) -> String {
        for token in PathTemplate(parsing: path).tokens {
            if case .literal(let value) = token, SegmentShape(value) != .reserved { return value }
        }
        return "root"
    }

    private static func operation(_ endpoint: DiscoveredEndpoint, components: SchemaComponents) -> JSON {
        var op: [String: JSON] = [
            "operationId": .string(endpoint.operationName),
            "summary": .string(Naming.capitalized(Naming.words(endpoint.operationName).joined(separator: " "))),
            "description": .string(endpoint.description + (endpoint.notes.map { "\n\n" + $0 } ?? "")),
            "tags": [.string(area(of: endpoint.path))],
        ]
        var parameters: [JSON] = []
        let declared = Set(endpoint.parameters.filter { $0.location == .path }.map(\.name))
        for name in PathTemplate(parsing: endpoint.path).parameterNames where !declared.contains(name) {
            parameters.append(["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]])
        }
        for parameter in endpoint.parameters {
            var object: [String: JSON] = [
                "name": .string(parameter.name), "in": .string(parameter.location.rawValue),
                "required": .bool(parameter.location == .path || parameter.required), "schema": parameter.schema,
            ]
            if let example = parameter.examples.first { object["example"] = .string(example) }
            var description = parameter.evidence
            if parameter.schema["x-multi-segment"]?.boolValue == true {
                // OpenAPI has no multi-segment path parameter: say so, and send it unencoded.
                description = [description, "May contain `/`: the rest of the path (send its slashes unencoded)."].compactMap { $0 }.joined(separator: " ")
                object["x-multi-segment"] = true
            }
            if let description { object["description"] = .string(description) }
            parameters.append(.object(object))
        }
        if !parameters.isEmpty { op["parameters"] = .array(parameters) }
        if let request = endpoint.request { op["requestBody"] = requestBody(request, components: components) }
        op["responses"] = responses(endpoint, components: components)
        if endpoint.auth.requiresAuth {
            // Each requirement is one way to call it; the schemes inside one are needed together.
            op["security"] = .array(endpoint.auth.requirements.map { names in .object(Dictionary(uniqueKeysWithValues: names.map { ($0, JSON.array([])) })) })
        } else if endpoint.auth.acceptsAnonymous {
            op["security"] = []
        }
        if !endpoint.operations.isEmpty {
            // OpenAPI has one operation per method and path; the body-named ones are listed here.
            op["x-operations"] = .array(endpoint.operations.map { operation in
                var object: [String: JSON] = [
                    "name": .string(operation.name), "field": .string(operation.field), "count": .integer(operation.count),
                    "requestSchema": components.referencing(operation.requestSchema),
                ]
                if let response = operation.responseSchema { object["responseSchema"] = components.referencing(response) }
                return .object(object)
            })
        }
        if let polling = endpoint.polling {
            op["x-polling"] = ["intervalSeconds": .number(polling.intervalSeconds), "repeats": .integer(polling.repeats)]
        }
        if !endpoint.provenance.isEmpty {
            op["x-called-by"] = .array(endpoint.provenance.map { .string("\($0.flow) step \($0.step): \($0.description)") })
        }
        op["x-observations"] = .integer(endpoint.observations.count)
        if endpoint.kind == .websocket, let stream = endpoint.stream {
            op["x-websocket"] = ["messages": .array(stream.messages.map { message in
                var object: [String: JSON] = [
                    "direction": .string(message.direction), "name": .string(message.name), "count": .integer(message.count),
                    "schema": components.referencing(message.schema),
                ]
                if let example = message.example { object["example"] = example }
                return .object(object)
            })]
        }
        return .object(op)
    }

    private static func requestBody(_ request: DiscoveredRequest, components: SchemaComponents) -> JSON {
        var media: [String: JSON] = ["schema": components.referencing(request.schema)]
        if !request.examples.isEmpty {
            media["examples"] = .object(Dictionary(uniqueKeysWithValues: request.examples.enumerated().map { ("observed\($0.offset + 1)", ["value": $0.element]) }))
        }
        if let parts = request.multipart {
            var encoding: [String: JSON] = [:]
            for part in parts where part.isFile && !part.contentTypes.isEmpty {
                encoding[part.name] = ["contentType": .string(part.contentTypes.joined(separator: ", "))]
            }
            if !encoding.isEmpty { media["encoding"] = .object(encoding) }
        }
        var body: [String: JSON] = ["required": true, "content": [request.contentType: .object(media)]]
        // The body is what the schema says; the app labelled it otherwise, and a client should too.
        if let sent = request.sentContentType { body["x-sent-content-type"] = .string(sent) }
        return .object(body)
    }

    private static func responses(_ endpoint: DiscoveredEndpoint, components: SchemaComponents) -> JSON {
        var result: [String: JSON] = [:]
        if endpoint.kind == .websocket {
            result["101"] = ["description": "Switching Protocols: the WebSocket opens."]
        }
        for response in endpoint.responses {
            var object: [String: JSON] = ["description": .string(statusText(response.status) + " (seen \(response.count) times)")]
            let streamKind = (200..<300).contains(response.status) ? endpoint.kind : .http
            if streamKind == .sse || streamKind == .ndjson {
                var media: [String: JSON] = ["schema": ["type": "string"]]
                if let stream = endpoint.stream {
                    media["x-events"] = .object(Dictionary(uniqueKeysWithValues: stream.messages.filter { $0.direction == "received" }.map { message in
                        var event: [String: JSON] = ["schema": components.referencing(message.schema), "count": .integer(message.count)]
                        if let interval = message.intervalSeconds { event["intervalSeconds"] = .number(interval) }
                        if let example = message.example { event["example"] = example }
                        return (message.name, JSON.object(event))
                    }))
                }
                object["content"] = [streamKind == .sse ? "text/event-stream" : "application/x-ndjson": .object(media)]
            } else if endpoint.kind == .websocket && response.status == 101 {
                continue
            } else if let type = response.contentType {
                var media: [String: JSON] = [:]
                if let schema = response.schema {
                    media["schema"] = components.referencing(schema)
                } else if BodyFormat(mimeType: type) == .binary || response.download != nil {
                    media["schema"] = ["type": "string", "format": "binary"]
                } else {
                    media["schema"] = ["type": "string"]
                }
                if !response.examples.isEmpty {
                    media["examples"] = .object(Dictionary(uniqueKeysWithValues: response.examples.enumerated().map { ("observed\($0.offset + 1)", ["value": $0.element]) }))
                }
                object["content"] = [type: .object(media)]
            }
            if let download = response.download {
                object["headers"] = ["Content-Disposition": [
                    "description": .string("\(download.disposition)\(download.fileNameExample.map { "; for example filename=\"\($0)\"" } ?? "")"),
                    "schema": ["type": "string"],
                ]]
            }
            result[String(response.status)] = .object(object)
        }
        if result.isEmpty { result["default"] = ["description": "No response was recorded."] }
        return .object(result)
    }

    static func statusText(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301, 302, 303, 307, 308: return "Redirect"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 409: return "Conflict"
        case 416: return "Range Not Satisfiable"
        case 500: return "Internal Server Error"
        default: return "Status \(status)"
        }
    }
}
