import JSONCore

extension Browser {
    /// Asks a WebDriver server (a browser pool) for a session and attaches to its browser over DevTools,
    /// as `connect(to:)` does. Closing the `Browser` disconnects, then deletes the session, which ends
    /// the pool's browser (a delete the server does not confirm is the browser's `closeFailure`); if
    /// attaching fails, the session is deleted before the error is thrown.
    public static func connect(
        webDriver server: String, newSessionBody: JSON, timeout: Duration, dialogs: DialogPolicy = .accept, viewport: Viewport? = .standard
    ) async throws -> (browser: Browser, session: WebDriverSession) {
        let session = try await WebDriverSession.create(server: server, body: newSessionBody, timeout: timeout)
        do {
            guard let endpoint = session.devToolsEndpoint else {
                throw WebDriverError.noDevToolsEndpoint(server: session.server, capabilityNames: session.capabilities.objectValue?.keys.sorted() ?? [])
            }
            do {
                let browser = try await connect(to: endpoint.url, dialogs: dialogs, viewport: viewport)
                browser.giveBackOnClose { try await session.delete(timeout: timeout) }
                return (browser, session)
            } catch {
                throw WebDriverError.devToolsUnreachable(server: session.server, endpoint: endpoint.url, capability: endpoint.capability, detail: "\(error)")
            }
        } catch {
            do {
                try await session.delete(timeout: timeout)
            } catch let notDeleted {
                throw WebDriverFailures(first: error, then: notDeleted)
            }
            throw error
        }
    }
}

/// An error, then the session's delete failing too: both are worth reading.
struct WebDriverFailures: Error, CustomStringConvertible {
    let first: any Error
    let then: any Error
    var description: String { "\(first)\n\(then)" }
}
