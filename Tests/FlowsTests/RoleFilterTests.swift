import Flows
import Foundation
import JSONCore
import Testing

/// Role locators narrowed by ARIA states: `[level=2]`, `[checked]`, `[disabled]`, `[expanded]`,
/// `[selected]`, `[pressed]` (and `=false`), in shorthands and objects.
@Suite("Role filters in Chromium")
struct RoleFilterTests {
    @Test("each filter picks the one element in that state")
    func filtersPickOneElement() async throws {
        try await TestBed.with { bed in
            let picks: [(String, JSON, String)] = [
                ("h2", "role=heading[level=2]", "Second"),
                ("aria4", ["role": "heading", "level": 4], "Aria four"),
                ("checked", "role=checkbox[checked]", "on"),
                ("unchecked", ["role": "checkbox", "checked": false], "off"),
                ("disabled", "role=button[disabled]", "Off"),
                ("pressed", "role=button[pressed]", "Bold"),
                ("unpressed", "role=button[pressed=false]", "Italic"),
                ("expanded", "role=button[expanded]", "Menu"),
                ("collapsed", ["role": "button", "expanded": false], "More"),
                ("selected", "role=tab[selected]", "One"),
                ("unselected", "role=tab[selected=false]", "Two"),
                ("named", "role=button[name=\"Bold\"][pressed]", "Bold"),
            ]
            var steps: [JSON] = [["goto": "/pages/roles"]]
            for (variable, locator, _) in picks {
                let isCheckbox = variable.hasSuffix("checked")
                steps.append(["save": .string(variable), "from": isCheckbox ? ["element": locator, "attribute": "id"] : ["element": locator]])
            }
            let result = try await bed.run(steps)
            #expect(result.passed, "\(result.report)")
            for (variable, _, wanted) in picks {
                #expect(result.variables[variable] == wanted, "\(variable)")
            }
        }
    }

    @Test("check and uncheck through a locator that filters on the state they change")
    func checkThroughStateFilter() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/roles"],
                ["check": "role=checkbox[checked=false]"],
                ["expect": ["element": "css=#off", "state": "checked"]],
                ["uncheck": ["role": "checkbox", "name": "Alpha", "checked": true]],
                ["expect": ["element": "css=#on", "state": "unchecked"]],
            ])
            #expect(result.passed, "\(result.report)")
        }
    }

    @Test("a filter no element satisfies finds nothing")
    func unmatchedFilter() async throws {
        try await TestBed.with { bed in
            let result = try await bed.run([
                ["goto": "/pages/roles"],
                ["expect": ["element": "role=button[name=\"Italic\"][pressed]", "state": "detached"]],
                ["expect": ["element": ["role": "heading", "level": 3], "count": 0]],
            ])
            #expect(result.passed, "\(result.report)")
        }
    }
}
