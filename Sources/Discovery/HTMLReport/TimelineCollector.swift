import Recording

/// What the page's timeline needs from the capture, gathered while discovery reads it anyway: one
/// small row per exchange and the times of stream messages, never bodies. Bounded, so a capture of a
/// million exchanges gives a page of a known size (what was left out is counted and said).
public struct TimelineCollector: Sendable {
    /// A class, so the sections that filter and group the rows share them instead of copying each
    /// row's strings and arrays (copies showed in the page's drawing time).
    public final class Request: Sendable {
        public let id: String
        public let method: String
        /// The URL's path, query left out (it is in the capture): rows group by it.
        public let path: String
        public let status: Int?
        public let failure: String?
        public let startedAt: Double
        public let endedAt: Double?
        public let flow: String?
        public let step: Int?
        public let stepDescription: String?
        public let kind: Exchange.Kind
        public let backgroundPoll: Bool
        /// A body spooled beside the capture (`bodies/...`): linked, never inlined.
        public let bodyFile: String?
        /// Stream message times (capped at `maxTicks`) and how many there were.
        public let ticks: [Double]
        public let messageCount: Int
        /// The first few messages of a stream, cut short: the Streams section shows them.
        public let samples: [String]

        init(_ exchange: Exchange) {
            id = exchange.id
            method = exchange.method
            path = URLParts(URLParts.split(exchange.url).location).path
            status = exchange.response?.status
            failure = exchange.failure.flatMap { $0.canceled && exchange.response != nil ? nil : $0.errorText }
            startedAt = exchange.startedAt
            endedAt = exchange.endedAt ?? exchange.messages.last?.time
            flow = exchange.provenance?.flow
            step = exchange.provenance?.step
            stepDescription = exchange.provenance?.description
            kind = exchange.kind
            backgroundPoll = exchange.backgroundPoll
            bodyFile = exchange.response?.body?.file ?? exchange.request.body?.file
            messageCount = exchange.messages.count
            ticks = exchange.messages.prefix(TimelineCollector.maxTicks).map(\.time)
            samples = exchange.messages.prefix(TimelineCollector.maxSamples).map { message in
                let data = message.base64 ? "(binary, base64) " + message.data : message.data
                let head = "\(message.direction == .sent ? "sent" : "received")\(message.event.map { " " + $0 } ?? ""): "
                let cut = data.utf8.count > TimelineCollector.maxSampleCharacters
                return head + (cut ? String(decoding: data.utf8.prefix(TimelineCollector.maxSampleCharacters), as: UTF8.self) + " …" : data)
            }
        }
    }

    public static let maxSamples = 3
    /// Bytes of one sample message.
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
        let request = Request(exchange)
        requests.append(request)
    }

    /// In start order (ties by id), whatever order the capture handed them out in.
    public var sorted: [Request] {
        requests.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }
}
