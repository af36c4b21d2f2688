import Foundation

/// The page's stylesheet and script live in `report.css` and `report.js` (each in its own language),
/// copied by SwiftPM into the target's resource bundle and inlined into every page, which then needs no
/// file beside it. Looked up by hand rather than through `Bundle.module`, whose accessor stops the
/// process when the bundle is missing: a binary copied without its bundle still writes its outputs,
/// and the page then says that its style is missing (it stays readable; only filtering needs the script).
enum ReportAssets {
    static let css = load("report.css")
    static let script = load("report.js")

    static let bundleName = "discover_Discovery.resources"

    private static func load(_ name: String) -> String? {
        let main = Bundle.main.bundleURL
        let candidates = [
            main.appendingPathComponent(bundleName).appendingPathComponent(name),
            main.deletingLastPathComponent().appendingPathComponent(bundleName).appendingPathComponent(name),
            // A binary run from its build folder after the bundle was removed: the sources it was built from.
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(name),
        ]
        for url in candidates {
            if let text = try? String(contentsOf: url, encoding: .utf8) { return text }
        }
        return nil
    }
}
