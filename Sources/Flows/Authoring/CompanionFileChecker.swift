import Foundation
import JSONCore

/// The other files of a flows folder: `templates.json` and `manual-endpoints.json` (Discovery reads
/// them) and `folder.json` (the runner does); checking their shape here means a typo shows up in `validate`, not after a long run.
enum CompanionFileChecker {
    static let httpMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    static let endpointKeys = ["method", "path", "description", "requestBody", "responseExample", "notes"]

    static func check(_ file: String) -> [FlowDiagnostic] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            return [FlowDiagnostic(file: file, line: 0, column: 0, severity: .error, message: "cannot read the file as UTF-8 text")]
        }
        let document: PositionedJSON
        do throws(JSONParseError) {
            document = try PositionedJSON.parse(text)
        } catch {
            return [FlowDiagnostic(file: file, line: error.line, column: error.column, severity: .error, message: "invalid JSON: \(error.message)")]
        }
        var diagnostics: [FlowDiagnostic] = []
        func error(_ pointer: String, _ message: String) {
            diagnostics.append(FlowDiagnostic(file: file, at: document.position(of: pointer), .error, message))
        }
        if (file as NSString).lastPathComponent == FolderSettings.fileName {
            guard let object = document.value.objectValue else {
                error("", "folder.json holds {\"parallel\": true}")
                return diagnostics
            }
            for key in object.keys.sorted() where !FolderSettings.keys.contains(key) {
                error("/\(key)", "unknown key `\(key)` (known: \(FolderSettings.keys.joined(separator: ", ")))")
            }
            if let value = object["parallel"], value.boolValue == nil { error("/parallel", "`parallel` is true or false") }
            return diagnostics
        }
        if (file as NSString).lastPathComponent == "templates.json" {
            guard let templates = document.value["templates"]?.arrayValue else {
                error("", "templates.json holds {\"templates\": [\"/api/jobs/{job}/start\", ...]}")
                return diagnostics
            }
            for (index, template) in templates.enumerated() where !(template.stringValue?.hasPrefix("/") ?? false) {
                error("/templates/\(index)", "a path template is a string starting with '/'")
            }
            return diagnostics
        }
        guard let endpoints = document.value["endpoints"]?.arrayValue else {
            error("", "manual-endpoints.json holds {\"endpoints\": [{\"method\", \"path\", \"description\", ...}]}")
            return diagnostics
        }
        for (index, endpoint) in endpoints.enumerated() {
            let pointer = "/endpoints/\(index)"
            guard let object = endpoint.objectValue else {
                error(pointer, "an endpoint is an object with method, path and description")
                continue
            }
            for key in object.keys.sorted() where !endpointKeys.contains(key) {
                diagnostics.append(FlowDiagnostic(
                    file: file, at: document.keyPosition(of: "\(pointer)/\(key)"), .error,
                    "unknown key '\(key)' in an endpoint\(Suggestion.hint(for: key, among: endpointKeys))"))
            }
            if !httpMethods.contains(object["method"]?.stringValue ?? "") {
                error("\(pointer)/method", "an endpoint's method is one of \(httpMethods.joined(separator: ", "))")
            }
            if !(object["path"]?.stringValue?.hasPrefix("/") ?? false) {
                error("\(pointer)/path", "an endpoint's path is a string starting with '/'")
            }
        }
        return diagnostics
    }
}
