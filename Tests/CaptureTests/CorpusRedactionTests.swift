import Foundation
import Testing
import TestSupport

@testable import Capture
@testable import Recording

/// Redaction judged on headers and messages of real apps (the corpus): credentials and what derives
/// from them go, the app's own identifiers stay.
@Suite("Redaction on real traffic")
struct CorpusRedactionTests {
    @Test("Syncthing's `X-CSRF-Token-<device>` header is a credential: it echoes the CSRF cookie")
    func csrfHeaderOfSyncthing() throws {
        let capture = try CaptureFile.read(CorpusScore.corpusFolder.appendingPathComponent("syncthing/run-1.capture.jsonl"))
        let headers = try #require(capture.exchanges.first { $0.request.headers.contains { $0.name.hasPrefix("X-CSRF-Token-") } }?.request.headers)
        let redacted = Redactor(secrets: []).redactHeaders(headers)
        let csrf = try #require(redacted.first { $0.name.hasPrefix("X-CSRF-Token-") })
        #expect(csrf.value.hasPrefix("<redacted:"))
        #expect(redacted.first { $0.name == "Host" }?.value == headers.first { $0.name == "Host" }?.value)
        #expect(Redactor.looksSecret("X-XSRF-TOKEN") && Redactor.looksSecret("X-CSRFToken"))
    }

    @Test("a message's own session id is data, a password field is not")
    func sessionIdentifiersInBodiesStay() {
        let redactor = Redactor(secrets: [])
        // A notebook kernel message: `session` is the client's id, not a credential.
        let message = #"{"header":{"msg_id":"1","session":"5f0c2d7e-aaaa-4bbb-8ccc-1234567890ab","msg_type":"execute_request"},"password":"hunter22"}"#
        let text = redactor.redactText(message, mimeType: "application/json")
        #expect(text.contains("5f0c2d7e-aaaa-4bbb-8ccc-1234567890ab"))
        #expect(!text.contains("hunter22"))
        // A session cookie is still a credential.
        #expect(redactor.redactHeaders([Header(name: "Cookie", value: "session=abc123")])[0].value == "session=<redacted:cookie>")
    }
}
