import JSONCore
import Testing
@testable import Browser

/// How `--capabilities FILE` combines with the new-session request discover sends by default.
@Suite struct WebDriverCapabilitiesTests {
    func alwaysMatch(_ body: JSON) -> JSON { body["capabilities"]?["alwaysMatch"] ?? .null }
    func arguments(_ body: JSON) -> [String] {
        alwaysMatch(body)["goog:chromeOptions"]?["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    @Test func byDefaultAsksForHeadlessChromeWithTheLaunchersSwitches() throws {
        let body = try WebDriverCapabilities.newSessionBody(headless: true)
        #expect(alwaysMatch(body)["browserName"] == "chrome")
        #expect(body["capabilities"]?["firstMatch"] == nil)
        let given = arguments(body)
        #expect(given.contains("--headless=new"))
        #expect(given.contains("--no-sandbox"))
        #expect(given.contains("--disable-background-networking"))
        #expect(!given.contains("--no-startup-window"), "chromedriver needs the first tab")
        #expect(!given.contains { $0.hasPrefix("--remote-debugging") || $0.hasPrefix("--user-data-dir") }, "the server chooses those")
        #expect(!arguments(try WebDriverCapabilities.newSessionBody(headless: false)).contains("--headless=new"))
    }

    @Test func aFileOfCapabilitiesIsMergedKeyByKeyWithItsArgumentsAdded() throws {
        let file = try JSON.parse(#"""
            {"browserVersion": "126", "browserName": "chromium", "se:name": "nightly",
             "goog:chromeOptions": {"binary": "/opt/chrome/chrome", "args": ["--window-size=800,600", "--headless=old", "--lang=de"]}}
            """#)
        let body = try WebDriverCapabilities.newSessionBody(headless: true, overrides: file)
        let capabilities = alwaysMatch(body)
        #expect(capabilities["browserVersion"] == "126")
        #expect(capabilities["browserName"] == "chromium", "the file's values win")
        #expect(capabilities["se:name"] == "nightly")
        #expect(capabilities["goog:chromeOptions"]?["binary"] == "/opt/chrome/chrome")
        let given = arguments(body)
        #expect(Array(given.suffix(3)) == ["--window-size=800,600", "--headless=old", "--lang=de"])
        #expect(!given.contains("--headless=new"), "a switch of the file replaces ours of the same name")
        #expect(given.contains("--no-sandbox"), "ours stay")
    }

    @Test func nullRemovesOneOfOurs() throws {
        let body = try WebDriverCapabilities.newSessionBody(headless: true, overrides: ["browserName": nil, "goog:chromeOptions": ["args": nil]])
        #expect(alwaysMatch(body)["browserName"] == nil)
        #expect(alwaysMatch(body)["goog:chromeOptions"] == [:])
    }

    @Test func aWholeNewSessionBodyKeepsItsFirstMatch() throws {
        let file = try JSON.parse(#"""
            {"capabilities": {"alwaysMatch": {"platformName": "linux"}, "firstMatch": [{"browserVersion": "125"}, {}]}}
            """#)
        let body = try WebDriverCapabilities.newSessionBody(headless: true, overrides: file)
        #expect(alwaysMatch(body)["platformName"] == "linux")
        #expect(alwaysMatch(body)["browserName"] == "chrome")
        #expect(body["capabilities"]?["firstMatch"] == [["browserVersion": "125"], [:]])
    }

    @Test func capabilitiesOfTheWrongShapeSayWhatIsWrong() {
        #expect(throws: WebDriverCapabilities.Invalid.self) { try WebDriverCapabilities.newSessionBody(headless: true, overrides: ["a", "b"]) }
        do {
            _ = try WebDriverCapabilities.newSessionBody(headless: true, overrides: ["goog:chromeOptions": ["args": "--lang=de"]])
            Issue.record("a string of args was accepted")
        } catch {
            #expect(error.reason == "\"goog:chromeOptions.args\" must be an array of strings")
        }
        do {
            _ = try WebDriverCapabilities.newSessionBody(headless: true, overrides: ["capabilities": ["firstMatch": ["browserVersion": "1"]]])
            Issue.record("an object as firstMatch was accepted")
        } catch {
            #expect(error.reason == "\"capabilities.firstMatch\" must be an array (found object)")
        }
    }
}
