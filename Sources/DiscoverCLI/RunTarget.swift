import Foundation

/// One positional of `run`: a flows folder (or file), and after `@` the app it runs against when it is
/// not `--base-url`'s (`flows/ai-toolkit@https://pod-a.example`).
struct RunTarget: Equatable {
    var path: String
    var baseURL: String?

    static func parse(_ text: String) throws -> RunTarget {
        // The first `@http` starts the URL: a URL may hold `user:password@`, a path rarely `@http`.
        for scheme in ["@http://", "@https://"] {
            if let at = text.range(of: scheme) {
                return RunTarget(path: String(text[..<at.lowerBound]), baseURL: String(text[text.index(after: at.lowerBound)...]))
            }
        }
        return RunTarget(path: text, baseURL: nil)
    }

    /// Each run of several writes to `<parent>/<flows folder name>`; runs of folders with the same name
    /// (one app's environments) add their app's host and port, so each keeps its own folder. A
    /// `--baseline` is then an earlier batch's parent folder: each run compares with its namesake.
    static func assignOutputFolders(_ configurations: inout [RunConfiguration], parent: URL) {
        let names = configurations.map { RunConfiguration.defaultName(for: $0.flowsPath) }
        for index in configurations.indices {
            var name = names[index]
            if names.filter({ $0 == name }).count > 1, let url = URL(string: configurations[index].baseURL), let host = url.host {
                name += "-" + host + (url.port.map { "-\($0)" } ?? "")
            }
            configurations[index].outputFolder = parent.appendingPathComponent(name)
            if let baseline = configurations[index].baseline {
                configurations[index].baseline = URL(fileURLWithPath: baseline).appendingPathComponent(name).path
            }
        }
    }
}
