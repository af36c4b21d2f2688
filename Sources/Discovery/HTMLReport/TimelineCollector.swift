import Recording

/// What the page's timeline needs from the capture, gathered while discovery reads it anyway: one
/// small row per exchange and the times of stream messages, never bodies. Bounded, so a capture of a
/// million exchanges gives a page of a known size (what was left out is counted and said).
public struct TimelineCollector: Sendable {
    public struct Request: Sendable, Equatable {
        public var id: String
        public var method: String
        /// The URL's path, query left out (it is in the capture): rows group by it.
        public var path: String
        public var status: Int?
        public var failure: String?
        public var startedAt: Double
        public var endedAt: Double?
        public var flow: String?
        public var step: Int?
        public var stepDescription: String?
        public var kind: Exchange.Kind
        public var backgroundPoll: Bool
        /// A body spooled beside the capture (`bodies/...`): linked, never inlined.
        public var bodyFile: String?
        /// Stream message times (capped at `maxTicks`) and how many there were.
        public var ticks: [Double] = []
        public var messageCount = 0
        /// The first few messages of a stream, cut short: the Streams section shows them.
        public var samples: [String] = []
    }

    public static let maxSamples = 3
    public static let maxSampleCharacters = 400

    public static let maxRequests = 5_000
    public static let maxTicks = 300

    public private(set) var requests: [Request] = []
    /// Exchanges left out past `maxRequests`.
    public private(set) var omitted = 0

    public init() {}

    /// Static assets (scripts, styles, images, fonts) are recorded but are not what a step "called".
    public mutating func add(_ exchange: Exchange) {
        guard !exchange.isStaticAsset else { return }
        guard requests.count < Self.maxRequests else {
            omitted += 1
            return
        }
        let location = URLParts.split(exchange.url).location
        var request = Request(
            id: exchange.id, method: exchange.method, path: URLParts(location).path, status: exchange.response?.status,
            failure: exchange.failure.flatMap { $0.canceled && exchange.response != nil ? nil : $0.errorText },
            startedAt: exchange.startedAt, endedAt: exchange.endedAt ?? exchange.messages.last?.time,
            flow: exchange.provenance?.flow, step: exchange.provenance?.step, stepDescription: exchange.provenance?.description,
            kind: exchange.kind, backgroundPoll: exchange.backgroundPoll,
            bodyFile: exchange.response?.body?.file ?? exchange.request.body?.file)
        request.messageCount = exchange.messages.count
        request.ticks = exchange.messages.prefix(Self.maxTicks).map(\.time)
        request.samples = exchange.messages.prefix(Self.maxSamples).map { message in
            let data = message.base64 ? "(binary, base64) " + message.data : message.data
            let head = "\(message.direction == .sent ? "sent" : "received")\(message.event.map { " " + $0 } ?? ""): "
            return head + (data.count > Self.maxSampleCharacters ? String(data.prefix(Self.maxSampleCharacters)) + " …" : data)
        }
        requests.append(request)
    }

    /// In start order (ties by id), whatever order the capture handed them out in.
    public var sorted: [Request] {
        requests.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }
}
