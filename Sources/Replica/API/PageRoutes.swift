import HTTPServer

/// Everything outside `/api/`: the UI's static assets, else the page shell (the app routes on the
/// client). `/` redirects to `/dashboard`, as the real app's root page does.
struct PageRoutes: Sendable {
    let context: ReplicaContext

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else { return .status(405) }
        let path = request.rawPath
        if path == "/" { return .redirect(to: "/dashboard") }
        // Next.js's own namespace: without the dev server there is no hot-reload socket there.
        if path.hasPrefix("/_next/") { return ReplicaRouter.notFound }
        let version = context.version.rawValue, devMode = context.options.devMode
        if let asset = ReplicaUI.asset(path: path, uiVersion: version, devMode: devMode) {
            var response = HTTPResponse.text(asset.body, contentType: asset.contentType)
            response.headers.add("Cache-Control", "no-store, must-revalidate")
            return response
        }
        var page = HTTPResponse.html(ReplicaUI.pageHTML(uiVersion: version, devMode: devMode, authRequired: !(context.options.password ?? "").isEmpty))
        page.headers.add("Cache-Control", "no-store, must-revalidate")
        return page
    }
}
