import JSONCore

/// What changed between two discoveries of the same application, each change classified as breaking
/// for an existing client or not, after Optic's rules.
public struct APIDiff: Sendable, Equatable {
    public enum ChangeKind: String, Sendable { case added, removed, changed }

    public struct Change: Sendable, Equatable {
        public var kind: ChangeKind
        /// `GET /api/jobs/{jobId}/log`
        public var endpoint: String
        /// What changed, or empty for a whole endpoint added or removed.
        public var detail: String
        public var breaking: Bool
    }

    /// How a CLI turns the diff into an exit status.
    public enum FailOn: String, Sendable {
        /// 0 no change, 1 only non-breaking changes, 2 breaking changes.
        case any
        /// 0 unless something breaks (then 2).
        case breaking
        /// Always 0: report only.
        case never
    }

    public var changes: [Change]
    /// Endpoints of the old side that the new run did not reach because the flows that reached them
    /// before did not pass (failed, skipped, or not run): no evidence either way, so no change.
    public var notReached: [String] = []

    public var hasChanges: Bool { !changes.isEmpty }
    public var hasBreakingChanges: Bool { changes.contains(where: \.breaking) }

    public func exitCode(failOn: FailOn = .any) -> Int32 {
        switch failOn {
        case .never: return 0
        case .breaking: return hasBreakingChanges ? 2 : 0
        case .any: return hasBreakingChanges ? 2 : (hasChanges ? 1 : 0)
        }
    }

    public var text: String {
        var unreachedLines: [String] = []
        if !notReached.isEmpty {
            unreachedLines.append("Not compared (\(notReached.count), the flows that reached them did not pass this time):")
            unreachedLines += notReached.map { "  ? \($0)" }
        }
        if changes.isEmpty { return (["No changes."] + unreachedLines).joined(separator: "\n") + "\n" }
        var lines: [String] = []
        for (title, breaking) in [("Breaking changes", true), ("Non-breaking changes", false)] {
            let selected = changes.filter { $0.breaking == breaking }
            guard !selected.isEmpty else { continue }
            lines.append("\(title) (\(selected.count)):")
            for change in selected {
                let mark = change.kind == .added ? "+" : (change.kind == .removed ? "-" : "~")
                lines.append("  \(mark) \(change.kind.rawValue) \(change.endpoint)\(change.detail.isEmpty ? "" : ": " + change.detail)")
            }
        }
        let counts = [ChangeKind.added, .removed, .changed].map { kind in "\(Set(changes.filter { $0.kind == kind }.map(\.endpoint)).count) \(kind.rawValue)" }
        lines.append("Endpoints: \(counts.joined(separator: ", ")). Breaking: \(hasBreakingChanges ? "yes" : "no").")
        return (lines + unreachedLines).joined(separator: "\n") + "\n"
    }

    public var json: JSON {
        [
            "breaking": .bool(hasBreakingChanges),
            "changes": .array(changes.map { change in
                ["kind": .string(change.kind.rawValue), "endpoint": .string(change.endpoint), "detail": .string(change.detail), "breaking": .bool(change.breaking)]
            }),
            "notReached": .array(notReached.map(JSON.string)),
        ]
    }

    static func compare(old: DiscoveredAPI, new: DiscoveredAPI) -> APIDiff {
        var changes: [Change] = []
        var notReached: [String] = []
        let oldByKey = Dictionary(old.endpoints.map { ($0.normalizedKey, $0) }, uniquingKeysWith: { first, _ in first })
        let newByKey = Dictionary(new.endpoints.map { ($0.normalizedKey, $0) }, uniquingKeysWith: { first, _ in first })
        for key in Set(oldByKey.keys).union(newByKey.keys).sorted(by: { sortKey($0) < sortKey($1) }) {
            switch (oldByKey[key], newByKey[key]) {
            case (let before?, nil) where !reachable(before, in: new) || !stepsRepeated(before, old: old, new: new):
                notReached.append(before.key)
            case (let before?, nil):
                changes.append(Change(kind: .removed, endpoint: before.key, detail: before.kind == .http ? "" : "\(before.kind.rawValue) stream", breaking: true))
            case (nil, let after?):
                changes.append(Change(kind: .added, endpoint: after.key, detail: after.kind == .http ? "" : "\(after.kind.rawValue) stream", breaking: false))
            case (let before?, let after?) where before.observations.count > 0 && after.observations.count == 0 && after.source == "manual":
                // Still documented by hand, but the UI stopped calling it: worth saying, not a broken contract.
                changes.append(Change(kind: .removed, endpoint: before.key, detail: "no longer called (still in manual-endpoints.json)", breaking: false))
            case (let before?, let after?) where before.observations.count == 0 && before.source == "manual" && after.observations.count > 0:
                changes.append(Change(kind: .added, endpoint: after.key, detail: "now called (was only in manual-endpoints.json)", breaking: false))
            case (let before?, let after?):
                var collector = EndpointComparison(endpoint: after.key)
                collector.compare(before, after)
                collector.compareOperations(before.operations, after.operations) { reachable(flows: Set($0.flows), in: new) }
                changes += collector.changes
            default:
                break
            }
        }
        return APIDiff(changes: changes, notReached: notReached)
    }

    /// Whether the new run would have called the endpoint if it still existed: every flow that called
    /// it before passed this time (an endpoint no step called, a background poll, needs the whole run
    /// to have passed). Without flow outcomes (exchanges in memory, older files) absence is taken as is.
    /// Whether the steps that made the call before did the rest of what they did then: every other
    /// call they made that still exists was made by them again. A page whose data came from a cache
    /// this time (an SPA's query cache, a request deduplicated into an earlier step) skips several
    /// calls at once, and one of them missing is then no evidence. Calls that no longer exist at all
    /// (a route renamed with the rest) do not count against it.
    static func stepsRepeated(_ endpoint: DiscoveredEndpoint, old: DiscoveredAPI, new: DiscoveredAPI) -> Bool {
        func normalized(_ call: String) -> String {
            let parts = call.split(separator: " ", maxSplits: 1)
            return parts.count == 2 ? "\(parts[0]) \(PathTemplate(parsing: String(parts[1])).normalized)" : call
        }
        let existing = Set(new.endpoints.map(\.normalizedKey))
        let oldSteps = Dictionary(old.steps.map { ("\($0.flow)#\($0.step)", $0) }, uniquingKeysWith: { first, _ in first })
        let newSteps = Dictionary(new.steps.map { ("\($0.flow)#\($0.step)", $0) }, uniquingKeysWith: { first, _ in first })
        for step in endpoint.provenance {
            let key = "\(step.flow)#\(step.step)"
            guard let before = oldSteps[key] else { continue }
            let expected = Set(before.calls.map(normalized)).subtracting([endpoint.normalizedKey]).intersection(existing)
            let made = Set(newSteps[key]?.calls.map(normalized) ?? [])
            if !expected.isSubset(of: made) { return false }
        }
        return true
    }

    static func reachable(_ endpoint: DiscoveredEndpoint, in new: DiscoveredAPI) -> Bool {
        reachable(flows: Set(endpoint.provenance.map(\.flow)), in: new)
    }

    static func reachable(flows: Set<String>, in new: DiscoveredAPI) -> Bool {
        let outcomes = new.capture.flows
        if !outcomes.isEmpty, !flows.isEmpty { return flows.allSatisfy { outcomes[$0] == "passed" } }
        return new.capture.complete ?? true
    }

    private static func sortKey(_ key: String) -> String {
        let parts = key.split(separator: " ", maxSplits: 1)
        return parts.count == 2 ? parts[1] + " " + parts[0] : key
    }
}

private struct EndpointComparison {
    let endpoint: String
    var changes: [APIDiff.Change] = []

    init(endpoint: String) { self.endpoint = endpoint }

    private mutating func note(_ detail: String, breaking: Bool) {
        changes.append(APIDiff.Change(kind: .changed, endpoint: endpoint, detail: detail, breaking: breaking))
    }

    mutating func compare(_ old: DiscoveredEndpoint, _ new: DiscoveredEndpoint) {
        if old.kind != new.kind { note("kind \(old.kind.rawValue) -> \(new.kind.rawValue)", breaking: true) }
        compareParameters(old.parameters.filter { $0.location == .query }, new.parameters.filter { $0.location == .query })
        let oldPath = old.parameters.filter { $0.location == .path }
        let newPath = new.parameters.filter { $0.location == .path }
        for (before, after) in zip(oldPath, newPath) {
            compareSchemas(before.schema, after.schema, at: "path parameter \(after.name)", request: true)
        }
        switch (old.request, new.request) {
        case (nil, let after?):
            let required = after.schema["required"]?.arrayValue?.isEmpty == false || after.multipart?.contains(where: \.required) == true
            note("request body added (\(after.contentType))", breaking: required)
        case (let before?, nil):
            note("request body no longer sent (\(before.contentType))", breaking: false)
        case (let before?, let after?):
            if before.contentType != after.contentType { note("request content type \(before.contentType) -> \(after.contentType)", breaking: true) }
            compareSchemas(before.schema, after.schema, at: "request body", request: true)
            compareMultipart(before.multipart ?? [], after.multipart ?? [])
        default:
            break
        }
        let oldResponses = Dictionary(old.responses.map { ($0.status, $0) }, uniquingKeysWith: { first, _ in first })
        let newResponses = Dictionary(new.responses.map { ($0.status, $0) }, uniquingKeysWith: { first, _ in first })
        for status in Set(oldResponses.keys).union(newResponses.keys).sorted() {
            switch (oldResponses[status], newResponses[status]) {
            case (_?, nil) where !Self.isContractStatus(status):
                break
            case (nil, _?) where !Self.isContractStatus(status):
                break
            case (_?, nil) where !newResponses.keys.contains(where: { Self.isContractStatus($0) }):
                // No success at all this time (the call was cut off, or the state it read was not
                // there yet): no evidence the success is gone.
                break
            case (_?, nil):
                note("response \(status) removed", breaking: true)
            case (nil, _?) where !oldResponses.keys.contains(where: { Self.isContractStatus($0) }):
                // The first success seen: before, the call was cut off or failed.
                break
            case (nil, _?):
                note("response \(status) added", breaking: false)
            case (let before?, let after?):
                if let a = before.contentType, let b = after.contentType, a != b {
                    note("response \(status) content type \(a) -> \(b)", breaking: true)
                }
                if let a = before.schema, let b = after.schema { compareSchemas(a, b, at: "response \(status) body", request: false) }
            default:
                break
            }
        }
        compareStreams(old.stream?.messages ?? [], new.stream?.messages ?? [])
    }

    private mutating func compareParameters(_ old: [DiscoveredParameter], _ new: [DiscoveredParameter]) {
        let before = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for name in Set(before.keys).union(after.keys).sorted() {
            switch (before[name], after[name]) {
            case (nil, let added?):
                note("query parameter \(name) added (\(added.required ? "required" : "optional"))", breaking: added.required)
            case (_?, nil):
                note("query parameter \(name) no longer sent", breaking: false)
            case (let a?, let b?):
                if !a.required && b.required { note("query parameter \(name) became required", breaking: true) }
                compareSchemas(a.schema, b.schema, at: "query parameter \(name)", request: true)
            default:
                break
            }
        }
    }

    /// JSON-RPC methods and GraphQL operations, like endpoints: gone only when the flows that called
    /// them passed again.
    mutating func compareOperations(_ old: [DiscoveredOperation], _ new: [DiscoveredOperation], reachable: (DiscoveredOperation) -> Bool) {
        let before = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for name in Set(before.keys).union(after.keys).sorted() {
            switch (before[name], after[name]) {
            case (let gone?, nil):
                if reachable(gone) { note("operation \(name) removed", breaking: true) }
            case (nil, _?):
                note("operation \(name) added", breaking: false)
            case (let a?, let b?):
                compareSchemas(a.requestSchema, b.requestSchema, at: "operation \(name) request", request: true)
                if let x = a.responseSchema, let y = b.responseSchema { compareSchemas(x, y, at: "operation \(name) response", request: false) }
            default:
                break
            }
        }
    }

    private mutating func compareMultipart(_ old: [MultipartField], _ new: [MultipartField]) {
        let before = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for part in new {
            guard let previous = before[part.name] else { continue }
            if previous.maxPerRequest != part.maxPerRequest {
                note("multipart part \(part.name): \(previous.maxPerRequest == 1 ? "one" : "up to \(previous.maxPerRequest)") per request -> \(part.maxPerRequest == 1 ? "one" : "up to \(part.maxPerRequest)") per request", breaking: false)
            }
        }
    }

    private mutating func compareStreams(_ old: [StreamMessageShape], _ new: [StreamMessageShape]) {
        let before = Dictionary(old.map { ("\($0.direction) \($0.name)", $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.map { ("\($0.direction) \($0.name)", $0) }, uniquingKeysWith: { first, _ in first })
        for key in Set(before.keys).union(after.keys).sorted() {
            switch (before[key], after[key]) {
            case (let a?, nil): note("stream message \(key) no longer seen", breaking: a.direction == "received")
            case (nil, let b?): note("stream message \(key) added", breaking: b.direction == "sent")
            case (let a?, let b?):
                let count = changes.count
                compareSchemas(a.schema, b.schema, at: "stream message \(key)", request: a.direction == "sent")
                if changes[count...].contains(where: \.breaking) { note("stream message \(key) shape changed", breaking: true) }
            default: break
            }
        }
    }

    /// `request`: the client sends it (widening is safe, new requirements break); otherwise the
    /// client reads it (new fields are safe, removed or retyped ones break).
    /// Success statuses are the contract; an error status or a 304 seen in one run and not the other
    /// is sampling (a conflict retried, a cache revalidated), not a change.
    static func isContractStatus(_ status: Int) -> Bool { (200..<300).contains(status) }

    private mutating func compareSchemas(_ old: JSON, _ new: JSON, at place: String, request: Bool) {
        // `null` is a value that happened, not a type that changed: a field null in one run and set in
        // the other has not changed type.
        let oldTypes = Self.types(old).subtracting(["null"])
        let newTypes = Self.types(new).subtracting(["null"])
        if !oldTypes.isEmpty, !newTypes.isEmpty, oldTypes != newTypes {
            let widened = newTypes.isSuperset(of: oldTypes)
            let narrowed = newTypes.isSubset(of: oldTypes)
            note("\(place): type \(oldTypes.sorted().joined(separator: "|")) -> \(newTypes.sorted().joined(separator: "|"))",
                 breaking: request ? !widened : !narrowed)
            if oldTypes.intersection(newTypes).isEmpty { return }
        }
        if let a = Self.variant(old, "object"), let b = Self.variant(new, "object") {
            // A map (keys are data) on either side: its keys are values, only its value shape counts.
            if a["additionalProperties"] != nil || b["additionalProperties"] != nil {
                if let x = a["additionalProperties"], let y = b["additionalProperties"] { compareSchemas(x, y, at: place + ".*", request: request) }
                return
            }
            let oldProperties = a["properties"]?.objectValue ?? [:]
            let newProperties = b["properties"]?.objectValue ?? [:]
            let oldRequired = Set(a["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            let newRequired = Set(b["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            // An object seen without members on one side tells nothing about its members.
            if oldProperties.isEmpty || newProperties.isEmpty { return }
            for key in Set(oldProperties.keys).union(newProperties.keys).sorted() {
                let path = "\(place).\(key)"
                switch (oldProperties[key], newProperties[key]) {
                case (_?, nil):
                    // Only a member every sample had is evidence; an optional one missing is sampling.
                    if oldRequired.contains(key) { note("\(path) removed", breaking: !request) }
                case (nil, _?):
                    // A member is evidence only when every sample has it: an optional one that shows
                    // up (a filter the UI sent this time) is sampling, on either side of the wire.
                    if newRequired.contains(key) { note("\(path) added\(request ? " (always sent)" : "")", breaking: false) }
                case (let x?, let y?):
                    // Whether the app always sends a member is a sample of what the UI did, not of
                    // what the server requires: no change either way.
                    compareSchemas(x, y, at: path, request: request)
                default:
                    break
                }
            }
        }
        if let a = Self.variant(old, "array"), let b = Self.variant(new, "array"), let x = a["items"], let y = b["items"] {
            compareSchemas(x, y, at: place + "[]", request: request)
        }
    }

    /// Types a schema allows, nullable ones and `oneOf` variants included; integer counts as number.
    static func types(_ schema: JSON) -> Set<String> {
        if let variants = schema["oneOf"]?.arrayValue { return variants.reduce(into: Set<String>()) { $0.formUnion(types($1)) } }
        var result = Set(SchemaSketch.typeNames(schema))
        if schema["format"]?.stringValue == "binary" { result = result.subtracting(["string"]).union(["binary"]) }
        if result.contains("integer") {
            result.remove("integer")
            result.insert("number")
        }
        return result
    }

    /// The schema's `type` variant. Several object variants (disjoint shapes kept apart) are compared
    /// as one: their members together, required only where every variant requires it; which variant
    /// happened to come first is sampling.
    static func variant(_ schema: JSON, _ type: String) -> JSON? {
        guard let variants = schema["oneOf"]?.arrayValue else {
            // (JSON takes `nil` as its null: spelled out, or `? schema : nil` would never be nil.)
            if SchemaSketch.typeNames(schema).contains(type) { return schema }
            return Optional<JSON>.none
        }
        let matching = variants.filter { SchemaSketch.typeNames($0).contains(type) }
        guard matching.count > 1, type == "object" else { return matching.first }
        var properties: [String: JSON] = [:]
        var required: Set<String>?
        var map: JSON?
        for variant in matching {
            for (key, value) in variant["properties"]?.objectValue ?? [:] where properties[key] == nil { properties[key] = value }
            let these = Set(variant["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            required = required.map { $0.intersection(these) } ?? these
            if map == nil { map = variant["additionalProperties"] }
        }
        var union: [String: JSON] = ["type": "object", "properties": .object(properties)]
        union["required"] = .array((required ?? []).sorted().map(JSON.string))
        if let map, properties.isEmpty { union["additionalProperties"] = map }
        return .object(union)
    }
}
