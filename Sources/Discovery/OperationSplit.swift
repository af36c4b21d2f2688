import JSONCore

/// Single-endpoint protocols: one URL, the operation named in the body. JSON-RPC (and its look-alikes:
/// Transmission's `{"method", "arguments"}`) names it in `method`; GraphQL in `operationName`, or in
/// the query text itself. Each operation is described on its own, like an endpoint of its own.
enum OperationSplit {
    struct Key: Hashable {
        /// The body field that names the operation: `method` or `operationName`.
        var field: String
        var name: String
    }

    /// The operation a request body names, if the body is such a call.
    static func key(of body: JSON) -> Key? {
        guard let members = body.objectValue else {
            // A JSON-RPC batch: named after its first call.
            if let first = body.arrayValue?.first { return key(of: first) }
            return nil
        }
        // Nothing but the call's own fields: a REST body that merely has a `method` member is no call.
        if let method = members["method"]?.stringValue, isOperationName(method), members.keys.allSatisfy(callFields.contains) {
            return Key(field: "method", name: method)
        }
        if let query = members["query"]?.stringValue, let kind = graphQLKind(query) {
            if let name = members["operationName"]?.stringValue, !name.isEmpty { return Key(field: "operationName", name: name) }
            return Key(field: "operationName", name: graphQLName(query) ?? kind)
        }
        return nil
    }

    /// The members of a JSON-RPC 1.0/2.0 call and its look-alikes (Transmission: `arguments`, `tag`).
    private static let callFields: Set<String> = ["method", "params", "arguments", "jsonrpc", "id", "tag"]

    private static func isOperationName(_ text: String) -> Bool {
        let bytes = text.utf8
        return !bytes.isEmpty && bytes.count <= 80 && bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E || $0 == 0x2F || $0 == 0x3A }
    }

    /// `query`, `mutation` or `subscription` for a GraphQL document (`{ ... }` is a query).
    private static func graphQLKind(_ query: String) -> String? {
        let trimmed = query.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        if trimmed.hasPrefix("{") { return "query" }
        for kind in ["query", "mutation", "subscription"] where trimmed.hasPrefix(kind) {
            let rest = trimmed.dropFirst(kind.count)
            if let next = rest.first, !(next.isLetter || next.isNumber || next == "_") { return kind }
        }
        return nil
    }

    /// `Jobs` in `query Jobs($first: Int) { ... }`; an anonymous `{ ... }` has none.
    private static func graphQLName(_ query: String) -> String? {
        let trimmed = query.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard !trimmed.hasPrefix("{") else { return nil }
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\n" || $0 == "\t" }) else { return nil }
        let rest = trimmed[space...].drop { $0 == " " || $0 == "\n" || $0 == "\t" }
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }
}

/// What one operation of a single-endpoint protocol looked like, folded in call by call.
final class OperationAccumulator {
    let key: OperationSplit.Key
    var count = 0
    let request = BodyAccumulator()
    let response = BodyAccumulator()
    /// The flows that called it, for the recapture diff's evidence.
    var flows: Set<String> = []

    init(key: OperationSplit.Key) { self.key = key }

    func finish() -> DiscoveredOperation {
        request.flush()
        response.flush()
        return DiscoveredOperation(
            field: key.field, name: key.name, count: count, requestSchema: request.shape.schema(),
            responseSchema: response.hasSamples ? response.shape.schema() : nil, example: request.examples.first, flows: flows.sorted())
    }
}
