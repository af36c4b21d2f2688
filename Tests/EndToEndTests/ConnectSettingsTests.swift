import Testing
import Wire
@testable import DevTools
@testable import DiscoverCLI

/// `--connect` with its headers and TLS options, as `run` reads them, and the WebSocket URL an
/// `http(s)://` endpoint resolves to.
@Suite struct ConnectSettingsTests {
    static func settings(_ arguments: [String]) throws -> ConnectSettings? {
        try ConnectSettings(parseArguments(arguments, command: "run", options: browserOptions))
    }

    @Test func readsHeadersAndTheTLSOptions() throws {
        let settings = try #require(try Self.settings([
            "--connect", "https://gw.example:9443/?token=abc123", "--connect-header", "Authorization: Bearer s3cr3t-value",
            "--connect-header", "X-Team:  blue ", "--ca-file", "/etc/ca.pem",
        ]))
        #expect(settings.options.headers == ["Authorization": "Bearer s3cr3t-value", "X-Team": "blue"])
        #expect(settings.options.tls == TLSOptions(verifiesPeer: true, caFile: "/etc/ca.pem"))
        #expect(try Self.settings(["--connect", "wss://x/y", "--insecure"])?.options.tls == TLSOptions(verifiesPeer: false))
        #expect(try Self.settings([]) == nil)
    }

    @Test func theCredentialsAreSecretsAndNeverPrinted() throws {
        let settings = try #require(try Self.settings([
            "--connect", "https://gw.example:9443/?token=abc%2B123&mode=x", "--connect-header", "Authorization: Bearer s3cr3t-value",
        ]))
        let values = Set(settings.secrets.map(\.value))
        #expect(values.isSuperset(of: ["Bearer s3cr3t-value", "s3cr3t-value", "abc%2B123", "abc+123"]))
        let line = settings.attachingLine
        #expect(line.hasPrefix("attaching to https://gw.example:9443/?token=<redacted:connect query token>"), "\(line)")
        #expect(line.hasSuffix("with header Authorization"))
        #expect(!line.contains("abc") && !line.contains("s3cr3t"))
        #expect(settings.redact("GET https://gw.example:9443/json/version?token=abc%2B123 failed; server said s3cr3t-value")
            == "GET https://gw.example:9443/json/version?token=<redacted:connect query token> failed; server said <redacted:connect-header Authorization>")
    }

    @Test func refusesBadHeadersWithoutQuotingTheirValues() {
        for (field, expected) in [
            ("Authorization Bearer s3cr3t", "one has no colon"),
            ("Bad Name: s3cr3t", "'Bad Name' is not a header name"),
            ("Host: s3cr3t", "cannot set Host"),
            ("sec-websocket-key: s3cr3t", "cannot set Sec-WebSocket-Key"),
            ("X-Key: s3cr3t\r\nX-Other: 1", "holds a line break"),
        ] {
            #expect {
                try Self.settings(["--connect", "http://127.0.0.1:9222", "--connect-header", field])
            } throws: { error in
                let message = (error as? UsageError)?.message ?? ""
                return message.contains(expected) && !message.contains("s3cr3t")
            }
        }
    }

    @Test func theTLSAndHeaderOptionsNeedConnectAndInsecureExcludesACAFile() {
        for arguments in [["--insecure"], ["--ca-file", "/etc/ca.pem"], ["--connect-header", "X: y"]] {
            #expect(throws: UsageError.self) { try Self.settings(arguments) }
        }
        #expect(throws: UsageError.self) { try Self.settings(["--connect", "https://h:1", "--insecure", "--ca-file", "/etc/ca.pem"]) }
    }

    @Test func anHTTPSEndpointResolvesToWSSOnTheGivenHostWithItsQuery() throws {
        let reported = "ws://localhost:9443/devtools/browser/abc"
        #expect(try DevToolsEndpoint.webSocketURL(reported: reported, base: "https://gw.example:9443", query: "token=t1")
            == "wss://gw.example:9443/devtools/browser/abc?token=t1")
        #expect(try DevToolsEndpoint.webSocketURL(reported: reported, base: "http://127.0.0.1:9222", query: nil)
            == "ws://127.0.0.1:9222/devtools/browser/abc")
        #expect(try DevToolsEndpoint.webSocketURL(reported: "ws://h/devtools/browser/abc?x=1", base: "https://gw.example/chrome", query: "token=t1")
            == "wss://gw.example/chrome/devtools/browser/abc?x=1&token=t1")
    }
}
