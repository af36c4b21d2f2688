import Browser
import Foundation
import JSONCore
import Testing
@testable import Capture
@testable import Recording

/// Drives a `CaptureCore` with hand-written DevTools event sequences (from the protocol's documented
/// shapes), typed by the browser's `NetworkTracker` as `browser.network` types them, and answers its
/// commands the way the browser would.
final class AssemblerFixture {
    let folder: URL
    let core: CaptureCore
    var tracker = NetworkTracker()
    var commands: [NetworkCommand] = []
    /// What the tracker asked of the browser (`Network.streamResourceContent`).
    var trackerCommands: [NetworkTrackerCommand] = []

    init(secrets: [SecretValue] = [], include: [String] = [], exclude: [String] = [], keepSecrets: Bool = false,
         harContent: HARContentPolicy = .embed, spoolThreshold: Int = 1 << 20) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("capture-test-\(UUID().uuidString)")
        core = try CaptureCore(options: CaptureOptions(
            outputFolder: folder, secrets: secrets, keepSecrets: keepSecrets, include: include, exclude: exclude,
            harContent: harContent, spoolThreshold: spoolThreshold, toolVersion: "test", extraInfoGrace: .seconds(60)))
        core.withAssembler { $0.registerTarget(sessionId: "S1", SessionTarget(type: "page", targetId: "MAIN", url: "http://127.0.0.1:9/")) }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func send(_ method: String, _ params: JSON, session: String? = "S1") {
        let (events, asked) = tracker.handle(method: method, sessionId: session, params: params)
        trackerCommands += asked
        for event in events { commands += core.ingest(event) }
    }

    /// The browser's reply to the tracker's `Network.streamResourceContent`.
    func streamContent(_ requestId: String, bytes: [UInt8]?, error: String? = nil, session: String? = "S1") {
        for event in tracker.streamContentArrived(sessionId: session, requestId: requestId, bytes: bytes, error: error) {
            commands += core.ingest(event)
        }
    }

    func answerBodies(_ bodies: [String: String]) {
        for command in commands {
            guard case .fetchResponseBody(let id, _, let requestId, let mime) = command, let text = bodies[requestId] else { continue }
            let body = try! core.bodies.body(exchangeID: id, role: "response", content: text, base64: false, mimeType: mime)
            core.withAssembler { $0.responseBodyArrived(exchangeID: id, body: body) }
        }
    }

    func finish(complete: Bool = true) throws -> CaptureFile {
        _ = try core.finish(complete: complete, reason: nil)
        return try CaptureFile.read(core.options.captureURL)
    }

    func lines() throws -> [JSON] {
        core.flush()
        return try String(contentsOf: core.options.captureURL, encoding: .utf8).split(separator: "\n").map { try JSON.parse(String($0)) }
    }

    // Event builders with the fields Chromium sends.
    static func request(_ id: String, _ url: String, method: String = "GET", type: String = "Fetch", headers: JSON = ["Accept": "*/*"],
                        timestamp: Double = 100, wallTime: Double = 1_700_000_000, post: String? = nil, hasPostData: Bool = false,
                        redirect: JSON? = nil, frameId: String = "MAIN") -> JSON {
        var request: [String: JSON] = ["url": .string(url), "method": .string(method), "headers": headers]
        if let post { request["postData"] = .string(post) }
        if hasPostData || post != nil { request["hasPostData"] = true }
        var params: [String: JSON] = [
            "requestId": .string(id), "loaderId": "L", "request": .object(request), "timestamp": .number(timestamp),
            "wallTime": .number(wallTime), "type": .string(type), "frameId": .string(frameId),
            "initiator": ["type": "script", "stack": ["callFrames": [["url": "http://127.0.0.1:9/app.js", "lineNumber": 3]]]],
        ]
        if let redirect {
            params["redirectResponse"] = redirect
            params["redirectHasExtraInfo"] = true
        }
        return .object(params)
    }

    static func response(_ id: String, status: Int = 200, mime: String = "application/json", headers: JSON = ["Content-Type": "application/json"],
                         timestamp: Double = 100.05, hasExtraInfo: Bool = true, type: String = "Fetch") -> JSON {
        ["requestId": .string(id), "timestamp": .number(timestamp), "type": .string(type), "hasExtraInfo": .bool(hasExtraInfo),
         "response": responseObject(status: status, mime: mime, headers: headers)]
    }

    static func responseObject(status: Int, mime: String = "application/json", headers: JSON = [:]) -> JSON {
        ["url": "", "status": .integer(status), "statusText": status == 200 ? "OK" : "", "headers": headers, "mimeType": .string(mime),
         "protocol": "http/1.1", "remoteIPAddress": "127.0.0.1", "remotePort": 9, "fromDiskCache": false, "fromServiceWorker": false,
         "timing": ["requestTime": 100.001, "dnsStart": -1, "dnsEnd": -1, "connectStart": 0.1, "connectEnd": 0.3, "sslStart": -1, "sslEnd": -1,
                    "sendStart": 0.4, "sendEnd": 0.5, "receiveHeadersEnd": 20.5]]
    }

    static func finished(_ id: String, timestamp: Double = 100.1) -> JSON {
        ["requestId": .string(id), "timestamp": .number(timestamp), "encodedDataLength": 10]
    }
}
