import DevTools
import Foundation
import JSONCore
import Synchronization

/// What `Network.streamResourceContent` gave back: the bytes that arrived before streaming was switched
/// on (from then on they come in `Network.dataReceived`), or the whole body of a stream that had already
/// ended, or why neither could be had.
public struct StreamContent: Sendable {
    public var bytes: [UInt8]?
    public var error: String?
}

/// The requests asked for so far, so a second consumer gets the same reply instead of asking again
/// (a second ask would return bytes the first already got as `dataReceived` chunks).
struct StreamContentRequests {
    var replies: [String: Task<StreamContent, Never>] = [:]
    var order: [String] = []
}

extension BrowserNetwork {
    /// Switches on streaming of a `fetch()`-read response's bytes, once per request whoever asks.
    public func streamContent(sessionId: String?, requestId: String) async -> StreamContent {
        let key = (sessionId ?? "") + "\u{0}" + requestId
        let reply = streamContents.withLock { requests -> Task<StreamContent, Never> in
            if let reply = requests.replies[key] { return reply }
            let reply = Task { await Self.askForStreamContent(connection, sessionId: sessionId, requestId: requestId) }
            requests.replies[key] = reply
            requests.order.append(key)
            if requests.order.count > 256 {
                for old in requests.order.prefix(128) { requests.replies[old] = nil }
                requests.order.removeFirst(128)
            }
            return reply
        }
        return await reply.value
    }

    private static func askForStreamContent(_ connection: DevToolsConnection, sessionId: String?, requestId: String) async -> StreamContent {
        do {
            let reply = try await connection.send("Network.streamResourceContent", ["requestId": .string(requestId)], sessionId: sessionId)
            return StreamContent(bytes: reply["bufferedData"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) })
        } catch {
            // A short stream can end before the command reaches the browser (seen on a loaded machine),
            // which then refuses to stream it: its whole body is still there to split.
            if let reply = try? await connection.send("Network.getResponseBody", ["requestId": .string(requestId)], sessionId: sessionId),
                let text = reply["body"]?.stringValue
            {
                let bytes = reply["base64Encoded"]?.boolValue == true ? Data(base64Encoded: text).map { [UInt8]($0) } : Array(text.utf8)
                return StreamContent(bytes: bytes, error: bytes == nil ? "invalid base64" : nil)
            }
            return StreamContent(bytes: nil, error: describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? CDPError { return "\(error.method): \(error.message)" }
        return "\(error)"
    }
}
