import JSONCore

/// Everything discovery learned about one application: the content of `discovered-endpoints.json`,
/// from which the OpenAPI document, the client and the report are generated.
public struct DiscoveredAPI: Sendable, Equatable {
    public var appName: String
    public var baseURL: String?
    public var capture: CaptureStats
    /// Sorted by path, then method.
    public var endpoints: [DiscoveredEndpoint]
    /// Scheme name (`bearerAuth`, `basicAuth`, `cookieAuth`, `apiKeyAuth`) -> OpenAPI security scheme object.
    public var securitySchemes: [String: JSON]
    /// Which response field fed which later request.
    public var links: [DataLink]
    /// What each UI step called, in run order.
    public var steps: [StepCalls]
    /// Conflicts between hand-written and discovered facts, and other things the report should say.
    public var notes: [String]

    public init(appName: String, baseURL: String? = nil, capture: CaptureStats = CaptureStats(), endpoints: [DiscoveredEndpoint] = [],
                securitySchemes: [String: JSON] = [:], links: [DataLink] = [], steps: [StepCalls] = [], notes: [String] = []) {
        self.appName = appName
        self.baseURL = baseURL
        self.capture = capture
        self.endpoints = endpoints
        self.securitySchemes = securitySchemes
        self.links = links
        self.steps = steps
        self.notes = notes
    }
}

public struct CaptureStats: Sendable, Equatable {
    public var exchanges = 0
    public var describedExchanges = 0
    public var firstSeen: Double?
    public var lastSeen: Double?
    /// Whether the run that recorded the capture passed to the end (nil: not known, e.g. exchanges in memory).
    public var complete: Bool?
    /// Flow name -> `passed`, `failed` or `skipped`, from the capture's trailer.
    public var flows: [String: String]
    public init(
        exchanges: Int = 0, describedExchanges: Int = 0, firstSeen: Double? = nil, lastSeen: Double? = nil, complete: Bool? = nil,
        flows: [String: String] = [:]
    ) {
        self.exchanges = exchanges
        self.describedExchanges = describedExchanges
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.complete = complete
        self.flows = flows
    }
}

public enum EndpointKind: String, Sendable, Equatable {
    case http
    /// Server-sent events (`text/event-stream`).
    case sse
    /// Newline-delimited JSON streamed in one response.
    case ndjson
    case websocket
}

public struct DiscoveredEndpoint: Sendable, Equatable {
    public var method: String
    /// The template: `/api/jobs/{jobId}/start`.
    public var path: String
    public var description: String
    /// The name a client method gets: `startJob`.
    public var operationName: String
    public var kind: EndpointKind
    /// `discovered`, `manual`, or `discovered+manual`.
    public var source: String
    public var notes: String?
    public var parameters: [DiscoveredParameter]
    public var request: DiscoveredRequest?
    /// Sorted by status.
    public var responses: [DiscoveredResponse]
    public var auth: EndpointAuth
    public var stream: DiscoveredStream?
    /// JSON-RPC methods or GraphQL operations this one URL carries, by name.
    public var operations: [DiscoveredOperation] = []
    public var polling: Polling?
    public var provenance: [ProvenanceCount]
    public var observations: Observations

    public init(method: String, path: String, description: String = "", operationName: String = "", kind: EndpointKind = .http,
                source: String = "discovered", notes: String? = nil, parameters: [DiscoveredParameter] = [], request: DiscoveredRequest? = nil,
                responses: [DiscoveredResponse] = [], auth: EndpointAuth = EndpointAuth(), stream: DiscoveredStream? = nil,
                polling: Polling? = nil, provenance: [ProvenanceCount] = [], observations: Observations = Observations()) {
        self.method = method
        self.path = path
        self.description = description
        self.operationName = operationName
        self.kind = kind
        self.source = source
        self.notes = notes
        self.parameters = parameters
        self.request = request
        self.responses = responses
        self.auth = auth
        self.stream = stream
        self.polling = polling
        self.provenance = provenance
        self.observations = observations
    }

    /// `GET /api/jobs/{jobId}/start`
    public var key: String { "\(method) \(path)" }
    /// The route without parameter names, for matching across captures.
    public var normalizedKey: String { "\(method) \(PathTemplate(parsing: path).normalized)" }

    /// The main success response: the lowest 2xx seen, else the most frequent.
    public var primaryResponse: DiscoveredResponse? {
        responses.first { (200..<300).contains($0.status) } ?? responses.max { $0.count < $1.count }
    }
}

public struct DiscoveredParameter: Sendable, Equatable {
    public enum Location: String, Sendable { case path, query }
    public var name: String
    public var location: Location
    public var required: Bool
    public var schema: JSON
    /// Up to three observed values.
    public var examples: [String]
    /// Why a path segment is a parameter, or which response field fed it.
    public var evidence: String?
    /// How many requests carried it.
    public var count: Int
    public init(name: String, location: Location, required: Bool, schema: JSON, examples: [String] = [], evidence: String? = nil, count: Int = 0) {
        self.name = name
        self.location = location
        self.required = required
        self.schema = schema
        self.examples = examples
        self.evidence = evidence
        self.count = count
    }
}

public struct DiscoveredRequest: Sendable, Equatable {
    /// What the bodies are: the most frequent content type, or `application/json` (or a form) when
    /// the bodies were that under another label.
    public var contentType: String
    /// The label the app sent when it differs from what the bodies are (`text/plain;charset=UTF-8` on
    /// JSON, as `fetch` does with a string body); a client sends the same.
    public var sentContentType: String?
    public var schema: JSON
    public var examples: [JSON]
    /// For multipart bodies: the parts.
    public var multipart: [MultipartField]?
    public var count: Int
    public init(
        contentType: String, sentContentType: String? = nil, schema: JSON, examples: [JSON] = [], multipart: [MultipartField]? = nil, count: Int = 0
    ) {
        self.contentType = contentType
        self.sentContentType = sentContentType
        self.schema = schema
        self.examples = examples
        self.multipart = multipart
        self.count = count
    }
}

public struct MultipartField: Sendable, Equatable {
    public var name: String
    public var isFile: Bool
    public var contentTypes: [String]
    /// Parts of this name in one request: the smallest and largest counts seen.
    public var minPerRequest: Int
    public var maxPerRequest: Int
    public var required: Bool
    public init(name: String, isFile: Bool, contentTypes: [String] = [], minPerRequest: Int, maxPerRequest: Int, required: Bool) {
        self.name = name
        self.isFile = isFile
        self.contentTypes = contentTypes
        self.minPerRequest = minPerRequest
        self.maxPerRequest = maxPerRequest
        self.required = required
    }
}

public struct DiscoveredResponse: Sendable, Equatable {
    public var status: Int
    public var count: Int
    public var contentType: String?
    public var schema: JSON?
    /// One or two real (redacted) bodies.
    public var examples: [JSON]
    public var download: DownloadInfo?
    public init(status: Int, count: Int, contentType: String? = nil, schema: JSON? = nil, examples: [JSON] = [], download: DownloadInfo? = nil) {
        self.status = status
        self.count = count
        self.contentType = contentType
        self.schema = schema
        self.examples = examples
        self.download = download
    }
}

public struct DownloadInfo: Sendable, Equatable {
    /// `attachment` (a forced download) or `inline`.
    public var disposition: String
    public var contentTypes: [String]
    public var fileNameExample: String?
    public init(disposition: String, contentTypes: [String], fileNameExample: String? = nil) {
        self.disposition = disposition
        self.contentTypes = contentTypes
        self.fileNameExample = fileNameExample
    }
}

public struct EndpointAuth: Sendable, Equatable {
    /// Security scheme names seen on requests to this endpoint.
    public var schemes: [String]
    /// The schemes that successful requests carried together, each set one way to call it
    /// (`[cookieAuth, csrfToken]`: the session cookie and the CSRF header both).
    public var requirements: [[String]]
    public var withCredentials: Int
    public var withoutCredentials: Int
    /// Statuses answered to requests without credentials when the endpoint otherwise succeeded (401, 403).
    public var rejectedWithout: [Int]
    /// Answered 2xx to a request without any credentials.
    public var acceptsAnonymous: Bool
    public init(
        schemes: [String] = [], requirements: [[String]] = [], withCredentials: Int = 0, withoutCredentials: Int = 0, rejectedWithout: [Int] = [],
        acceptsAnonymous: Bool = false
    ) {
        self.schemes = schemes
        self.requirements = requirements.isEmpty ? schemes.map { [$0] } : requirements
        self.withCredentials = withCredentials
        self.withoutCredentials = withoutCredentials
        self.rejectedWithout = rejectedWithout
        self.acceptsAnonymous = acceptsAnonymous
    }

    /// Credentials were sent and the endpoint never answered 2xx without them.
    public var requiresAuth: Bool { !schemes.isEmpty && !acceptsAnonymous }
}

/// One operation of an endpoint that carries several in its body (JSON-RPC `method`, GraphQL
/// `operationName`): described as an endpoint of its own would be.
public struct DiscoveredOperation: Sendable, Equatable {
    /// The body field that names it.
    public var field: String
    public var name: String
    public var count: Int
    public var requestSchema: JSON
    public var responseSchema: JSON?
    public var example: JSON?
    /// Flows that called it.
    public var flows: [String]
    public init(field: String, name: String, count: Int, requestSchema: JSON, responseSchema: JSON? = nil, example: JSON? = nil, flows: [String] = []) {
        self.field = field
        self.name = name
        self.count = count
        self.requestSchema = requestSchema
        self.responseSchema = responseSchema
        self.example = example
        self.flows = flows
    }
}

public struct DiscoveredStream: Sendable, Equatable {
    public var messages: [StreamMessageShape]
    public var connections: Int
    /// The WebSocket subprotocol the server chose (`v1.kernel.websocket.jupyter.org`).
    public var subprotocol: String?
    public init(messages: [StreamMessageShape], connections: Int, subprotocol: String? = nil) {
        self.messages = messages
        self.connections = connections
        self.subprotocol = subprotocol
    }
}

public struct StreamMessageShape: Sendable, Equatable {
    /// `sent` (client to server) or `received`.
    public var direction: String
    /// The SSE event name, or the `type`/`event`/`action` field of a JSON WebSocket message, else `message`.
    public var name: String
    public var count: Int
    public var schema: JSON
    public var example: JSON?
    /// Median seconds between two messages of this name on one connection.
    public var intervalSeconds: Double?
    public init(direction: String, name: String, count: Int, schema: JSON, example: JSON? = nil, intervalSeconds: Double? = nil) {
        self.direction = direction
        self.name = name
        self.count = count
        self.schema = schema
        self.example = example
        self.intervalSeconds = intervalSeconds
    }
}

public struct Polling: Sendable, Equatable {
    /// Median seconds between the starts of two requests to the same URL path.
    public var intervalSeconds: Double
    public var repeats: Int
    /// Query parameter names of the polled request (`["id"]` for `GET /api/jobs?id=...`).
    public var query: [String]
    public init(intervalSeconds: Double, repeats: Int, query: [String] = []) {
        self.intervalSeconds = intervalSeconds
        self.repeats = repeats
        self.query = query
    }
}

public struct ProvenanceCount: Sendable, Equatable {
    public var flow: String
    public var step: Int
    public var description: String
    public var count: Int
    public init(flow: String, step: Int, description: String, count: Int) {
        self.flow = flow
        self.step = step
        self.description = description
        self.count = count
    }
}

public struct Observations: Sendable, Equatable {
    public var count: Int
    public var firstSeen: Double?
    public var lastSeen: Double?
    /// Ids of a few exchanges in the capture (first ones and the last one).
    public var exchangeIds: [String]
    /// A few concrete paths as requested.
    public var samplePaths: [String]
    /// Network failures by error text.
    public var failures: [String: Int]
    public init(count: Int = 0, firstSeen: Double? = nil, lastSeen: Double? = nil, exchangeIds: [String] = [], samplePaths: [String] = [], failures: [String: Int] = [:]) {
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.exchangeIds = exchangeIds
        self.samplePaths = samplePaths
        self.failures = failures
    }
}

public struct DataLink: Sendable, Equatable {
    /// `POST /api/jobs`
    public var from: String
    /// JSON path in the source response: `$.id`, `$.jobs[].id`.
    public var field: String
    /// `GET /api/jobs/{jobId}/start`
    public var to: String
    public var location: String
    /// Parameter or body property name in the target request.
    public var name: String
    public var count: Int
    public init(from: String, field: String, to: String, location: String, name: String, count: Int) {
        self.from = from
        self.field = field
        self.to = to
        self.location = location
        self.name = name
        self.count = count
    }
}

public struct StepCalls: Sendable, Equatable {
    public var flow: String
    public var step: Int
    public var description: String
    /// The endpoints the step called (`METHOD /path`), by name: a step's concurrent requests end in any order.
    public var calls: [String]
    public init(flow: String, step: Int, description: String, calls: [String]) {
        self.flow = flow
        self.step = step
        self.description = description
        self.calls = calls
    }
}
