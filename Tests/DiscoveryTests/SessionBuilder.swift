import Foundation
import JSONCore
import Recording

/// Builds the exchanges a capture of the AI Toolkit UI would hold, without a browser: the same
/// routes, bodies, headers, timings and provenance the real UI produces (reference ai-toolkit-ui.md).
final class SessionBuilder {
    let baseURL = "http://127.0.0.1:8675"
    private(set) var exchanges: [Exchange] = []
    private(set) var clock: Double = 1_790_000_000
    private var counter = 0
    var token: String? = nil
    var step: Provenance? = nil

    func advance(_ seconds: Double) { clock += seconds }

    private func nextID() -> String {
        counter += 1
        return "e\(counter)"
    }

    private func headers(json: Bool = false) -> [Header] {
        var list = [Header(name: "Accept", value: "application/json, text/plain, */*")]
        if let token { list.append(Header(name: "Authorization", value: "Bearer \(token)")) }
        if json { list.append(Header(name: "Content-Type", value: "application/json")) }
        return list
    }

    @discardableResult
    func http(
        _ method: String, _ path: String, status: Int = 200, request: JSON? = nil, response: JSON? = nil,
        responseText: String? = nil, responseType: String? = nil, resourceType: String = "XHR", isStatic: Bool = false,
        responseHeaders: [Header] = [], download: Download? = nil, multipart: [MultipartPart]? = nil, duration: Double = 0.02,
        background: Bool = false
    ) -> Exchange {
        var requestBody: Body?
        // Images and navigations are fetched by the browser itself: no Authorization header.
        var requestHeaders = resourceType == "Image" || resourceType == "Document" ? [Header(name: "Accept", value: "*/*")] : headers(json: request != nil)
        if let request {
            let text = request.serialized()
            requestBody = Body(size: text.utf8.count, mimeType: "application/json", text: text)
        } else if let multipart {
            let mime = "multipart/form-data; boundary=----WebKitFormBoundaryX"
            requestHeaders.append(Header(name: "Content-Type", value: mime))
            requestBody = Body(size: multipart.reduce(0) { $0 + $1.size + 100 }, mimeType: mime, multipart: multipart)
        }
        var body: Body?
        var mime = responseType
        if let response {
            let text = response.serialized()
            body = Body(size: text.utf8.count, mimeType: "application/json", text: text)
            mime = mime ?? "application/json"
        } else if let responseText {
            body = Body(size: responseText.utf8.count, mimeType: mime ?? "text/plain", text: responseText)
        }
        var allHeaders = responseHeaders
        if let mime { allHeaders.append(Header(name: "Content-Type", value: mime)) }
        let exchange = Exchange(
            id: nextID(), method: method, url: baseURL + path, resourceType: resourceType, isStaticAsset: isStatic,
            startedAt: clock, endedAt: clock + duration, request: Request(headers: requestHeaders, body: requestBody),
            response: Response(status: status, statusText: "", headers: allHeaders, mimeType: mime, body: body),
            download: download, provenance: background ? nil : step, backgroundPoll: background)
        exchanges.append(exchange)
        advance(duration + 0.01)
        return exchange
    }

    func sse(_ path: String, status: Int = 200, events: [(String, JSON)], every interval: Double, errorBody: JSON? = nil) {
        var messages: [StreamMessage] = []
        var time = clock + 0.05
        for (name, data) in events {
            messages.append(StreamMessage(direction: .received, time: time, event: name, data: data.serialized()))
            time += interval
        }
        let body = errorBody.map { json -> Body in
            let text = json.serialized()
            return Body(size: text.utf8.count, mimeType: "application/json", text: text)
        }
        let mime = status == 200 ? "text/event-stream" : "application/json"
        exchanges.append(Exchange(
            id: nextID(), kind: .stream, method: "GET", url: baseURL + path, resourceType: "Fetch", startedAt: clock, endedAt: time,
            request: Request(headers: headers() + [Header(name: "Accept", value: "text/event-stream")]),
            response: Response(status: status, headers: [Header(name: "Content-Type", value: mime)], mimeType: mime, body: body),
            messages: messages, streamOpen: false, provenance: step))
        advance(0.01)
    }

    /// A streamed response read line by line (NDJSON), as `POST /api/scripts` with `stream: true` answers.
    func ndjson(_ path: String, request: JSON, lines: [JSON]) {
        let text = request.serialized()
        var messages: [StreamMessage] = []
        var time = clock + 0.05
        for line in lines {
            messages.append(StreamMessage(direction: .received, time: time, data: line.serialized()))
            time += 0.1
        }
        exchanges.append(Exchange(
            id: nextID(), kind: .stream, method: "POST", url: baseURL + path, resourceType: "Fetch", startedAt: clock, endedAt: time,
            request: Request(headers: headers(json: true), body: Body(size: text.utf8.count, mimeType: "application/json", text: text)),
            response: Response(status: 200, headers: [Header(name: "Content-Type", value: "application/x-ndjson")], mimeType: "application/x-ndjson"),
            messages: messages, provenance: step))
        advance(0.01)
    }

    /// A request the network refused: no response at all.
    func failed(_ method: String, _ path: String, error: String) {
        exchanges.append(Exchange(
            id: nextID(), method: method, url: baseURL + path, resourceType: "XHR", startedAt: clock, endedAt: clock + 0.01,
            request: Request(headers: headers()), failure: Failure(errorText: error), provenance: step))
        advance(0.02)
    }

    func websocket(_ path: String, messages: [(StreamMessage.Direction, JSON)]) {
        var list: [StreamMessage] = []
        var time = clock + 0.1
        for (direction, data) in messages {
            list.append(StreamMessage(direction: direction, time: time, opcode: 1, data: data.serialized()))
            time += 1
        }
        exchanges.append(Exchange(
            id: nextID(), kind: .websocket, method: "GET", url: baseURL.replacingOccurrences(of: "http", with: "ws") + path,
            resourceType: "WebSocket", startedAt: clock, request: Request(headers: []),
            response: Response(status: 101, statusText: "Switching Protocols"), messages: list, streamOpen: true))
        advance(0.01)
    }
}
