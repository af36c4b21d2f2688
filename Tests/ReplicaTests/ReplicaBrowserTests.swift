import Foundation
import Replica
import Testing

@Suite("Replica UI assets")
struct ReplicaUIAssetTests {
    @Test func scriptCarriesVersionAndDevModeFlags() throws {
        let current = try #require(ReplicaUI.asset(path: "/static/app.js", uiVersion: "2026-08", devMode: true))
        #expect(current.contentType.hasPrefix("application/javascript"))
        #expect(current.body.contains(#"const UI_VERSION = "2026-08"; const DEV_MODE = true;"#))
        let old = try #require(ReplicaUI.asset(path: "/static/app.js", uiVersion: "2025-10", devMode: false))
        #expect(old.body.contains(#"const UI_VERSION = "2025-10"; const DEV_MODE = false;"#))
    }

    @Test func unknownVersionFallsBackToCurrent() throws {
        let script = try #require(ReplicaUI.asset(path: "/static/app.js", uiVersion: "1999-01", devMode: false))
        #expect(script.body.contains(#"const UI_VERSION = "2026-08";"#))
    }

    @Test func stylesheetAndFaviconHaveTheirTypesAndQueriesAreIgnored() throws {
        #expect(ReplicaUI.asset(path: "/static/app.css", uiVersion: "2026-08", devMode: false)?.contentType == "text/css; charset=utf-8")
        #expect(ReplicaUI.asset(path: "/favicon.ico", uiVersion: "2026-08", devMode: false)?.contentType == "image/svg+xml")
        #expect(ReplicaUI.asset(path: "/static/app.js?v=2", uiVersion: "2026-08", devMode: false) != nil)
    }

    @Test func anythingElseIsNotAnAsset() {
        for path in ["/", "/dashboard", "/api/jobs", "/static/other.js", "/static/"] {
            #expect(ReplicaUI.asset(path: path, uiVersion: "2026-08", devMode: false) == nil, "\(path)")
        }
    }

    @Test func pageShellLoadsTheAssets() {
        let html = ReplicaUI.pageHTML(uiVersion: "2026-08", devMode: false)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains(#"<script src="/static/app.js"></script>"#))
        #expect(html.contains(#"<link rel="stylesheet" href="/static/app.css">"#))
        #expect(html.contains(#"<div id="root"></div>"#))
    }
}
