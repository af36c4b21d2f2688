/// What a reader of the report should see first: writes the app accepted without any credentials,
/// where the rest of its API asks for them (the real AI Toolkit's middleware exempts `/api/img/` and
/// `/api/files/` for every method, so deleting files needs no token).
enum SecurityFindings {
    static let safeMethods: Set<String> = ["GET", "HEAD", "OPTIONS"]

    static func of(_ api: DiscoveredAPI) -> [String] {
        let protected = api.endpoints.filter { !$0.auth.schemes.isEmpty && !$0.auth.acceptsAnonymous }
        guard !protected.isEmpty else { return [] }
        let schemes = Set(protected.flatMap(\.auth.schemes)).sorted()
        return api.endpoints
            .filter { $0.kind == .http && !safeMethods.contains($0.method) && $0.auth.acceptsAnonymous && !isSignIn($0) }
            .map { endpoint in
                "`\(endpoint.method) \(endpoint.path)` answers without credentials (\(endpoint.auth.withoutCredentials) request"
                    + "\(endpoint.auth.withoutCredentials == 1 ? "" : "s") without any succeeded), while \(protected.count) other endpoint"
                    + "\(protected.count == 1 ? "" : "s") require \(schemes.joined(separator: " or "))."
            }
    }

    /// A sign-in answers without credentials by design: it is where they come from. Its body carries a
    /// password or token field (Gradio, JupyterLab and qBittorrent `/login` in the corpus all do).
    static func isSignIn(_ endpoint: DiscoveredEndpoint) -> Bool {
        let fields = endpoint.request?.schema["properties"]?.objectValue?.keys.map { $0 } ?? []
        let parts = endpoint.request?.multipart?.map(\.name) ?? []
        return (fields + parts).contains(where: ExampleRedaction.isSecretKey)
    }
}
