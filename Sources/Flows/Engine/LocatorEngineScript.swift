/// The locator engine injected into an isolated world of the page: resolves locators (CSS, XPath, text,
/// role with accessible names, label, placeholder, test id, alt, title; within, has, nth, frames, open
/// shadow roots), checks actionability every animation frame, and explains misses. Written as the
/// JavaScript files of `Engine/js` (split by concern, checked by `node --check` in the tests), compiled
/// into the binary, and joined here into one script that installs a non-enumerable `__discover` in a
/// world the page cannot see. Swift calls it through `EngineFunction`.
enum LocatorEngineScript {
    /// The parts in the order they are joined: a part's top-level `const`s are read by later ones.
    static let parts: [(name: String, bytes: [UInt8])] = [
        ("text.js", PackageResources.text_js), ("tree.js", PackageResources.tree_js),
        ("visibility.js", PackageResources.visibility_js), ("roles.js", PackageResources.roles_js),
        ("selectors.js", PackageResources.selectors_js), ("descriptions.js", PackageResources.descriptions_js),
        ("actionability.js", PackageResources.actionability_js), ("conditions.js", PackageResources.conditions_js),
        ("actions.js", PackageResources.actions_js),
    ]

    static let source: String = {
        var script = """
            (() => {
              if (globalThis.__discover) return 'present';
              const E = {};
              const options = { testIdAttribute: 'data-testid' };

            """
        for part in parts {
            script += "// ---------- \(part.name) ----------\n" + String(decoding: part.bytes, as: UTF8.self) + "\n"
        }
        script += """
              Object.defineProperty(globalThis, '__discover', { value: E, enumerable: false });
              return 'installed';
            })()

            """
        return script
    }()
}
