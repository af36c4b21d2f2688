import Flows
import JSONCore
import Testing

@Suite("Locator shorthand and objects")
struct LocatorShorthandTests {
    @Test("every shorthand prefix maps to its strategy")
    func prefixes() throws {
        #expect(try Locator(parsing: "text=Create") == .single(LocatorQuery(.text("Create"))))
        #expect(try Locator(parsing: "text=\"Create\"") == .single(LocatorQuery(.text("Create"), exact: true)))
        #expect(try Locator(parsing: "css=.card") == .single(LocatorQuery(.css(".card"))))
        #expect(try Locator(parsing: "xpath=//a") == .single(LocatorQuery(.xpath("//a"))))
        #expect(try Locator(parsing: "label=Training Name") == .single(LocatorQuery(.label("Training Name"))))
        #expect(try Locator(parsing: "placeholder=Dataset Name") == .single(LocatorQuery(.placeholder("Dataset Name"))))
        #expect(try Locator(parsing: "testId=save") == .single(LocatorQuery(.testId("save"), exact: true)))
        #expect(try Locator(parsing: "alt=logo") == .single(LocatorQuery(.alt("logo"))))
        #expect(try Locator(parsing: "title=Close") == .single(LocatorQuery(.title("Close"))))
    }

    @Test("a bare string is CSS and one starting with // is XPath")
    func bareStrings() throws {
        #expect(try Locator(parsing: "div.card > button[type=submit]") == .single(LocatorQuery(.css("div.card > button[type=submit]"))))
        #expect(try Locator(parsing: "//button[@id='x']") == .single(LocatorQuery(.xpath("//button[@id='x']"))))
    }

    @Test("role with a name, quotes inside brackets, and exact flags")
    func roles() throws {
        #expect(try Locator(parsing: "role=button[name=\"Create Job\"]") == .single(LocatorQuery(.role("button", name: "Create Job"))))
        #expect(try Locator(parsing: "role=button") == .single(LocatorQuery(.role("button", name: nil))))
        #expect(try Locator(parsing: "role=link[name='a ] b' s]") == .single(LocatorQuery(.role("link", name: "a ] b"), exact: true)))
        #expect(try Locator(parsing: "role=heading[name=\"Jobs\"][exact]") == .single(LocatorQuery(.role("heading", name: "Jobs"), exact: true)))
        #expect(throws: FlowValueError.self) { try Locator(parsing: "role=button[levl=2]") }
    }

    @Test("role filters: level, and checked, disabled, expanded, selected, pressed with =false")
    func roleFilters() throws {
        #expect(try Locator(parsing: "role=heading[level=2]") == .single(LocatorQuery(.role("heading", name: nil), roleFilters: RoleFilters(level: 2))))
        #expect(try Locator(parsing: "role=checkbox[name=\"Agree\"][checked=false]")
            == .single(LocatorQuery(.role("checkbox", name: "Agree"), roleFilters: RoleFilters(checked: false))))
        #expect(try Locator(parsing: "role=button[disabled][expanded=true][selected][pressed=false]")
            == .single(LocatorQuery(.role("button", name: nil), roleFilters: RoleFilters(disabled: true, expanded: true, selected: true, pressed: false))))
        for invalid in ["role=heading[level=0]", "role=heading[level]", "role=checkbox[checked=maybe]", "role=button[exact=false]"] {
            #expect(throws: FlowValueError.self, "\(invalid)") { try Locator(parsing: invalid) }
        }
    }

    @Test(">> chains scope and nth picks")
    func chains() throws {
        var inner = LocatorQuery(.text("Save"), within: .single(LocatorQuery(.css(".card"))))
        inner.nth = -1
        #expect(try Locator(parsing: "css=.card >> text=Save >> nth=-1") == .single(inner))
        #expect(try Locator(parsing: "div >> span") == .single(LocatorQuery(.css("span"), within: .single(LocatorQuery(.css("div"))))))
    }

    @Test("objects carry options and combinators; arrays are alternatives")
    func objects() throws {
        let json = try JSON.parse(#"{"role": "button", "has": "css=svg.lucide-play", "within": {"css": "tr", "has": "text=job1"}, "nth": 0}"#)
        let expected = LocatorQuery(
            .role("button", name: nil), within: .single(LocatorQuery(.css("tr"), has: .single(LocatorQuery(.text("job1"))))),
            has: .single(LocatorQuery(.css("svg.lucide-play"))), nth: 0)
        #expect(try Locator(json: json) == .single(expected))
        let alternatives = try Locator(json: ["text=Create Job", "role=button[name=\"New Job\"]"])
        guard case .alternatives(let options) = alternatives else { Issue.record("not alternatives"); return }
        #expect(options.count == 2)
        #expect(alternatives.description == "text=Create Job | role=button \"New Job\"")
    }

    @Test("an object with two strategies or an unknown key is refused with the key named")
    func badObjects() {
        #expect { try Locator(json: ["css": "a", "text": "b"]) } throws: { "\($0)".contains("one kind; this one has 'css' and 'text'") }
        #expect { try Locator(json: ["css": "a", "nht": 1]) } throws: { "\($0)".contains("unknown key 'nht' in a locator (did you mean 'nth'?)") }
    }
}
