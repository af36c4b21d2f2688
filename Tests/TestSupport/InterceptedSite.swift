import Browser
import DevTools
import Foundation
import JSONCore

/// Serves made-up URLs (any host, no DNS, no server) through browser-wide request interception:
/// handy for two distinct sites (out-of-process iframes) in one test. Unknown URLs fail.
public enum InterceptedSite {
    public struct Resource: Sendable {
        public let contentType: String
        public let body: String
        public init(_ contentType: String, _ body: String) {
            self.contentType = contentType
            self.body = body
        }
    }

    /// Starts answering; cancel the returned task to stop.
    public static func serve(_ browser: Browser, _ resources: [String: Resource]) async throws -> Task<Void, Never> {
        let paused = browser.session.events(["Fetch.requestPaused"])
        _ = try await browser.session.send("Fetch.enable", ["patterns": [["urlPattern": "*"]]])
        return Task {
            for await event in paused {
                guard let requestId = event.params["requestId"]?.stringValue else { continue }
                let url = event.params["request"]?["url"]?.stringValue ?? ""
                guard let resource = resources[url] else {
                    _ = try? await browser.session.send("Fetch.failRequest", ["requestId": .string(requestId), "errorReason": "Failed"])
                    continue
                }
                _ = try? await browser.session.send("Fetch.fulfillRequest", [
                    "requestId": .string(requestId), "responseCode": 200,
                    "responseHeaders": [["name": "Content-Type", "value": .string(resource.contentType)]],
                    "body": .string(Data(resource.body.utf8).base64EncodedString()),
                ])
            }
        }
    }
}
