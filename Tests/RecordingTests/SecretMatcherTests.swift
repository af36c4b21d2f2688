import Foundation
import Testing

@testable import Recording

/// Every form a secret takes on its way to a file is found: compared decoded, not against a list.
@Suite struct SecretMatcherTests {
    let secret = #"p@ss w"rd/42!"#
    var matcher: SecretMatcher { SecretMatcher(secrets: [(name: "PW", value: secret)]) }

    private func redacted(_ text: String) -> String { matcher.replace(in: text) { "<redacted:\($0)>" } }

    @Test func everyPercentEncodingABrowserMayChooseIsFound() {
        let forms = [
            #"p@ss w%22rd/42!"#,  // only the quote encoded, as Chromium does in a path
            "p%40ss%20w%22rd%2F42%21",  // everything encoded
            "p%40ss+w%22rd%2f42!",  // form encoding, lower-case hex, some left alone
            "%70%40%73%73%20%77%22%72%64%2F%34%32%21",  // even unreserved characters encoded
        ]
        for form in forms {
            let text = "GET /api/login?user=admin&pw=\(form)&next=1"
            #expect(redacted(text) == "GET /api/login?user=admin&pw=<redacted:PW>&next=1", "\(form)")
            #expect(matcher.firstSecret(in: text) == "PW", "\(form)")
        }
    }

    @Test func aPlusThatAServerFormDecodedIntoASpaceIsStillFound() {
        let plus = SecretMatcher(secrets: [(name: "K", value: #"CHAOSs3cr3t"4711+k=v!"#)])
        #expect(plus.replace(in: #"echo: CHAOSs3cr3t"4711 k=v! done"#) { "<\($0)>" } == "echo: <K> done")
    }

    @Test func formDecodedAndThenJSONEscapedOnceOrTwiceIsFound() {
        let plus = SecretMatcher(secrets: [(name: "K", value: #"CHAOSs3cr3t"4711+k=v!"#)])
        #expect(plus.replace(in: #"{"q":"CHAOSs3cr3t\"4711 k=v!"}"#) { "<\($0)>" } == #"{"q":"<K>"}"#)
        #expect(plus.replace(in: #"{"body":"{\"q\":\"CHAOSs3cr3t\\\"4711 k=v!\"}"}"#) { "<\($0)>" } == #"{"body":"{\"q\":\"<K>\"}"}"#)
        let slashes = SecretMatcher(secrets: [(name: "S", value: #"a/b\c"#)])
        #expect(slashes.replace(in: #"x a\/b\\c y"#) { "<\($0)>" } == "x <S> y")
    }

    @Test func base64AndBase64URLOfTheSecretAloneOrInsideOtherTextAreFound() {
        for wrapped in [secret, "admin:" + secret, "ab:" + secret + ":tail", "x:" + secret] {
            let standard = Data(wrapped.utf8).base64EncodedString()
            let url = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            for encoded in [standard, url] {
                let text = #"{"token":"\#(encoded)"}"#
                #expect(redacted(text).contains("<redacted:PW>"), "\(wrapped) as \(encoded)")
                #expect(!redacted(text).contains(String(encoded.dropFirst(2).dropLast(3))), "most of the encoding is gone: \(encoded)")
            }
        }
    }

    @Test func jsonEscapedFormsAreFound() {
        #expect(redacted(#"{"password":"p@ss w\"rd\/42!"}"#) == #"{"password":"<redacted:PW>"}"#)
        #expect(redacted(#"{"password":"p@ss w\"rd/42!"}"#) == #"{"password":"<redacted:PW>"}"#)
    }

    @Test func textWithoutTheSecretIsLeftAloneEvenWhenEncoded() {
        for text in ["p%40ss%20word", "a+b=c%20d", Data("unrelated value".utf8).base64EncodedString(), "p@ss w"] {
            #expect(redacted(text) == text)
            #expect(matcher.firstSecret(in: text) == nil)
        }
    }

    @Test func valuesTooShortToSearchForAreIgnored() {
        let short = SecretMatcher(secrets: [(name: "X", value: "ab")])
        #expect(short.isEmpty)
        #expect(short.replace(in: "ab%61b") { "<\($0)>" } == "ab%61b")
    }
}
