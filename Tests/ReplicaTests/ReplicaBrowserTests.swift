import Browser
import Foundation
import JSONCore
import Replica
import Testing
import TestSupport

@Suite("Replica UI in Chromium")
struct ReplicaBrowserTests {
    static let password = "replica-ui-test-password"

    @Test func loginThroughTheFormShowsTheDashboard() async throws {
        try await withReplicaPage(uiVersion: "2026-08") { replica, page in
            try await page.goto(replica.baseURL + "/")
            try await page.waitUntil("the login form", "!!document.getElementById('token')")
            #expect(try await page.evaluate("document.querySelector('label[for=token]').textContent") == "Password")
            #expect(try await page.evaluate("document.getElementById('token').placeholder") == "Enter your password")
            try await page.waitUntil("the input focused (AuthWrapper: 100 ms after it knows it is signed out)", "document.activeElement.id === 'token'")
            try await submitLogin(page, password: Self.password, button: "Check Password")
            try await page.waitUntil("the dashboard heading", "document.querySelector('h1.page-title')?.textContent === 'Dashboard'")
            #expect(try await page.evaluate("location.pathname") == "/dashboard")
            #expect(try await page.evaluate("localStorage.getItem('AI_TOOLKIT_AUTH')") == .string(Self.password))
            let navigation = try await page.evaluate("[...document.querySelectorAll('nav a')].map(a => a.textContent + ' ' + a.getAttribute('href')).join(', ')")
            #expect(navigation == "Dashboard /dashboard, New Job /jobs/new, Queue /jobs, Datasets /datasets, Settings /settings")
        }
    }

    @Test func wrongPasswordShowsInvalidToken() async throws {
        try await withReplicaPage(uiVersion: "2026-08") { replica, page in
            try await page.goto(replica.baseURL + "/datasets")
            try await page.waitUntil("the login form", "!!document.getElementById('token')")
            try await submitLogin(page, password: "not-the-password", button: "Check Password")
            try await page.waitUntil("the login error", "document.querySelector('.login-error')?.hidden === false")
            #expect(try await page.evaluate("document.querySelector('.login-error').textContent") == "Invalid token. Please try again.")
            #expect(try await page.evaluate("localStorage.getItem('AI_TOOLKIT_AUTH')") == .null)
            #expect(try await page.evaluate("!!document.getElementById('token')") == true)
        }
    }

    /// c9843692 (2025-10-30) already asked for a password (823e6907, 2025-08-23) and called the queue
    /// "Training Queue".
    @Test func olderVersionAsksForAPasswordAndNamesTheTrainingQueue() async throws {
        try await withReplicaPage(uiVersion: "2025-10") { replica, page in
            try await page.goto(replica.baseURL + "/datasets")
            try await page.waitUntil("the login form", "!!document.getElementById('token')")
            #expect(try await page.evaluate("document.querySelector('label[for=token]').textContent") == "Password")
            try await submitLogin(page, password: Self.password, button: "Check Password")
            try await page.waitUntil("the datasets page", "document.querySelector('h1.page-title')?.textContent === 'Datasets'")
            let navigation = try await page.evaluate("[...document.querySelectorAll('nav a')].map(a => a.textContent).join(', ')")
            #expect(navigation == "Dashboard, New Job, Training Queue, Datasets, Settings")
        }
    }

    /// The current form waits for settings, datasets and a GPU sample from the SSE monitor read with
    /// fetch(); the older one never locked, and its GPU comes from one `GET /api/gpu`.
    @Test(arguments: ["2026-08", "2025-10"])
    func newJobFormUnlocksOnceAGPUSampleArrived(uiVersion: String) async throws {
        try await withReplicaPage(uiVersion: uiVersion) { replica, page in
            // A page of the origin that runs no UI: the UI's monitor signs out on the 401 its first,
            // token-less request gets, and could remove a token stored while that request is out.
            try await page.goto(replica.baseURL + "/favicon.ico")
            _ = try await page.evaluate("localStorage.setItem('AI_TOOLKIT_AUTH', \(JSON.string(Self.password).serialized()))")
            try await page.goto(replica.baseURL + "/jobs/new")
            try await page.waitUntil("the unlocked form", "!document.querySelector('.loading-overlay') && document.querySelector('input[placeholder=\"Enter training name\"]')?.disabled === false")
            #expect(try await page.evaluate("document.querySelector('h1.page-title').textContent") == "New Training Job")
            try await page.waitUntil("GPU #0 chosen", "[...document.querySelectorAll('label')].find((l) => l.textContent === 'GPU ID')?.nextElementSibling.textContent === 'GPU #0'")
        }
    }

    private func withReplicaPage(uiVersion: String, _ body: (ReplicaServer, Page) async throws -> Void) async throws {
        var options = ReplicaOptions()
        options.password = Self.password
        options.uiVersion = uiVersion
        let replica = try await ReplicaServer.start(options)
        try await TestBrowser.withPage(stopping: { await replica.stop() }) { page in try await body(replica, page) }
    }

    /// Types the password into the form's input and presses its submit button.
    private func submitLogin(_ page: Page, password: String, button: String) async throws {
        let script = """
            (() => {
              const input = document.getElementById('token');
              input.focus();
              input.value = \(JSON.string(password).serialized());
              const submit = [...document.querySelectorAll('form button')].find((b) => b.textContent === \(JSON.string(button).serialized()));
              if (!submit) return false;
              submit.click();
              return true;
            })()
            """
        #expect(try await page.evaluate(script) == true, "the login form has a \(button) button")
    }
}


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
        let html = ReplicaUI.pageHTML(uiVersion: "2026-08", devMode: false, authRequired: false)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains(#"<script src="/static/app.js"></script>"#))
        #expect(html.contains(#"<link rel="stylesheet" href="/static/app.css">"#))
        #expect(html.contains(#"<div id="root"></div>"#))
    }

    @Test func withAPasswordThePageCarriesTheLoginForm() {
        let html = ReplicaUI.pageHTML(uiVersion: "2025-10", devMode: false, authRequired: true)
        #expect(html.contains(#"<div id="root"><div class="login-page">"#))
        #expect(html.contains(#"<label for="token" class="field-label">Password</label>"#))
        #expect(html.contains(#">Check Password</button>"#))
    }
}
