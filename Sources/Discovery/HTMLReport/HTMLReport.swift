import Foundation
import JSONCore
import Recording

#if canImport(Glibc)
import Glibc
#endif

/// `report.html`: one self-contained page to look at a run (the sibling of `report.md`). Everything is
/// inline and the page forbids itself any fetch (a Content-Security-Policy of `default-src 'none'`), so it
/// opens from disk with the network off. Without JavaScript every section reads; only filtering needs it.
/// The page lists endpoints, steps and at most `TimelineCollector.maxRequests` requests, never every
/// exchange, and holds no time of its own writing: the same inputs give the same bytes.
public enum HTMLReport {
    public static let fileName = "report.html"

    /// What the page shows besides the API itself; each part is optional and its section says so when absent.
    public struct Context: Sendable {
        /// `run.json`: the steps with their times (the timeline's rows).
        public var steps: RunSteps?
        /// The capture's exchanges as timeline rows, from the pass discovery makes anyway.
        public var timeline: TimelineCollector?
        /// With `--baseline` or `diff --html`: the earlier API and what changed since.
        public var baseline: DiscoveredAPI?
        public var diff: APIDiff?
        /// Prefix for links into the run folder (`failures/`, `bodies/`) when the page is written elsewhere.
        public var runFolderLink: String

        public init(
            steps: RunSteps? = nil, timeline: TimelineCollector? = nil, baseline: DiscoveredAPI? = nil, diff: APIDiff? = nil,
            runFolderLink: String = ""
        ) {
            self.steps = steps
            self.timeline = timeline
            self.baseline = baseline
            self.diff = diff
            self.runFolderLink = runFolderLink
        }
    }

    public static func page(_ api: DiscoveredAPI, _ context: Context = Context()) -> String {
        draw(api, context).text
    }

    static func draw(_ api: DiscoveredAPI, _ context: Context) -> HTMLText {
        var html = HTMLText()
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        // No fetch of any kind, whatever a body or a name holds; images only from the run folder.
        html.raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' file:\">\n")
        html.raw("<title>")
        html.add("\(api.appName) API: discovery report")
        html.raw("</title>\n")
        if let css = ReportAssets.css {
            html.raw("<style>\n\(css)</style>\n")
        }
        html.raw("</head>\n<body>\n<header>\n<h1>")
        html.add("\(api.appName) API")
        html.raw("</h1>\n<p class=\"summary\">")
        let streams = api.endpoints.filter { $0.kind != .http }.count
        html.add("\(api.endpoints.count) endpoints (\(streams) streams) from \(api.capture.describedExchanges) API exchanges of \(api.capture.exchanges) recorded")
        if let base = api.baseURL { html.add(" at \(base)") }
        html.add(".")
        if api.capture.complete == false { html.raw(" <span class=\"badge bad\">capture incomplete</span>") }
        html.raw("</p>\n")
        if ReportAssets.css == nil {
            html.raw("<p class=\"note\">The page's stylesheet was not found beside the discover binary (discover_Discovery.resources).</p>\n")
        }
        html.raw("<nav>")
        if context.diff != nil { html.raw("<a href=\"#changes\">Changes</a> ") }
        html.raw("<a href=\"#catalog\">API catalog</a> <a href=\"#timeline\">Timeline</a> <a href=\"#streams\">Streams</a>")
        html.raw(" <span class=\"aside\">report.md, openapi.json and discovered-endpoints.json say the same in text</span></nav>\n</header>\n<main>\n")
        // As at the top of report.md: what a reviewer should look at before anything else.
        let findings = SecurityFindings.of(api) + ReportWriter.oddities(api)
        if !findings.isEmpty {
            html.raw("<section id=\"findings\"><h2>Findings</h2><ul>\n")
            for finding in findings {
                html.raw("<li>")
                html.add(finding)
                html.raw("</li>\n")
            }
            html.raw("</ul></section>\n")
        }
        if let diff = context.diff {
            ChangesSection.write(diff, old: context.baseline, new: api, into: &html)
        }
        CatalogSection.write(api, into: &html)
        let requests = context.timeline?.sorted ?? []
        TimelineSection.write(context, requests: requests, into: &html)
        StreamsSection.write(api, requests: requests, into: &html)
        if !api.notes.isEmpty {
            html.raw("<section id=\"notes\"><h2>Notes</h2><ul>\n")
            for note in api.notes {
                html.raw("<li>")
                html.add(note)
                html.raw("</li>\n")
            }
            html.raw("</ul></section>\n")
        }
        html.raw("</main>\n")
        if let script = ReportAssets.script {
            html.raw("<script>\n\(script)</script>\n")
        }
        html.raw("</body>\n</html>\n")
        return html
    }

    /// Whole or not at all, like every output (written beside, then renamed), but not flushed to the
    /// disk: the page is drawn from files that were, and `generate` draws it again. Its `fsync` alone
    /// (3-20 ms on this machine's disk) would cost `generate` more than the page itself, and so would
    /// renaming over the last page: ext4 flushes a file renamed over another (`auto_da_alloc`), so the
    /// last page is removed first (a crash in between leaves no page, never half of one).
    public static func write(_ api: DiscoveredAPI, _ context: Context = Context(), to folder: URL) throws(OutputFileError) {
        try write(draw(api, context).bytes, to: folder)
    }

    static func write(_ bytes: [UInt8], to folder: URL) throws(OutputFileError) {
        let url = folder.appendingPathComponent(fileName)
        let partial = folder.appendingPathComponent("." + fileName + ".partial")
        do {
            try writeUnsynced(bytes, to: partial.path)
            if unlink(url.path) != 0 && errno != ENOENT { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            guard rename(partial.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw OutputFileError(path: url.path, error: error)
        }
    }
}

/// open, write, close: `Data.write(to:)` calls `fsync` before closing on Linux.
private func writeUnsynced(_ bytes: [UInt8], to path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(descriptor) }
    try bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            offset += written
        }
    }
}
