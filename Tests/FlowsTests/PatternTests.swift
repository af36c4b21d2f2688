@testable import Flows
import JSONCore
import Testing
import TestSupport

@Suite("URL patterns, JSON paths and key chords")
struct PatternTests {
    @Test("globs: ** crosses slashes, * does not, a leading / matches the path with or without the query")
    func globs() throws {
        #expect(try URLPattern("**/api/jobs/*").matches("http://127.0.0.1:8675/api/jobs/abc"))
        #expect(try !URLPattern("**/api/jobs/*").matches("http://127.0.0.1:8675/api/jobs/abc/start"))
        #expect(try URLPattern("**/api/jobs/**").matches("http://127.0.0.1:8675/api/jobs/abc/start"))
        #expect(try URLPattern("/api/jobs").matches("http://127.0.0.1:8675/api/jobs?id=3"))
        #expect(try URLPattern("/api/jobs?id=*").matches("http://127.0.0.1:8675/api/jobs?id=3"))
        #expect(try !URLPattern("/api/jobs").matches("http://127.0.0.1:8675/api/jobs/3"))
        #expect(try URLPattern("ws://**/ws").matches("ws://127.0.0.1:9/ws"))
    }

    @Test("a flow's URL glob matches as --include and --exclude do, `?` included (one character, never `/`)")
    func globsAgreeWithTheCaptureFilter() throws {
        for (pattern, url, matches) in GlobCases.table {
            #expect(try URLPattern(pattern).matches(url) == matches, "\(pattern) on \(url)")
        }
    }

    @Test("/regex/ with flags searches the whole URL")
    func regexes() throws {
        #expect(try URLPattern(#"/jobs\/[0-9a-f-]+$/"#).matches("http://x/jobs/12ab-3"))
        #expect(try URLPattern("/JOBS/(\\d+)/i").matches("http://x/jobs/12"))
        #expect(try !URLPattern(#"/jobs\/\d+$/"#).matches("http://x/jobs/12/start"))
    }

    @Test("JSON paths: members, indexes from either end, quoted keys")
    func jsonPaths() throws {
        let json: JSON = ["job": ["steps": [1, 2, 3], "a b": true], "name": "x"]
        #expect(try JSONPath.value(at: "$.name", in: json) == "x")
        #expect(try JSONPath.value(at: "$.job.steps[0]", in: json) == 1)
        #expect(try JSONPath.value(at: "$.job.steps[-1]", in: json) == 3)
        #expect(try JSONPath.value(at: "$.job['a b']", in: json) == true)
        #expect(try JSONPath.value(at: "$.job.missing", in: json) == nil)
        #expect(try JSONPath.value(at: "$", in: json) == json)
        #expect(throws: (any Error).self) { try JSONPath.value(at: "job", in: json) }
    }

    @Test("chords split into modifiers and a key; aliases and the + key work; unknown names are refused")
    func chords() throws {
        let (modifiers, key) = try Keyboard.parseChord("Control+Shift+T")
        #expect(modifiers == ["Control", "Shift"] && key.code == "KeyT")
        #expect(try Keyboard.parseChord("Ctrl+a").modifiers == ["Control"])
        #expect(try Keyboard.parseChord("Enter").key.text == "\r")
        #expect(try Keyboard.parseChord("Control++").key.key == "+")
        #expect(try Keyboard.parseChord("Esc").key.keyCode == 27)
        #expect(throws: KeyboardError.self) { try Keyboard.parseChord("Hyper+A") }
        #expect(throws: KeyboardError.self) { try Keyboard.parseChord("Enterr") }
    }
}
