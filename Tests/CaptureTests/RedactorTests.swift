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

    // MARK: files

    @Test func aFileIsRedactedInChunksEvenWhereASecretSpansTwoOfThem() throws {
        let redactor = Redactor(secrets: [SecretValue(name: "HF_TOKEN", value: "hf_abc/def 123")])
        var text = ""
        for index in 0..<300 { text += "line \(index): token hf_abc/def 123, url hf_abc%2Fdef%20123, near miss hf_abc/def 12\n" }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("redact-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for chunkSize in [5, 13, 64, 1000, 1 << 20] {
            let file = folder.appendingPathComponent("f\(chunkSize).txt")
            try Data(text.utf8).write(to: file)
            let outcome = try redactor.redactFile(at: file, chunkSize: chunkSize)
            #expect(outcome.redacted)
            let result = try String(contentsOf: file, encoding: .utf8)
            #expect(outcome.size == result.utf8.count && outcome.sha256 == SHA256.hex(Array(result.utf8)))
            #expect(result == redactor.redactLiterals(text), "chunk size \(chunkSize)")
            #expect(!result.contains("hf_abc/def 123") && !result.contains("hf_abc%2Fdef%20123"))
            #expect(result.contains("near miss hf_abc/def 12\n"))
        }
    }

    @Test func aFileWithoutSecretsIsNotRewritten() throws {
        let redactor = Redactor(secrets: [SecretValue(name: "HF_TOKEN", value: "hf_abcdef")])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("plain-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: file) }
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: file)
        let before = try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int
        let outcome = try redactor.redactFile(at: file, chunkSize: 4096)
        #expect(!outcome.redacted && outcome.size == bytes.count && outcome.sha256 == SHA256.hex(bytes))
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.systemFileNumber] as? Int == before)
        #expect([UInt8](try Data(contentsOf: file)) == bytes)
    }
}
