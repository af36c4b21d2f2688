import Foundation
import JSONCore

/// `discover validate`: checks flow files and flows folders without a browser, each flow file through
/// `FlowPass`, the pass `run` reads them with. Every finding names the file, line and column.
public enum FlowValidator {
    /// Files and folders (searched recursively for `*.flow.json`). In a folder, flows run in file-name
    /// order, so variables saved by earlier flows count as defined for later ones.
    public static func validate(paths: [String]) -> [FlowDiagnostic] {
        var loader = FlowFileCache()
        var diagnostics: [FlowDiagnostic] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.append(FlowDiagnostic(file: path, line: 0, column: 0, severity: .error, message: "no such file or folder"))
                continue
            }
            if isDirectory.boolValue {
                diagnostics += validateFolder(path, loader: &loader)
            } else {
                diagnostics += validateFile(path, folderVariables: [], loader: &loader)
            }
        }
        return diagnostics
    }

    /// One flow file's text, as if it were stored at `file` (relative paths in it resolve from there).
    public static func validate(text: String, file: String) -> [FlowDiagnostic] {
        var loader = FlowFileCache()
        loader.store(text: text, file: file)
        return validateFile(file, folderVariables: [], loader: &loader)
    }

    private static func validateFolder(_ folder: String, loader: inout FlowFileCache) -> [FlowDiagnostic] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var byFolder: [String: [String]] = [:]
        var others: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let path = (folder as NSString).appendingPathComponent(relative)
            let name = (relative as NSString).lastPathComponent
            if name.hasSuffix(".flow.json") {
                byFolder[(path as NSString).deletingLastPathComponent, default: []].append(path)
            } else if name == "manual-endpoints.json" || name == "templates.json" || name == FolderSettings.fileName {
                others.append(path)
            }
        }
        var diagnostics: [FlowDiagnostic] = []
        for directory in byFolder.keys.sorted() {
            let files = byFolder[directory, default: []].sorted { ($0 as NSString).lastPathComponent < ($1 as NSString).lastPathComponent }
            diagnostics += FlowPass.checkFolderFiles(files, loader: &loader).flatMap(\.diagnostics)
        }
        for file in others.sorted() { diagnostics += CompanionFileChecker.check(file) }
        return diagnostics
    }

    private static func validateFile(_ file: String, folderVariables: Set<String>, loader: inout FlowFileCache) -> [FlowDiagnostic] {
        FlowPass.checkFile(file, folderVariables: folderVariables, loader: &loader).diagnostics
    }
}
