import Foundation
import JSONCore

/// Checks a HAR against the HAR 1.2 required fields and what Chrome DevTools needs to import it:
/// numeric `time`, sizes and `timings` (send/wait/receive never negative, the others -1 or more),
/// `status` a number, WebSocket messages typed `send`/`receive` with epoch-second times.
enum HARValidator {
    static func problems(_ har: JSON) -> [String] {
        var problems: [String] = []
        func require(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { problems.append(message()) }
        }
        guard let log = har["log"] else { return ["no log"] }
        require(log["version"]?.stringValue == "1.2", "log.version is not 1.2")
        require(log["creator"]?["name"]?.stringValue != nil && log["creator"]?["version"]?.stringValue != nil, "log.creator needs name and version")
        guard let entries = log["entries"]?.arrayValue else { return problems + ["log.entries is not an array"] }
        let iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
        for (index, entry) in entries.enumerated() {
            let at = "entries[\(index)]"
            require(entry["startedDateTime"]?.stringValue.map { $0.wholeMatch(of: iso) != nil } ?? false, "\(at).startedDateTime")
            require(isNumber(entry["time"]) && (entry["time"]?.doubleValue ?? -1) >= 0, "\(at).time must be a non-negative number")
            require(entry["cache"]?.objectValue != nil, "\(at).cache must be an object")
            let request = entry["request"] ?? .null
            for key in ["method", "url", "httpVersion"] { require(request[key]?.stringValue != nil, "\(at).request.\(key)") }
            for key in ["cookies", "headers", "queryString"] { require(request[key]?.arrayValue != nil, "\(at).request.\(key)") }
            for key in ["headersSize", "bodySize"] { require(isNumber(request[key]), "\(at).request.\(key) must be a number") }
            if let postData = request["postData"] { require(postData["mimeType"]?.stringValue != nil, "\(at).request.postData.mimeType") }
            let response = entry["response"] ?? .null
            require(response["status"]?.intValue != nil, "\(at).response.status must be a number")
            for key in ["statusText", "httpVersion", "redirectURL"] { require(response[key]?.stringValue != nil, "\(at).response.\(key)") }
            for key in ["cookies", "headers"] { require(response[key]?.arrayValue != nil, "\(at).response.\(key)") }
            for key in ["headersSize", "bodySize"] { require(isNumber(response[key]), "\(at).response.\(key) must be a number") }
            require(isNumber(response["content"]?["size"]) && response["content"]?["mimeType"]?.stringValue != nil, "\(at).response.content size/mimeType")
            for header in (request["headers"]?.arrayValue ?? []) + (response["headers"]?.arrayValue ?? []) {
                require(header["name"]?.stringValue != nil && header["value"]?.stringValue != nil, "\(at) header needs name and value")
            }
            let timings = entry["timings"] ?? .null
            for key in ["send", "wait", "receive"] {
                require(isNumber(timings[key]) && (timings[key]?.doubleValue ?? -1) >= 0, "\(at).timings.\(key) must be >= 0")
            }
            for key in ["blocked", "dns", "connect", "ssl"] {
                require(isNumber(timings[key]) && (timings[key]?.doubleValue ?? -2) >= -1, "\(at).timings.\(key) must be >= -1")
            }
            require(entry["_resourceType"]?.stringValue != nil, "\(at)._resourceType")
            if let messages = entry["_webSocketMessages"]?.arrayValue {
                require(entry["_resourceType"]?.stringValue == "websocket", "\(at) has WebSocket messages but is not a websocket entry")
                for message in messages {
                    require(["send", "receive"].contains(message["type"]?.stringValue ?? ""), "\(at) message type must be send or receive")
                    require(isNumber(message["time"]) && (message["time"]?.doubleValue ?? 0) > 1_000_000_000, "\(at) message time must be epoch seconds")
                    require(message["opcode"]?.intValue != nil && message["data"]?.stringValue != nil, "\(at) message opcode and data")
                }
            }
        }
        return problems
    }

    static func isNumber(_ value: JSON?) -> Bool {
        switch value {
        case .integer?, .number?: return true
        default: return false
        }
    }
}
