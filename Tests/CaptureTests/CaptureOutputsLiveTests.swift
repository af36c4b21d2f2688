import Browser
import Foundation
import JSONCore
import Recording
import Testing
import TestSupport
import Wire
@testable import Capture

@Suite(.serialized) struct CaptureOutputsLiveTests {
    static let mixedTraffic = """
        (async () => {
          await fetch('/api/json?x=1&y=two').then(r => r.text());
          await fetch('/r1').then(r => r.text());
          await fetch('/api/echo', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{"a":1}'}).then(r => r.text());
          await new Promise((resolve) => {
            const ws = new WebSocket('ws://' + location.host + '/ws');
            ws.onopen = () => ws.send('ping');
            ws.onmessage = () => ws.close();
            ws.onclose = resolve;
          });
          const reader = (await fetch('/sse')).body.getReader();
          await reader.read();
          return true;
        })()
        """

    @Test func harFromALiveCaptureMeetsHAR12AndDevToolsImportRules() async throws {
        let capture = try await LiveCapture.run { page, _, _ in _ = try await page.evaluate(Self.mixedTraffic) }
        defer { capture.remove() }
        let har = try JSON.parse(bytes: [UInt8](Data(contentsOf: capture.folder.appendingPathComponent("capture.har"))))
        #expect(HARValidator.problems(har) == [])
        let entries = try #require(har["log"]?["entries"]?.arrayValue)
        #expect(entries.count == capture.file.exchanges.count)
        let socket = try #require(entries.first { $0["_resourceType"]?.stringValue == "websocket" })
        #expect(socket["_webSocketMessages"]?.arrayValue?.map { $0["type"]?.stringValue } == ["send", "receive"])
        let query = try #require(entries.first { $0["request"]?["url"]?.stringValue?.hasSuffix("y=two") == true })
        #expect(query["request"]?["queryString"]?[1]?["value"]?.stringValue == "two")
        #expect(entries.contains { $0["response"]?["redirectURL"]?.stringValue == "/r2" })
    }

    @Test func attachPolicyWritesBodiesBesideTheHARAndOmitLeavesThemOut() async throws {
        let attached = try await LiveCapture.run(harContent: .attach) { page, _, _ in _ = try await page.evaluate(Self.mixedTraffic) }
        defer { attached.remove() }
        let har = try JSON.parse(bytes: [UInt8](Data(contentsOf: attached.folder.appendingPathComponent("capture.har"))))
        #expect(HARValidator.problems(har) == [])
        let files = (har["log"]?["entries"]?.arrayValue ?? []).compactMap { $0["response"]?["content"]?["_file"]?.stringValue }
        #expect(!files.isEmpty)
        for file in files { #expect(FileManager.default.fileExists(atPath: attached.folder.appendingPathComponent(file).path), "\(file)") }
        #expect(!(har["log"]?["entries"]?.arrayValue ?? []).contains { $0["response"]?["content"]?["text"] != nil })

        let omitted = try await LiveCapture.run(harContent: .omit) { page, _, _ in _ = try await page.evaluate(Self.mixedTraffic) }
        defer { omitted.remove() }
        let bare = try JSON.parse(bytes: [UInt8](Data(contentsOf: omitted.folder.appendingPathComponent("capture.har"))))
        #expect(HARValidator.problems(bare) == [])
        #expect(!(bare["log"]?["entries"]?.arrayValue ?? []).contains { $0["response"]?["content"]?["text"] != nil || $0["response"]?["content"]?["_file"] != nil })
    }

    @Test func includeAndExcludeGlobsApplyToBothOutputs() async throws {
        let capture = try await LiveCapture.run(include: ["**/api/**"], exclude: ["**/api/echo"]) { page, _, _ in
            _ = try await page.evaluate(Self.mixedTraffic)
        }
        defer { capture.remove() }
        let paths = Set(capture.file.exchanges.map { BackgroundPolls.path(of: $0.url) })
        #expect(paths == ["/api/json"])
        let har = try JSON.parse(bytes: [UInt8](Data(contentsOf: capture.folder.appendingPathComponent("capture.har"))))
        let harPaths = Set((har["log"]?["entries"]?.arrayValue ?? []).compactMap { $0["request"]?["url"]?.stringValue }.map(BackgroundPolls.path(of:)))
        #expect(harPaths == ["/api/json"])
    }

    @Test func aRunWithAPasswordAndATokenLeavesNeitherInAnyOutputFile() async throws {
        let password = "hunter2 Pass/word!"
        let token = "tok_9f8e7d6c5b4a"
        let secrets = [SecretValue(name: "AI_TOOLKIT_PASSWORD", value: password), SecretValue(name: "HF_TOKEN", value: token)]
        for policy in [HARContentPolicy.embed, .attach] {
            let capture = try await LiveCapture.run(secrets: secrets, harContent: policy, spoolThreshold: 64) { page, server, recorder in
                recorder.setProvenance(Provenance(flow: "login", step: 1, description: "fill label=Password with \(password)"))
                _ = try await page.evaluate("""
                    (async () => {
                      const password = \(JSON.string(password).serialized());
                      const token = \(JSON.string(token).serialized());
                      document.cookie = 'auth=' + token;
                      await fetch('/api/echo', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({user: 'me', pass_phrase: password, note: 'my token is ' + token})});
                      await fetch('/api/json?from=' + encodeURIComponent(token + ' ' + password), {headers: {'Authorization': 'Bearer ' + token, 'X-Note': password}});
                      await fetch('/api/echo/' + encodeURIComponent(password), {method: 'POST', body: new URLSearchParams({password, other: token})});
                      const form = new FormData();
                      form.append('hf_token', token);
                      form.append('file', new Blob([password]), password + '.txt');
                      await fetch('/api/echo', {method: 'POST', body: form});
                      await new Promise((resolve) => {
                        const ws = new WebSocket('ws://' + location.host + '/ws?t=' + token);
                        ws.onopen = () => ws.send(JSON.stringify({password, token}));
                        ws.onmessage = () => ws.close();
                        ws.onclose = resolve;
                      });
                      const a = document.createElement('a');
                      a.href = '/api/attachment?text=' + encodeURIComponent('HF_TOKEN=' + token + '\\npassword: ' + password + '\\n');
                      a.download = '';
                      document.body.appendChild(a);
                      a.click();
                      return true;
                    })()
                    """)
                let saved = recorder.options.downloadsFolder.appendingPathComponent("config.txt")
                try await LiveCapture.waitFor("the download saved as \(saved.path)") {
                    (try? String(contentsOf: saved, encoding: .utf8))?.contains("<redacted:HF_TOKEN>") == true
                }
            }
            defer { capture.remove() }
            #expect(capture.file.exchanges.count >= 5)
            let echoed = try #require(capture.file.exchanges.first { $0.url.contains("from=") })
            #expect(echoed.request.headers.value(of: "Authorization") == "Bearer <redacted:HF_TOKEN>")
            #expect(echoed.url.contains("<redacted:HF_TOKEN>"))
            // A downloaded file is an output file too: the secrets in it are replaced, and the record says so.
            let download = try #require(capture.file.exchanges.first { $0.download != nil }?.download)
            #expect(download.redacted)
            let config = try Data(contentsOf: capture.folder.appendingPathComponent("downloads/config.txt"))
            #expect(String(decoding: config, as: UTF8.self) == "HF_TOKEN=<redacted:HF_TOKEN>\npassword: <redacted:AI_TOOLKIT_PASSWORD>\n")
            #expect(download.sha256 == SHA256.hex([UInt8](config)) && download.size == config.count)
            for url in try Self.files(under: capture.folder) {
                let bytes = [UInt8](try Data(contentsOf: url))
                for secret in [password, token, password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, "hunter2%20Pass%2Fword!"] {
                    #expect(ByteSearch.find(Array(secret.utf8), in: bytes, from: 0) == nil, "\(policy): \(url.lastPathComponent) contains \(secret)")
                }
            }
        }
    }

    static func files(under folder: URL) throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        var files: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true { files.append(url) }
        }
        return files
    }
}
