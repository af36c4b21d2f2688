import JSONCore

/// The W3C new-session request `discover` sends to a WebDriver server: Chrome with the launcher's
/// switches, combined with the user's capabilities file.
public enum WebDriverCapabilities {
    /// The launcher's switches that make sense for a browser the server starts. Left out:
    /// `--no-startup-window` (chromedriver needs the first tab to take the browser over) and the
    /// profile and debugging switches, which the server chooses. `--no-sandbox`: the pool's user is
    /// unknown from here, and in a container or as root Chromium does not start with its sandbox.
    public static func defaultArguments(headless: Bool) -> [String] {
        Browser.defaultArguments.filter { $0 != "--no-startup-window" } + ["--no-sandbox"] + (headless ? ["--headless=new"] : [])
    }

    /// `{"capabilities": {"alwaysMatch": ours ⊕ the file's, "firstMatch": the file's}}`.
    ///
    /// `overrides` is what the capabilities file holds: a capabilities object, or a whole new-session
    /// body (`{"capabilities": {"alwaysMatch": ..., "firstMatch": [...]}}`). Its capabilities are merged
    /// into ours as a JSON merge patch (RFC 7396: objects merge key by key, the file's values win, `null`
    /// removes ours), except `goog:chromeOptions.args`, which are added to ours, a switch of the file
    /// replacing ours of the same name (`--window-size=...`). `firstMatch` is passed on as written.
    public static func newSessionBody(headless: Bool, overrides: JSON? = nil) throws(Invalid) -> JSON {
        var alwaysMatch: JSON = ["browserName": "chrome", "goog:chromeOptions": ["args": .array(defaultArguments(headless: headless).map(JSON.string))]]
        var firstMatch: JSON?
        if let overrides {
            guard case .object(let file) = overrides else {
                throw Invalid(reason: "expected a JSON object of capabilities (found \(overrides.typeName))")
            }
            var patch = overrides
            if let wrapped = file["capabilities"] {
                guard case .object(let body) = wrapped else { throw Invalid(reason: "\"capabilities\" must be an object (found \(wrapped.typeName))") }
                patch = body["alwaysMatch"] ?? [:]
                guard case .object = patch else { throw Invalid(reason: "\"capabilities.alwaysMatch\" must be an object (found \(patch.typeName))") }
                firstMatch = body["firstMatch"]
                if let firstMatch, firstMatch.arrayValue == nil {
                    throw Invalid(reason: "\"capabilities.firstMatch\" must be an array (found \(firstMatch.typeName))")
                }
            }
            alwaysMatch = try merge(alwaysMatch, patch)
        }
        var capabilities: [String: JSON] = ["alwaysMatch": alwaysMatch]
        capabilities["firstMatch"] = firstMatch
        return ["capabilities": .object(capabilities)]
    }

    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    private static func merge(_ ours: JSON, _ patch: JSON) throws(Invalid) -> JSON {
        guard case .object(var members) = patch, case .object(var chromeOptions)? = members["goog:chromeOptions"],
            let theirs = chromeOptions["args"], !theirs.isNull
        else { return mergePatch(ours, patch) }
        guard let list = theirs.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
            throw Invalid(reason: "\"goog:chromeOptions.args\" must be an array of strings")
        }
        chromeOptions["args"] = .array(combine(ours["goog:chromeOptions"]?["args"]?.arrayValue ?? [], list))
        members["goog:chromeOptions"] = .object(chromeOptions)
        return mergePatch(ours, .object(members))
    }

    /// Ours, then theirs; a switch of theirs drops ours of the same name (the text before `=`).
    static func combine(_ ours: [JSON], _ theirs: [JSON]) -> [JSON] {
        func name(_ argument: JSON) -> Substring {
            (argument.stringValue ?? "").split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        }
        let replaced = Set(theirs.map(name))
        return ours.filter { !replaced.contains(name($0)) } + theirs
    }

    /// RFC 7396.
    static func mergePatch(_ target: JSON, _ patch: JSON) -> JSON {
        guard case .object(let changes) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in changes {
            if value.isNull {
                result.removeValue(forKey: key)
            } else {
                result[key] = mergePatch(result[key] ?? .null, value)
            }
        }
        return .object(result)
    }
}
