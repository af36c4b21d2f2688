import Browser
import Foundation
import JSONCore
import Replica
import Testing
import TestSupport

/// The replica's top bars and sidebar at Tailwind's breakpoints, measured in real headless Chromium,
/// against what the real classes imply (ai-toolkit 27a03a91; docs/replica.md "Window sizes"):
/// - app/datasets/[datasetName]/page.tsx: the title box is "min-w-0 flex-shrink" beside a
///   "flex-shrink-0" cluster, so while the sidebar takes its ~220 px (≥768 px) and the window is under
///   ~840 px the title is 0 px wide; "Dataset: " is "hidden sm:inline".
/// - "sm:hidden" / "hidden sm:inline" pairs: below 640 px the buttons are "+ New", "+ Add", "Caption",
///   "Create" (app/datasets/page.tsx, [datasetName]/page.tsx, AutoCaptionButton.tsx, jobs/new/page.tsx).
/// - components/Sidebar.tsx "hidden md:flex": below 768 px the sidebar waits off screen.
/// The 2025-10 UI predates all of this (mobile support came 2026-05-19), so none of it happens there.
@Suite("Replica layout at the real breakpoints", .serialized)
struct ReplicaLayoutTests {
    static let password = "replica-layout-test-password"
    static let dataset = "layout_probe"

    struct Measured: Equatable, CustomStringConvertible {
        var titleWidth: Double
        var titleText: String
        var buttons: [String]
        var sidebarRight: Double
        var description: String { "title \(titleWidth) px \"\(titleText)\", buttons \(buttons), sidebar right edge \(sidebarRight)" }
    }

    @Test func currentUIShrinksTheDatasetTitleAndRenamesButtonsAtTheRealBreakpoints() async throws {
        try await withLoggedInPage(uiVersion: "2026-08") { replica, page in
            let wide = try await measureDataset(page, replica, width: 1280)
            #expect(wide.titleWidth > 100, "\(wide)")
            #expect(wide.titleText == "Dataset: \(Self.dataset)", "\(wide)")
            #expect(wide.buttons == ["Auto Caption", "Add Images"], "\(wide)")
            #expect(wide.sidebarRight > 150, "\(wide)")
            // The cog at the cluster's end is DatasetActionBar's menu, not a dead button.
            let menu = try await page.evaluate("document.querySelector('.dataset-cog').click(), [...document.querySelectorAll('.menu-popover [role=menuitem]')].map((item) => item.textContent)")
            #expect(menu == .array([.string("Download Full Dataset"), .string("Download Captions")]))

            let lg = try await measureDataset(page, replica, width: 1024)
            #expect(lg.titleWidth > 0, "\(lg)")

            // md..~840 px: the sidebar is shown and the cluster does not shrink, so the title has no room.
            for width in [800, 780] {
                let narrow = try await measureDataset(page, replica, width: width)
                #expect(narrow.titleWidth == 0, "at \(width) px: \(narrow)")
                #expect(narrow.titleText == "Dataset: \(Self.dataset)", "the text is there, only its box is empty: \(narrow)")
                #expect(narrow.buttons == ["Auto Caption", "Add Images"], "at \(width) px: \(narrow)")
            }

            // Below md the sidebar leaves the row; the main area is the whole window again.
            let mobile = try await measureDataset(page, replica, width: 700)
            #expect(mobile.sidebarRight <= 0, "\(mobile)")

            // Below sm: "Dataset: " and the long names are hidden.
            let small = try await measureDataset(page, replica, width: 600)
            #expect(small.titleText == Self.dataset, "\(small)")
            #expect(small.titleWidth > 0, "\(small)")
            #expect(small.buttons == ["Caption", "+ Add"], "\(small)")
            // The top bar's menu button ("Open menu") slides the sidebar in; a route change closes it.
            _ = try await page.evaluate("document.querySelector('.top-bar button[aria-label=\"Open menu\"]').click()")
            try await page.waitUntil("the mobile sidebar", "document.querySelector('.sidebar').getBoundingClientRect().left === 0")
            #expect(try await buttonNames(page, replica, path: "/datasets") == ["+ New"])
            #expect(try await buttonNames(page, replica, path: "/jobs/new") == ["Create"])

            try await Viewport(width: 640, height: 720).apply(to: page.session)
            #expect(try await buttonNames(page, replica, path: "/datasets") == ["New Dataset"])
        }
    }

    @Test func olderUIKeepsItsTitleAndNamesAtEveryWidth() async throws {
        try await withLoggedInPage(uiVersion: "2025-10") { replica, page in
            for width in [1280, 800, 600] {
                let measured = try await measureDataset(page, replica, width: width)
                #expect(measured.titleWidth > 0, "at \(width) px: \(measured)")
                #expect(measured.titleText == "Dataset: \(Self.dataset)", "at \(width) px: \(measured)")
                #expect(measured.buttons == ["Add Images"], "at \(width) px: \(measured)")
                #expect(measured.sidebarRight > 150, "at \(width) px: \(measured)")
            }
            #expect(try await buttonNames(page, replica, path: "/datasets") == ["New Dataset"])
        }
    }

    /// The dataset page at `width`: the title's box and rendered text, the names of the top bar's
    /// buttons that have text (innerText skips display:none, as a role query's name does).
    private func measureDataset(_ page: Page, _ replica: ReplicaServer, width: Int) async throws -> Measured {
        try await Viewport(width: width, height: 720).apply(to: page.session)
        try await page.goto(replica.baseURL + "/datasets/" + Self.dataset)
        try await page.waitUntil("the dataset title", "document.querySelector('.top-bar h1.page-title')")
        let script = """
            (() => {
              const title = document.querySelector('.top-bar h1.page-title');
              const buttons = [...document.querySelectorAll('.top-bar button')].map((b) => b.innerText.trim()).filter(Boolean);
              return [title.getBoundingClientRect().width, title.innerText, buttons, document.querySelector('.sidebar').getBoundingClientRect().right];
            })()
            """
        let values = try await page.evaluate(script).arrayValue ?? []
        try #require(values.count == 4, "unexpected measurement \(values)")
        let titleWidth = try #require(values[0].doubleValue), text = try #require(values[1].stringValue), right = try #require(values[3].doubleValue)
        let measured = Measured(titleWidth: titleWidth, titleText: text, buttons: (values[2].arrayValue ?? []).compactMap(\.stringValue), sidebarRight: right)
        print("dataset page at \(width) px: \(measured)")
        return measured
    }

    private func buttonNames(_ page: Page, _ replica: ReplicaServer, path: String) async throws -> [String] {
        try await page.goto(replica.baseURL + path)
        try await page.waitUntil("the top bar of \(path)", "document.querySelector('.top-bar .top-bar-actions button')")
        let names = try await page.evaluate("[...document.querySelectorAll('.top-bar .top-bar-actions button')].map((b) => b.innerText.trim())")
        return (names.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// A replica with one dataset, and a page of it that holds the token (set on a page that runs no
    /// UI, so no token-less monitor request can sign it out).
    private func withLoggedInPage(uiVersion: String, _ body: (ReplicaServer, Page) async throws -> Void) async throws {
        var options = ReplicaOptions()
        options.password = Self.password
        options.uiVersion = uiVersion
        let replica = try await ReplicaServer.start(options)
        try await TestBrowser.withPage(stopping: { await replica.stop() }) { page in
            try await page.goto(replica.baseURL + "/favicon.ico")
            let token = JSON.string(Self.password).serialized()
            let created = try await page.evaluate("""
                (async () => {
                  localStorage.setItem('AI_TOOLKIT_AUTH', \(token));
                  const answer = await fetch('/api/datasets/create', { method: 'POST', headers: { Authorization: 'Bearer ' + \(token), 'Content-Type': 'application/json' }, body: JSON.stringify({ name: '\(Self.dataset)' }) });
                  return answer.status;
                })()
                """)
            #expect(created == .integer(200))
            try await body(replica, page)
        }
    }
}
