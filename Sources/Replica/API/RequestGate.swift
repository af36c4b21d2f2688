import HTTPServer

/// What the replica decides from a request's head alone, before any of its body is read: the
/// `Host`/`Origin` check, the middleware's token check, and how long the body may be. A refused request
/// costs nothing for its body, however long it claims to be.
struct RequestGate: Sendable {
    let hosts: HostAllowList
    let middleware: AuthMiddleware
    let maximumRequestBodyLength: Int
    let maximumUploadBodyLength: Int

    /// Routes that take files; every other route takes JSON or nothing.
    static let uploadRoutes: Set<String> = ["/api/datasets/upload", "/api/img/upload"]

    init(options: ReplicaOptions, boundHost: String) {
        hosts = HostAllowList(boundHost: boundHost, extra: options.allowedHosts)
        middleware = AuthMiddleware(password: options.password)
        maximumRequestBodyLength = options.maximumRequestBodyLength
        maximumUploadBodyLength = options.maximumUploadBodyLength
    }

    func admit(_ request: HTTPRequest) -> RequestAdmission {
        if let refusal = hosts.refusal(of: request) { return .refuse(refusal) }
        if let denied = middleware.check(request) { return .refuse(denied) }
        let isUpload = request.method == "POST" && Self.uploadRoutes.contains(request.rawPath)
        return .accept(maximumBodyLength: isUpload ? maximumUploadBodyLength : maximumRequestBodyLength)
    }
}
