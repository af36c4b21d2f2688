/// Names a flow gives to files it saves in the output folder: they stay inside it and never take the
/// place of the run's own files (a screenshot named `capture.jsonl` or `../../x.png` once did).
public enum OutputFileName {
    /// The files and folders a run writes itself (besides `*.generated.ts`).
    public static let runFiles = [
        "capture.jsonl", "capture.har", "capture-bodies", "bodies", "downloads", "failures", "discovered-endpoints.json",
        "openapi.json", "report.md", "report.html", "diff.json", "diff.txt", "run.json", "steps",
    ]
    /// Where `--screenshots` puts the picture after a step: `steps/<flow>-step<N>.png`, with the file's
    /// name for a step of an included file.
    public static func stepScreenshot(flow: String, flowFile: String, file: String, index: Int) -> String {
        func safe(_ name: String) -> String {
            String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" })
        }
        let stem = file == flowFile ? "" : "-" + safe(file.replacingOccurrences(of: ".flow.json", with: ""))
        return "steps/\(safe(flow))\(stem)-step\(index).png"
    }

    /// Which no step may write over.
    public static let reserved = Set(runFiles + [".incomplete-run"])

    /// `shots/home` -> `shots/home.png`; a name that would leave the folder or replace a run file throws.
    public static func screenshot(_ name: String) throws(FlowValueError) -> String {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if name.hasPrefix("/") || parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) {
            throw FlowValueError("a screenshot's name is a relative path inside the output folder, without `..`: `\(name)`")
        }
        guard let first = parts.first, !reserved.contains(first), !first.hasSuffix(".generated.ts"), !first.hasPrefix(".run-") else {
            throw FlowValueError("`\(name)` would replace the run's own \(parts.first ?? name); choose another screenshot name")
        }
        let last = parts[parts.count - 1]
        guard last.contains(".") else { return name + ".png" }
        guard last.lowercased().hasSuffix(".png") else {
            throw FlowValueError("a screenshot is saved as PNG: name it `….png` (or leave the extension out), not `\(last)`")
        }
        return name
    }
}
