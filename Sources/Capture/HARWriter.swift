import Foundation
import Glibc
import JSONCore
import Recording

/// Writes the exchanges as HAR 1.2 that Chrome DevTools imports: numeric `time`, sizes (-1 unknown),
/// `status` and `timings` on every entry, `_resourceType`, and WebSocket frames in `_webSocketMessages`.
/// Entries are serialized one at a time, so a capture with large bodies never sits in memory as one tree.
public enum HARWriter {
    public static func write(
        _ exchanges: [Exchange], to url: URL, policy: HARContentPolicy, captureFolder: URL, toolVersion: String
    ) throws {
        try AtomicFile.write(to: url) { handle in
            let creator: JSON = ["name": "discover", "version": .string(toolVersion)]
            try handle.write(contentsOf: Data("{\"log\":{\"creator\":\(creator.serialized()),\"entries\":[".utf8))
            let attachFolder = url.deletingLastPathComponent().appendingPathComponent(url.deletingPathExtension().lastPathComponent + "-bodies")
            for (index, exchange) in exchanges.enumerated() {
                let entry = try self.entry(exchange, policy: policy, captureFolder: captureFolder, attachFolder: attachFolder)
                try handle.write(contentsOf: Data(((index > 0 ? "," : "") + "\n" + entry.serialized()).utf8))
            }
            try handle.write(contentsOf: Data("\n],\"pages\":[],\"version\":\"1.2\"}}\n".utf8))
        }
    }

    static func entry(_ exchange: Exchange, policy: HARContentPolicy, captureFolder: URL, attachFolder: URL) throws -> JSON {
        let timings = harTimings(exchange)
        let time = ["blocked", "dns", "connect", "send", "wait", "receive"].reduce(0.0) { total, key in
            total + max(timings[key]?.doubleValue ?? 0, 0)
        }
        var entry: [String: JSON] = [
            "startedDateTime": .string(isoDate(exchange.startedAt)),
            "time": .number(time),
            "request": request(exchange, policy: policy),
            "response": try response(exchange, policy: policy, captureFolder: captureFolder, attachFolder: attachFolder),
            "cache": [:],
            "timings": timings,
            "_resourceType": .string(resourceType(exchange)),
        ]
        if let address = exchange.response?.remoteAddress {
            entry["serverIPAddress"] = .string(address.hasPrefix("[") ? address : String(address.split(separator: ":").first ?? ""))
        }
        if let initiator = exchange.initiator {
            var value: [String: JSON] = ["type": .string(initiator.type)]
            if let url = initiator.url { value["url"] = .string(url) }
            if let line = initiator.lineNumber { value["lineNumber"] = .integer(line) }
            entry["_initiator"] = .object(value)
        }
        if exchange.kind == .websocket {
            entry["_webSocketMessages"] = .array(exchange.messages.map { message in
                [
                    "type": .string(message.direction == .sent ? "send" : "receive"), "time": .number(message.time),
                    "opcode": .integer(message.opcode ?? (message.base64 ? 2 : 1)), "data": .string(message.data),
                ]
            })
        } else if exchange.kind == .stream {
            entry["_eventSourceMessages"] = .array(exchange.messages.map { message in
                var value: [String: JSON] = ["time": .number(message.time), "data": .string(message.data)]
                if let event = message.event { value["eventName"] = .string(event) }
                if let id = message.eventId { value["eventId"] = .string(id) }
                return .object(value)
            })
        }
        var discover: [String: JSON] = ["id": .string(exchange.id), "kind": .string(exchange.kind.rawValue)]
        if exchange.isStaticAsset { discover["static"] = true }
        if exchange.backgroundPoll { discover["backgroundPoll"] = true }
        if exchange.streamOpen { discover["streamOpen"] = true }
        if let target = exchange.target { discover["target"] = .string(target.type) }
        if let from = exchange.redirectedFrom { discover["redirectedFrom"] = .string(from) }
        if let to = exchange.redirectedTo { discover["redirectedTo"] = .string(to) }
        if let provenance = exchange.provenance {
            discover["provenance"] = ["flow": .string(provenance.flow), "step": .integer(provenance.step), "description": .string(provenance.description)]
        }
        if let failure = exchange.failure {
            discover["failure"] = ["errorText": .string(failure.errorText), "canceled": .bool(failure.canceled)]
        }
        if let download = exchange.download {
            var value: [String: JSON] = ["suggestedFilename": .string(download.suggestedFilename), "state": .string(download.state.rawValue)]
            if let path = download.path { value["path"] = .string(path) }
            if let size = download.size { value["size"] = .integer(size) }
            if let sha = download.sha256 { value["sha256"] = .string(sha) }
            discover["download"] = .object(value)
        }
        entry["_discover"] = .object(discover)
        return .object(entry)
    }

    /// Chrome writes its resource types in lower case (`fetch`, `xhr`, `websocket`, `document`).
    static func resourceType(_ exchange: Exchange) -> String {
        if exchange.kind == .websocket { return "websocket" }
        return (exchange.resourceType ?? "other").lowercased()
    }

    static func harTimings(_ exchange: Exchange) -> JSON {
        guard let t = exchange.timings else {
            let total = exchange.endedAt.map { max(($0 - exchange.startedAt) * 1000, 0) } ?? 0
            return ["blocked": -1, "dns": -1, "connect": -1, "ssl": -1, "send": 0, "wait": .number(total), "receive": 0]
        }
        return [
            "blocked": .number(t.blocked), "dns": .number(t.dns), "connect": .number(t.connect), "ssl": .number(t.ssl),
            "send": .number(max(t.send, 0)), "wait": .number(max(t.wait, 0)), "receive": .number(max(t.receive, 0)),
        ]
    }

    static func request(_ exchange: Exchange, policy: HARContentPolicy) -> JSON {
        var value: [String: JSON] = [
            "method": .string(exchange.method), "url": .string(exchange.url),
            "httpVersion": .string(httpVersion(exchange.response?.httpVersion)),
            "headers": headers(exchange.request.headers),
            "cookies": .array(cookies(exchange.request.headers.value(of: "Cookie"), separator: ";")),
            "queryString": .array(queryString(exchange.url)),
            "headersSize": -1,
            "bodySize": .integer(exchange.request.body?.size ?? 0),
        ]
        if let body = exchange.request.body {
            var postData: [String: JSON] = ["mimeType": .string(body.mimeType ?? exchange.request.headers.value(of: "Content-Type") ?? "")]
            if let parts = body.multipart {
                postData["params"] = .array(parts.map { part in
                    var param: [String: JSON] = ["name": .string(part.name)]
                    if let filename = part.filename { param["fileName"] = .string(filename) }
                    if let type = part.contentType { param["contentType"] = .string(type) }
                    if let value = part.value, !part.base64, policy != .omit { param["value"] = .string(value) }
                    return .object(param)
                })
                postData["text"] = ""
            } else {
                postData["text"] = .string(policy == .omit || body.encoding != .text ? "" : body.text ?? "")
            }
            value["postData"] = .object(postData)
        }
        return .object(value)
    }

    static func response(_ exchange: Exchange, policy: HARContentPolicy, captureFolder: URL, attachFolder: URL) throws -> JSON {
        let response = exchange.response
        let headerList = response?.headers ?? []
        let setCookies = headerList.filter { $0.name.lowercased() == "set-cookie" }.flatMap { cookies($0.value, separator: "\n") }
        var value: [String: JSON] = [
            "status": .integer(response?.status ?? 0),
            "statusText": .string(response?.statusText ?? ""),
            "httpVersion": .string(httpVersion(response?.httpVersion)),
            "headers": headers(headerList),
            "cookies": .array(setCookies),
            "content": try content(exchange, policy: policy, captureFolder: captureFolder, attachFolder: attachFolder),
            "redirectURL": .string(headerList.value(of: "Location") ?? ""),
            "headersSize": -1,
            "bodySize": .integer(response?.body.map { $0.unavailableReason == nil ? $0.size : -1 } ?? -1),
        ]
        if let failure = exchange.failure { value["_error"] = .string(failure.errorText) }
        if response?.fromDiskCache == true { value["_fromDiskCache"] = true }
        if response?.fromServiceWorker == true { value["_fromServiceWorker"] = true }
        return .object(value)
    }

    static func content(_ exchange: Exchange, policy: HARContentPolicy, captureFolder: URL, attachFolder: URL) throws -> JSON {
        let body = exchange.response?.body
        var value: [String: JSON] = [
            "size": .integer(body?.size ?? 0),
            "mimeType": .string(exchange.response?.mimeType ?? body?.mimeType ?? "x-unknown"),
        ]
        guard let body, body.unavailableReason == nil, policy != .omit else { return .object(value) }
        switch policy {
        case .omit: break
        case .embed:
            if let text = body.text {
                value["text"] = .string(text)
            } else if let file = body.file {
                let data = try Data(contentsOf: captureFolder.appendingPathComponent(file))
                value["text"] = .string(body.encoding == .base64 ? data.base64EncodedString() : String(decoding: data, as: UTF8.self))
            }
            if body.encoding == .base64 { value["encoding"] = "base64" }
        case .attach:
            if let file = body.file {
                value["_file"] = .string(file)
            } else if let text = body.text {
                try FileManager.default.createDirectory(at: attachFolder, withIntermediateDirectories: true)
                let name = "\(exchange.id)-response\(BodyStore.fileExtension(mimeType: body.mimeType ?? exchange.response?.mimeType, isText: body.encoding == .text))"
                let data = body.encoding == .base64 ? (Data(base64Encoded: text) ?? Data()) : Data(text.utf8)
                try data.write(to: attachFolder.appendingPathComponent(name))
                value["_file"] = .string(attachFolder.lastPathComponent + "/" + name)
            }
        }
        return .object(value)
    }

    static func headers(_ list: [Header]) -> JSON {
        .array(list.flatMap { header in
            // DevTools joins repeated headers (Set-Cookie) with newlines; HAR lists them one by one.
            header.value.split(separator: "\n", omittingEmptySubsequences: false).map { ["name": .string(header.name), "value": .string(String($0))] as JSON }
        })
    }

    static func cookies(_ header: String?, separator: Character) -> [JSON] {
        guard let header else { return [] }
        return header.split(separator: separator).compactMap { piece in
            let pair = separator == "\n" ? piece.split(separator: ";").first ?? piece : piece
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else { return nil }
            return ["name": .string(String(trimmed[..<equals])), "value": .string(String(trimmed[trimmed.index(after: equals)...]))]
        }
    }

    static func queryString(_ url: String) -> [JSON] {
        guard let question = url.firstIndex(of: "?") else { return [] }
        var query = url[url.index(after: question)...]
        if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text) }
            return ["name": .string(decode(parts[0])), "value": .string(parts.count > 1 ? decode(parts[1]) : "")]
        }
    }

    static func httpVersion(_ protocolName: String?) -> String {
        switch protocolName?.lowercased() {
        case nil, "": return "HTTP/1.1"
        case "h2": return "HTTP/2"
        case "h3": return "HTTP/3"
        case let other?: return other.uppercased()
        }
    }

    /// `2026-11-26T19:18:31.250Z`, formatted by hand: a date formatter per entry is slow on Linux.
    static func isoDate(_ epoch: Double) -> String {
        var seconds = time_t(epoch.rounded(.down))
        let milliseconds = Int(((epoch - epoch.rounded(.down)) * 1000).rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(width - text.count, 0)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds), 3))Z"
    }
}
