import Browser
import Foundation
import JSONCore
import Replica
import Testing
import TestSupport

/// After every page load the real app shows the login form its server rendered (AuthWrapper, whose
/// `isAuthorizedState` starts false) until `GET /api/auth` answers for the stored token; a flow that
/// `goto`s a page sees that form first. The replica's page carries the same form and its script
/// replaces it only when the answer came.
@Suite("The server-rendered login form after each page load")
struct ReplicaLoginFlashTests {
    static let password = "flash-test-password"
    static let latency = 800

    /// Records, from the page's first script on: what the page held at DOMContentLoaded, when the
    /// login form left the page, and every URL the page fetched.
    static let recorder = """
        window.__flash = { dcl: null, removed: null, fetched: [] };
        const realFetch = window.fetch;
        window.fetch = (input, init) => { window.__flash.fetched.push(String(input.url || input)); return realFetch(input, init); };
        document.addEventListener('DOMContentLoaded', () => {
          const input = document.getElementById('token');
          const button = document.querySelector('form.login-form button');
          window.__flash.dcl = { at: performance.now(), form: !!input, value: input ? input.value : null,
            disabled: button ? button.disabled : null, buttonText: button ? button.textContent : null, nav: !!document.querySelector('nav') };
          new MutationObserver(() => {
            if (window.__flash.removed === null && !document.getElementById('token')) window.__flash.removed = performance.now();
          }).observe(document.documentElement, { childList: true, subtree: true });
        });
        """

    @Test(arguments: ["2026-08", "2025-10"])
    func theFormShowsUntilTheAuthCheckAnswersThenThePage(uiVersion: String) async throws {
        try await withPage(uiVersion: uiVersion, latency: Self.latency) { replica, page in
            let raw = try await loopbackRequest(port: replica.port, "GET", "/datasets")
            #expect(raw.text.contains(#"<input id="token""#), "the page as served carries the form")
            try await page.goto(replica.baseURL + "/favicon.ico")
            _ = try await page.evaluate("localStorage.setItem('AI_TOOLKIT_AUTH', \(JSON.string(Self.password).serialized()))")
            try await page.goto(replica.baseURL + "/datasets")
            try await page.waitUntil("the datasets page", "document.querySelector('h1.page-title')?.textContent === 'Datasets' && !document.getElementById('token')")
            let seen = try await page.evaluate("""
                (() => {
                  const auth = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === '/api/auth');
                  return { ...window.__flash.dcl, removed: window.__flash.removed, authStart: auth ? auth.startTime : null, authEnd: auth ? auth.responseEnd : null };
                })()
                """)
            #expect(seen["form"] == true, "the login form is there when the document is parsed: \(seen)")
            #expect(seen["nav"] == false, "and nothing of the app: \(seen)")
            #expect(seen["value"] == .string(Self.password), "it shows the stored token (AuthWrapper's first effect)")
            #expect(seen["disabled"] == true && seen["buttonText"] == "", "its button is AuthWrapper's spinner while /api/auth is out: \(seen)")
            let removed = try #require(seen["removed"]?.doubleValue), authEnd = try #require(seen["authEnd"]?.doubleValue)
            let authStart = try #require(seen["authStart"]?.doubleValue), dcl = try #require(seen["at"]?.doubleValue)
            #expect(removed >= authEnd, "the form left only after /api/auth answered: \(seen)")
            #expect(authEnd - authStart >= Double(Self.latency) * 0.9, "the check took the latency: \(seen)")
            print("login flash (\(uiVersion), latency \(Self.latency) ms): form shown \(Int(removed - dcl)) ms after DOMContentLoaded; /api/auth took \(Int(authEnd - authStart)) ms")
        }
    }

    @Test func withoutAStoredTokenNothingIsAskedAndTheFormStays() async throws {
        try await withPage(uiVersion: "2025-10", latency: 0) { replica, page in
            try await page.goto(replica.baseURL + "/jobs")
            try await page.waitUntil("the input focused", "document.activeElement?.id === 'token'")
            #expect(try await page.evaluate("window.__flash.fetched.filter((u) => u.includes('/api/')).length") == 0)
            #expect(try await page.evaluate("document.querySelector('form.login-form button').textContent") == "Check Password")
        }
    }

    @Test func withoutAPasswordThereIsNoFormAndNoCheck() async throws {
        try await withPage(uiVersion: "2026-08", latency: 0, password: nil) { replica, page in
            try await page.goto(replica.baseURL + "/datasets")
            try await page.waitUntil("the datasets page", "document.querySelector('h1.page-title')?.textContent === 'Datasets'")
            #expect(try await page.evaluate("window.__flash.dcl.form") == false)
            #expect(try await page.evaluate("window.__flash.fetched.some((u) => u.endsWith('/api/auth'))") == false)
        }
    }

    private func withPage(uiVersion: String, latency: Int, password: String? = Self.password, _ body: (ReplicaServer, Page) async throws -> Void) async throws {
        var options = ReplicaOptions()
        options.password = password
        options.uiVersion = uiVersion
        options.latency = NetworkLatency(base: .milliseconds(latency))
        let replica = try await ReplicaServer.start(options)
        try await TestBrowser.withPage(stopping: { await replica.stop() }) { page in
            _ = try await page.session.send("Page.addScriptToEvaluateOnNewDocument", ["source": .string(Self.recorder)])
            try await body(replica, page)
        }
    }
}
