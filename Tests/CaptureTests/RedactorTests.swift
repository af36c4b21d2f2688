import Foundation
import Testing
@testable import Capture
@testable import Recording

@Suite struct RedactorTests {
    let redactor = Redactor(secrets: [SecretValue(name: "AI_TOOLKIT_PASSWORD", value: "s3cret pass/word"), SecretValue(name: "HF_TOKEN", value: "hf_abcdef123")])

    @Test func credentialHeadersSayWhatWasThere() {
        let headers = redactor.redactHeaders([
            Header(name: "Authorization", value: "Bearer s3cret pass/word"),
            Header(name: "authorization", value: "Bearer xyz"),
            Header(name: "Cookie", value: "sid=abc; theme=dark"),
            Header(name: "set-cookie", value: "sid=abc; Path=/; HttpOnly\nother=1"),
            Header(name: "X-Api-Key", value: "k"),
            Header(name: "Referer", value: "http://x/?t=hf_abcdef123"),
        ])
        #expect(headers.map(\.value) == [
            "Bearer <redacted:AI_TOOLKIT_PASSWORD>", "Bearer <redacted:authorization>", "sid=<redacted:cookie>; theme=<redacted:cookie>",
            "sid=<redacted:cookie>; Path=/; HttpOnly\nother=<redacted:cookie>", "<redacted:header X-Api-Key>", "http://x/?t=<redacted:HF_TOKEN>",
        ])
    }

    @Test func literalSecretsAreFoundInEncodedForms() {
        #expect(redactor.redactURL("http://x/login?p=s3cret%20pass%2Fword&q=1") == "http://x/login?p=<redacted:AI_TOOLKIT_PASSWORD>&q=1")
        #expect(redactor.redactURL("http://x/login?p=s3cret+pass%2fword") == "http://x/login?p=<redacted:AI_TOOLKIT_PASSWORD>")
        // encodeURIComponent leaves `!` alone; a component is decoded before it is searched.
        #expect(Redactor(secrets: [SecretValue(name: "P", value: "pa ss/w!")]).redactURL("http://x/a/pa%20ss%2Fw!?q=x%20pa+ss%2Fw%21")
            == "http://x/a/<redacted:P>?q=x%20<redacted:P>")
        #expect(Redactor(secrets: [SecretValue(name: "P", value: "pa ss/w!")]).redactHeaders([Header(name: "Referer", value: "http://x/?p=pa%20ss%2Fw!")])
            == [Header(name: "Referer", value: "http://x/?p=<redacted:P>")])
        #expect(redactor.redactLiterals(#"{"x":"s3cret pass\/word"}"#) == #"{"x":"<redacted:AI_TOOLKIT_PASSWORD>"}"#)
    }

    @Test func secretLookingFieldsAreRedactedKeepingTheDocumentsShape() {
        let json = redactor.redactText(#"{"username": "me", "password": "pw1", "nested": [{"refresh_token": "r"}], "max_tokens": 5, "author": "a"}"#, mimeType: "application/json")
        #expect(json == #"{"username": "me", "password": "<redacted:field password>", "nested": [{"refresh_token": "<redacted:field refresh_token>"}], "max_tokens": 5, "author": "a"}"#)
        let form = redactor.redactText("user=me&password=pw1&api_key=k", mimeType: "application/x-www-form-urlencoded")
        #expect(form == "user=me&password=%3Credacted%3Afield%20password%3E&api_key=%3Credacted%3Afield%20api_key%3E")
        #expect(redactor.redactURL("http://x/cb?access_token=abc&x=1") == "http://x/cb?access_token=%3Credacted%3Afield%20access_token%3E&x=1")
    }

    @Test func namesThatLookSecret() {
        for name in ["password", "passwd", "HF_TOKEN", "access_token", "refreshToken", "client_secret", "apiKey", "x-api-key", "auth"] {
            #expect(Redactor.looksSecret(name), "\(name)")
        }
        for name in ["author", "tokenizer", "name", "max_tokens_per_step", "description"] {
            #expect(!Redactor.looksSecret(name), "\(name)")
        }
    }

    @Test func keepSecretsTurnsItOff() {
        let off = Redactor(secrets: [SecretValue(name: "P", value: "abcdef")], enabled: false)
        #expect(off.redactHeaders([Header(name: "Cookie", value: "a=b")]).first?.value == "a=b")
        #expect(off.redactText(#"{"password":"abcdef"}"#, mimeType: "application/json") == #"{"password":"abcdef"}"#)
    }
}
