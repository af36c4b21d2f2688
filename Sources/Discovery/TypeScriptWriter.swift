import JSONCore

/// `<app>-client.generated.ts`: a dependency-free client over `fetch`, one typed method per endpoint.
enum TypeScriptWriter {
    static func fileName(_ api: DiscoveredAPI) -> String {
        let slug = Naming.words(api.appName).joined(separator: "-")
        return "\(slug.isEmpty ? "api" : slug)-client.generated.ts"
    }

    /// `AI Toolkit` -> `AIToolkit`: the words as the user wrote them, first letters raised.
    static func typeName(_ appName: String) -> String {
        let words = appName.split { !($0.isLetter || $0.isNumber) }.map { Naming.capitalized(String($0)) }
        let name = words.joined()
        if name.isEmpty { return "Api" }
        return name.first!.isNumber ? "Api" + name : name
    }

    static func client(_ api: DiscoveredAPI) -> String {
        let components = SchemaComponents(api)
        let types = TypeScriptTypes(components: components)
        let className = typeName(api.appName) + "Client"
        var declarations: [String] = []
        for name in components.schemas.keys.sorted() {
            declarations.append(types.declaration(name, components.schemas[name]!, comment: "Shared shape seen in several responses."))
        }
        var methods: [String] = []
        for endpoint in api.endpoints where !ReportWriter.isFrameworkRoute(endpoint.path) {
            let generated = MethodWriter(endpoint: endpoint, types: types).write()
            declarations += generated.declarations
            methods.append(generated.method)
        }
        // JSON-RPC methods and GraphQL operations: one method each, named after the operation.
        var taken = Set(api.endpoints.map(\.operationName))
        for endpoint in api.endpoints where !endpoint.operations.isEmpty && endpoint.parameters.allSatisfy({ $0.location != .path }) {
            for operation in endpoint.operations {
                var name = MethodWriter.identifier(operation.name)
                if taken.contains(name) { name += "Operation" }
                taken.insert(name)
                let generated = MethodWriter.operationMethod(name, operation, of: endpoint, types: types)
                declarations += generated.declarations
                methods.append(generated.method)
            }
        }
        let usesBearer = api.securitySchemes["bearerAuth"] != nil
        let usesBasic = api.securitySchemes["basicAuth"] != nil
        let apiKeyHeader = api.securitySchemes["apiKeyAuth"]?["name"]?.stringValue ?? api.securitySchemes["authorizationHeader"]?["name"]?.stringValue
        let usesCookies = api.securitySchemes["cookieAuth"] != nil

        let headerSchemes = ["csrfToken", "sessionHeader"].compactMap { api.securitySchemes[$0]?["name"]?.stringValue }
        let headersDoc = headerSchemes.isEmpty
            ? "Headers sent with every call."
            : "Headers sent with every call: this API wants \(headerSchemes.map { "`\($0)`" }.joined(separator: " and ")) (a token the server hands out)."
        var flags: Set<String> = []
        if usesBearer { flags.insert("bearer") }
        if usesBasic { flags.insert("basic") }
        if apiKeyHeader != nil { flags.insert("apiKey") }
        if api.endpoints.contains(where: { $0.request?.multipart != nil }) { flags.insert("multipart") }
        return TypeScriptTemplate.clientRuntime.render(
            flags: flags,
            replacing: [
                ("{{exchanges}}", "\(api.capture.describedExchanges)"), ("{{ofBaseURL}}", api.baseURL.map { " of \($0)" } ?? ""),
                ("{{apiKeyHeader}}", apiKeyHeader ?? ""), ("\"__API_KEY_HEADER__\"", TypeScriptTypes.quoted(apiKeyHeader ?? "")),
                ("{{headersDoc}}", headersDoc), ("__Client__", className),
                (", /*{{credentials}}*/", usesCookies ? ", credentials: \"include\"" : ""),
            ],
            inserts: ["declarations": declarations.joined(separator: "\n"), "methods": methods.joined(separator: "\n")])
    }
}

/// One client method with the types it needs.
struct MethodWriter {
    let endpoint: DiscoveredEndpoint
    let types: TypeScriptTypes

    static let reserved: Set<String> = [
        "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export",
        "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super",
        "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static", "await",
        "body", "query", "signal", "options",
    ]

    /// An async generator over a streamed response: `reader` is the client's `events` or `lines`.
    static func streamMethod(_ name: String, _ arguments: [String], _ call: String, itemType: String, reader: String) -> String {
        """

          async *\(name)(\(arguments.joined(separator: ", "))): AsyncGenerator<\(itemType)> {
            const response = await \(call);
            yield* this.\(reader)<\(itemType)>(response);
          }

        """
    }

    func write() -> (method: String, declarations: [String]) {
        let base = Naming.pascalCase(endpoint.operationName)
        var declarations: [String] = []
        var arguments: [String] = []
        var docs = ["  /**", "   * \(endpoint.description.replacingOccurrences(of: "*/", with: "* /"))", "   * `\(endpoint.method) \(endpoint.path)`"]
        var pathExpression = ""
        var pathParameters: [String: String] = [:]
        for parameter in endpoint.parameters where parameter.location == .path {
            pathParameters[parameter.name] = Self.identifier(parameter.name)
        }
        for token in PathTemplate(parsing: endpoint.path).tokens {
            switch token {
            case .literal(let value): pathExpression += "/" + value
            case .rest(let name, let prefix):
                // The rest of the path: each segment encoded, the slashes kept.
                let variable = pathParameters[name] ?? Self.identifier(name)
                pathParameters[name] = variable
                pathExpression += "/\(prefix)${String(\(variable)).split(\"/\").map(encodeURIComponent).join(\"/\")}"
                arguments.append("\(variable): string")
            case .parameter(let name):
                let variable = pathParameters[name] ?? Self.identifier(name)
                pathParameters[name] = variable
                pathExpression += "/${encodeURIComponent(String(\(variable)))}"
                let schema = endpoint.parameters.first { $0.name == name && $0.location == .path }?.schema ?? ["type": "string"]
                let typeText = SchemaSketch.typeNames(schema).contains("integer") ? "string | number" : "string"
                arguments.append("\(variable): \(typeText)")
            }
        }
        if pathExpression.isEmpty { pathExpression = "/" }
        var callParts: [String] = []
        if let request = endpoint.request {
            if let parts = request.multipart {
                var fields: [String] = []
                for part in parts {
                    let single = part.isFile ? "Blob" : "string"
                    let typeText = part.maxPerRequest > 1 ? "\(single) | Array<\(single)>" : single
                    fields.append("  \(TypeScriptTypes.propertyName(part.name))\(part.required ? "" : "?"): \(typeText);")
                }
                declarations.append("export interface \(base)Request {\n\(fields.joined(separator: "\n"))\n}\n")
                arguments.append("body: \(base)Request")
                callParts.append("form: toFormData(body as unknown as Record<string, unknown>)")
            } else {
                declarations.append(types.declaration("\(base)Request", request.schema))
                arguments.append("body: \(base)Request")
                callParts.append(BodyFormat(mimeType: request.contentType) == .form ? "form: new URLSearchParams(body as unknown as Record<string, string>)" : "json: body")
                if let sent = request.sentContentType { callParts.append("contentType: \(TypeScriptTypes.quoted(sent))") }
            }
        }
        let query = endpoint.parameters.filter { $0.location == .query }
        if !query.isEmpty {
            var fields: [String] = []
            for parameter in query {
                fields.append("  \(TypeScriptTypes.propertyName(parameter.name))\(parameter.required ? "" : "?"): \(types.type(parameter.schema, indent: 1));")
            }
            declarations.append("export interface \(base)Query {\n\(fields.joined(separator: "\n"))\n}\n")
            let allOptional = query.allSatisfy { !$0.required }
            arguments.append(allOptional ? "query: \(base)Query = {}" : "query: \(base)Query")
            callParts.append("query: query as unknown as Query")
        }
        arguments.append("signal?: AbortSignal")
        callParts.append("signal")
        let primary = endpoint.primaryResponse
        var returnType: String
        var body: [String]
        if endpoint.kind == .sse { callParts.insert("accept: \"text/event-stream\"", at: 0) }
        let call = "this.call(\(TypeScriptTypes.quoted(endpoint.method)), `\(pathExpression)`, { \(callParts.joined(separator: ", ")) })"
        switch endpoint.kind {
        case .sse:
            var members: [String] = []
            for message in endpoint.stream?.messages.filter({ $0.direction == "received" }) ?? [] {
                let typeName = base + Naming.pascalCase(message.name) + "Event"
                declarations.append(types.declaration(typeName, message.schema))
                members.append("ServerSentEvent<\(TypeScriptTypes.quoted(message.name)), \(typeName)>")
            }
            let eventType = base + "Message"
            declarations.append("export type \(eventType) = \(members.isEmpty ? "ServerSentEvent<string, unknown>" : members.joined(separator: " | "));\n")
            docs.append("   * Server-sent events; iterate with `for await`. Stop by aborting `signal`.")
            docs.append("   */")
            return (docs.joined(separator: "\n") + Self.streamMethod(endpoint.operationName, arguments, call, itemType: eventType, reader: "events"), declarations)
        case .ndjson:
            let lineType = base + "Line"
            let lineSchema = endpoint.stream?.messages.filter { $0.direction == "received" }.map(\.schema)
                .reduce(JSON.object([:])) { SchemaMerge.merge($0, $1) } ?? [:]
            declarations.append(types.declaration(lineType, lineSchema))
            docs.append("   * Newline-delimited JSON; iterate with `for await`.")
            docs.append("   */")
            return (docs.joined(separator: "\n") + Self.streamMethod(endpoint.operationName, arguments, call, itemType: lineType, reader: "lines"), declarations)
        case .websocket:
            docs.append("   * Opens the WebSocket; messages seen: \((endpoint.stream?.messages ?? []).map { "\($0.direction) \($0.name)" }.joined(separator: ", ")).")
            docs.append("   */")
            let socketArguments = arguments.filter { !$0.hasPrefix("signal") && !$0.hasPrefix("body") }
            return (docs.joined(separator: "\n") + """

              \(endpoint.operationName)(\(socketArguments.joined(separator: ", "))): WebSocket {
                return new WebSocket(this.baseUrl.replace(/^http/, "ws") + `\(pathExpression)`);
              }

            """, declarations)
        case .http:
            break
        }
        if let download = primary?.download, primary?.schema == nil {
            returnType = "DownloadedFile"
            body = ["    return this.download(await \(call));"]
            docs.append("   * Returns the file (\(download.contentTypes.joined(separator: ", "))) and its name.")
        } else if let schema = primary?.schema {
            declarations.append(types.declaration("\(base)Response", schema))
            returnType = "\(base)Response"
            body = ["    return this.json<\(base)Response>(await \(call));"]
        } else if let type = primary?.contentType, BodyFormat(mimeType: type) == .text {
            returnType = "string"
            body = ["    return (await \(call)).text();"]
        } else if let type = primary?.contentType, BodyFormat(mimeType: type) == .binary {
            returnType = "DownloadedFile"
            body = ["    return this.download(await \(call));"]
        } else {
            returnType = "void"
            body = ["    await \(call);"]
        }
        docs.append("   */")
        let method = docs.joined(separator: "\n") + "\n  async \(endpoint.operationName)(\(arguments.joined(separator: ", "))): Promise<\(returnType)> {\n" + body.joined(separator: "\n") + "\n  }\n"
        return (method, declarations)
    }

    /// `torrentGet(body)` for Transmission's `{"method": "torrent-get", "arguments": {...}}`: the
    /// operation's own request and answer shapes; the method field is filled in.
    static func operationMethod(
        _ name: String, _ operation: DiscoveredOperation, of endpoint: DiscoveredEndpoint, types: TypeScriptTypes
    ) -> (method: String, declarations: [String]) {
        let base = Naming.pascalCase(name)
        var declarations = [types.declaration("\(base)Request", operation.requestSchema)]
        let field = TypeScriptTypes.quoted(operation.field)
        let optionalBody = (operation.requestSchema["required"]?.arrayValue ?? []).allSatisfy { $0.stringValue == operation.field }
        var callParts = ["json: { ...body, [\(field)]: \(TypeScriptTypes.quoted(operation.name)) }"]
        if let sent = endpoint.request?.sentContentType { callParts.append("contentType: \(TypeScriptTypes.quoted(sent))") }
        callParts.append("signal")
        let call = "this.call(\(TypeScriptTypes.quoted(endpoint.method)), `\(endpoint.path)`, { \(callParts.joined(separator: ", ")) })"
        var returnType = "void"
        var body = "    await \(call);"
        if let schema = operation.responseSchema {
            declarations.append(types.declaration("\(base)Response", schema))
            returnType = "\(base)Response"
            body = "    return this.json<\(base)Response>(await \(call));"
        }
        let argument = "body: Omit<\(base)Request, \(field)>\(optionalBody ? " = {} as Omit<\(base)Request, \(field)>" : "")"
        let method = """
              /**
               * `\(operation.name)` over `\(endpoint.method) \(endpoint.path)` (named in the body's `\(operation.field)`; seen \(operation.count) times).
               */
              async \(name)(\(argument), signal?: AbortSignal): Promise<\(returnType)> {
            \(body)
              }

            """
        return (method, declarations)
    }

    static func identifier(_ name: String) -> String {
        var result = Naming.camelCase(name)
        if result.isEmpty || !TypeScriptTypes.isIdentifier(result) { result = "p" + Naming.pascalCase(name) }
        if reserved.contains(result) { result += "Value" }
        return result
    }
}
