import Foundation
import JSONCore

/// What discovery should include and which hand-written facts override inference.
public struct DiscoveryOptions: Sendable {
    /// Names the generated client file (`<app>-client.generated.ts`) and titles the OpenAPI document.
    public var appName: String
    /// Keep documents, scripts, styles, images and fonts as endpoints too.
    public var includeStatic: Bool
    /// Path templates such as `/api/jobs/{job}/start`; a path matching one is never re-inferred.
    public var templates: [String]
    /// `manual-endpoints.json`: hand-written endpoints merged into every output.
    public var manualEndpoints: URL?
    /// The capture's base URL; only exchanges to this origin are described (nil: the most frequent origin).
    public var baseURL: String?
    /// Threads that decode the capture and that fold exchanges into shapes, each (nil: `DISCOVER_THREADS`,
    /// else one per core, at most four). The output is the same with any number; 1 runs everything on
    /// the calling thread.
    public var threads: Int?

    public var effectiveThreads: Int {
        max(1, threads ?? Self.defaultThreads(environment: ProcessInfo.processInfo.environment, cores: ProcessInfo.processInfo.activeProcessorCount))
    }

    /// `DISCOVER_THREADS` when it is a positive number (a container limited to fewer cores than it
    /// sees), else one per core, at most four: past that, too few endpoints are busy enough to share out.
    static func defaultThreads(environment: [String: String], cores: Int) -> Int {
        if let text = environment["DISCOVER_THREADS"], let count = Int(text.trimmingCharacters(in: .whitespaces)), count > 0 { return count }
        return max(1, min(cores, 4))
    }

    public init(appName: String = "app", includeStatic: Bool = false, templates: [String] = [], manualEndpoints: URL? = nil, baseURL: String? = nil) {
        self.appName = appName
        self.includeStatic = includeStatic
        self.templates = templates
        self.manualEndpoints = manualEndpoints
        self.baseURL = baseURL
    }

    /// Reads `templates.json` and points at `manual-endpoints.json` when the flows folder has them.
    public static func fromFlowsFolder(_ folder: URL, appName: String) throws -> DiscoveryOptions {
        var options = DiscoveryOptions(appName: appName)
        let templatesFile = folder.appendingPathComponent("templates.json")
        if FileManager.default.fileExists(atPath: templatesFile.path) {
            let json = try JSON.parse(bytes: [UInt8](Data(contentsOf: templatesFile)))
            guard let list = json["templates"]?.arrayValue else {
                throw DiscoveryError.invalidFile(templatesFile.path, "expected {\"templates\": [\"/api/...\"]}")
            }
            options.templates = list.compactMap(\.stringValue)
        }
        let manualFile = folder.appendingPathComponent("manual-endpoints.json")
        if FileManager.default.fileExists(atPath: manualFile.path) { options.manualEndpoints = manualFile }
        return options
    }
}

public enum DiscoveryError: Error, CustomStringConvertible, Sendable {
    case invalidFile(String, String)

    public var description: String {
        switch self {
        case .invalidFile(let path, let why): return "\(path): \(why)"
        }
    }
}
