import Browser
import Foundation
import JSONCore
import Recording
import Testing
import TestSupport
import Wire
@testable import Capture

@Suite(.serialized) struct RecorderLiveTests {
    @Test func httpExchangesKeepWireHeadersBodiesRedirectChainsServerErrorsAndRefusedConnections() async throws {
        let closed = try CaptureTestServer.closedPort()
        let capture = try await LiveCapture.run { page, _, _ in
            _ = try await page.evaluate("""
                (async () => {
                  await fetch('/api/json', {headers: {'Authorization': 'Bearer abc.def'}}).then(r => r.text());
                  await fetch('/r1').then(r => r.text());
                  await fetch('/api/boom').then(r => r.text());
                  await fetch('http://127.0.0.1:\(closed)/api/x').catch(e => 'refused');
                  await fetch('/api/echo', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({name: 'a', password: 'pw-1'})}).then(r => r.text());
                  return true;
                })()
                """)
        }
        defer { capture.remove() }
        #expect(capture.file.isComplete)

        let json = try #require(capture.exchanges(path: "/api/json").first { $0.url.hasSuffix("/api/json") })
        #expect(json.request.headersFromWire)
        #expect(json.request.headers.value(of: "Authorization") == "Bearer <redacted:authorization>")
        #expect(json.response?.headersFromWire == true)
        #expect(json.response?.headers.value(of: "Set-Cookie") == "sid=<redacted:cookie>; Path=/; HttpOnly")
        #expect(json.response?.body?.text == #"{"from":"page","ok":true}"#)
        #expect(json.resourceType == "Fetch")
        #expect(json.timings != nil)

        let chain = capture.file.exchanges.filter { ["/r1", "/r2"].contains(BackgroundPolls.path(of: $0.url)) || $0.url.hasSuffix("from=redirect") }
        #expect(chain.map { $0.response?.status } == [302, 302, 200])
        #expect(chain[0].redirectedTo == chain[1].id && chain[1].redirectedTo == chain[2].id && chain[2].redirectedFrom == chain[1].id)
        #expect(chain[2].response?.body?.text == #"{"from":"redirect","ok":true}"#)

        let boom = try #require(capture.exchanges(path: "/api/boom").first)
        #expect(boom.response?.status == 500)
        #expect(boom.response?.body?.text == #"{"error":"boom"}"#)

        let refused = try #require(capture.file.exchanges.first { $0.url.contains(":\(closed)/") })
        #expect(refused.failure?.errorText == "net::ERR_CONNECTION_REFUSED")

        let echo = try #require(capture.exchanges(path: "/api/echo").first)
        #expect(echo.request.body?.text == #"{"name":"a","password":"<redacted:field password>"}"#)
    }

    @Test func fetchReadServerSentEventsAndNDJSONAreSplitWhileTheStreamIsOpen() async throws {
        let capture = try await LiveCapture.run { page, _, _ in
            _ = try await page.evaluate("""
                (async () => {
                  const response = await fetch('/sse');
                  const reader = response.body.getReader();
                  let text = '';
                  while (!(text.match(/event: sample/g) || []).length || (text.match(/event: sample/g) || []).length < 3) {
                    const { value } = await reader.read();
                    text += new TextDecoder().decode(value);
                  }
                  window.keepReader = reader;
                  await fetch('/ndjson').then(r => r.text());
                  return true;
                })()
                """)
        }
        defer { capture.remove() }
        let sse = try #require(capture.exchanges(path: "/sse").first)
        #expect(sse.kind == .stream)
        #expect(sse.streamOpen)
        #expect(sse.messages.map(\.event) == ["init", "sample", "sample", "sample"])
        #expect(sse.messages.map(\.data) == [#"{"gpu":0}"#, #"{"step":0}"#, #"{"step":1}"#, #"{"step":2}"#])
        #expect(sse.messages.last?.eventId == "2")
        let ndjson = try #require(capture.exchanges(path: "/ndjson").first)
        #expect(!ndjson.streamOpen)
        #expect(ndjson.messages.map(\.data) == [#"{"n":1}"#, #"{"n":2}"#, #"{"n":3}"#])
    }

    @Test func webSocketFramesAreRecordedBothWaysInOrderWithTheClose() async throws {
        let capture = try await LiveCapture.run { page, _, _ in
            _ = try await page.evaluate("""
                new Promise((resolve, reject) => {
                  const ws = new WebSocket('ws://' + location.host + '/ws');
                  ws.binaryType = 'arraybuffer';
                  const got = [];
                  ws.onopen = () => { ws.send('hello'); ws.send(new Uint8Array([1, 2, 3])); };
                  ws.onmessage = (m) => { got.push(m.data); if (got.length == 2) ws.close(1000, 'done'); };
                  ws.onclose = () => resolve(got.length);
                  ws.onerror = () => reject(new Error('ws error'));
                })
                """)
        }
        defer { capture.remove() }
        let socket = try #require(capture.file.exchanges.first { $0.kind == .websocket })
        #expect(socket.url.hasSuffix("/ws"))
        #expect(socket.response?.status == 101)
        #expect(socket.request.headers.value(of: "Upgrade")?.lowercased() == "websocket")
        #expect(socket.messages.map(\.direction) == [.sent, .sent, .received, .received] || socket.messages.map(\.direction) == [.sent, .received, .sent, .received])
        #expect(socket.messages.filter { $0.direction == .sent }.map(\.data) == ["hello", "AQID"])
        #expect(socket.messages.filter { $0.direction == .received }.map(\.data) == ["hello", "AQID"])
        #expect(socket.messages.map(\.opcode).contains(2))
        #expect(socket.messages.allSatisfy { $0.time > 1_700_000_000 })
        #expect(!socket.streamOpen)
        #expect(socket.endedAt != nil)
    }

    @Test func uploadKeepsMultipartPartsWithoutFileBytes() async throws {
        let capture = try await LiveCapture.run { page, _, _ in
            _ = try await page.evaluate("""
                (async () => {
                  const form = new FormData();
                  form.append('datasetName', 'portraits');
                  form.append('files', new Blob([new Uint8Array(5000)], {type: 'image/png'}), 'face 1.png');
                  form.append('files', new Blob(['abc'], {type: 'text/plain'}), 'caption.txt');
                  return await fetch('/api/echo', {method: 'POST', body: form}).then(r => r.json());
                })()
                """)
        }
        defer { capture.remove() }
        let upload = try #require(capture.exchanges(path: "/api/echo").first)
        let parts = try #require(upload.request.body?.multipart, "body: \(String(describing: upload.request.body))")
        #expect(parts.map(\.name) == ["datasetName", "files", "files"])
        #expect(parts[0].value == "portraits")
        #expect(parts[1].filename == "face 1.png" && parts[1].contentType == "image/png" && parts[1].size == 5000 && parts[1].value == nil)
        #expect(parts[2].filename == "caption.txt" && parts[2].size == 3)
    }

    @Test func aDownloadIsSavedUnderItsNameWithItsSHA256AndLinkedToItsRequest() async throws {
        let capture = try await LiveCapture.run { page, _, recorder in
            _ = try await page.evaluate("""
                (() => { const a = document.createElement('a'); a.href = '/file.bin'; a.download = ''; document.body.appendChild(a); a.click(); return true; })()
                """)
            let saved = recorder.options.downloadsFolder.appendingPathComponent("lora.safetensors")
            try await LiveCapture.waitFor("the download saved as \(saved.path)") { FileManager.default.fileExists(atPath: saved.path) }
        }
        defer { capture.remove() }
        let download = try #require(capture.file.exchanges.first { $0.download != nil }?.download)
        #expect(download.state == .completed)
        #expect(download.path == "downloads/lora.safetensors")
        #expect(download.size == CaptureTestServer.downloadBytes.count)
        #expect(download.sha256 == SHA256.hex(CaptureTestServer.downloadBytes))
        let bytes = try Data(contentsOf: capture.folder.appendingPathComponent("downloads/lora.safetensors"))
        #expect(SHA256.hex([UInt8](bytes)) == SHA256.hex(CaptureTestServer.downloadBytes))
        // The GUID name Chromium used still leads to the file, for the runner that saw the same events.
        let folderItems = try FileManager.default.contentsOfDirectory(atPath: capture.folder.appendingPathComponent("downloads").path)
        let guidLink = try #require(folderItems.first { $0 != "lora.safetensors" })
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: capture.folder.appendingPathComponent("downloads/\(guidLink)").path) == "lora.safetensors")
        let linked = try #require(capture.file.exchanges.first { $0.download != nil })
        #expect(linked.url.hasSuffix("/file.bin"))
    }

    /// The AI Toolkit's checkpoint links open in a new tab (`target=_blank`) whose only navigation
    /// becomes a download: that tab's request is recorded with its status and headers, as any other.
    @Test func aDownloadInANewTabIsLinkedToItsRequestAndResponse() async throws {
        let started = ContinuousClock.now
        let capture = try await LiveCapture.run { page, _, recorder in

            _ = try await page.evaluate("""
                (() => { const a = document.createElement('a'); a.href = '/file.bin'; a.target = '_blank'; document.body.appendChild(a); a.click(); return true; })()
                """, userGesture: true)
            let saved = recorder.options.downloadsFolder.appendingPathComponent("lora.safetensors")
            try await LiveCapture.waitFor("the download saved as \(saved.path)") { FileManager.default.fileExists(atPath: saved.path) }
        }
        defer { capture.remove() }
        let linked = try #require(capture.file.exchanges.first { $0.download != nil })
        #expect(linked.download?.state == .completed)
        #expect(linked.download?.sha256 == SHA256.hex(CaptureTestServer.downloadBytes))
        #expect(linked.url.hasSuffix("/file.bin"))
        #expect(linked.response?.status == 200, "\(linked)")
        #expect(linked.response?.headers.value(of: "Content-Disposition")?.contains("lora.safetensors") == true)
        #expect(linked.request.headers.value(of: "User-Agent") != nil)
        #expect(linked.target?.type == "page")
        #expect(capture.file.exchanges.filter { $0.url.hasSuffix("/file.bin") }.count == 1)
        // Nothing waited for a setup timeout on the way.
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func iframeAndDedicatedWorkerFetchesCarryTheirOwnTargetType() async throws {
        let capture = try await LiveCapture.run { page, _, _ in
            _ = try await page.evaluate("""
                (async () => {
                  const frame = document.createElement('iframe');
                  frame.src = '/frame.html';
                  document.body.appendChild(frame);
                  await new Promise(r => frame.onload = r);
                  await frame.contentWindow.done;
                  const worker = new Worker('/worker.js');
                  await new Promise(r => worker.onmessage = r);
                  return true;
                })()
                """)
        }
        defer { capture.remove() }
        let fromFrame = try #require(capture.file.exchanges.first { $0.url.hasSuffix("from=iframe") })
        let fromWorker = try #require(capture.file.exchanges.first { $0.url.hasSuffix("from=worker") })
        #expect(fromFrame.target?.type == "iframe")
        #expect(fromWorker.target?.type == "worker")
        #expect(fromWorker.response?.body?.text == #"{"from":"worker","ok":true}"#)
    }

    @Test func provenanceFollowsTheRunnersSteps() async throws {
        let capture = try await LiveCapture.run { page, _, recorder in
            recorder.setProvenance(Provenance(flow: "demo", step: 3, description: "click role=button \"Go\""))
            _ = try await page.evaluate("fetch('/api/json?from=step').then(r => r.text())")
            recorder.setProvenance(nil)
            _ = try await page.evaluate("fetch('/api/json?from=idle').then(r => r.text())")
        }
        defer { capture.remove() }
        #expect(capture.file.exchanges.first { $0.url.hasSuffix("from=step") }?.provenance?.step == 3)
        let idle = try #require(capture.file.exchanges.first { $0.url.hasSuffix("from=idle") })
        #expect(idle.provenance == nil)
    }
}

@Suite(.serialized) struct RecorderLiveEdgeTests {
    @Test func aCrashedRendererEndsItsInFlightRequestAsFailed() async throws {
        let capture = try await LiveCapture.run { page, _, _ in
            _ = try await page.evaluate("fetch('/slow'); new Promise(r => setTimeout(r, 300))")
            _ = try? await page.session.send("Page.crash", timeout: .seconds(2))
            try await Task.sleep(for: .milliseconds(300))
        }
        defer { capture.remove() }
        let slow = try #require(capture.exchanges(path: "/slow").first)
        #expect(slow.failure?.errorText.contains("crashed") == true || slow.failure?.errorText.contains("detached") == true, "\(String(describing: slow.failure))")
        #expect(slow.response == nil)
    }

    @Test func aClosedPageEndsItsInFlightRequestAsFailed() async throws {
        let capture = try await LiveCapture.run { page, _, _ in
            _ = try await page.evaluate("fetch('/slow'); new Promise(r => setTimeout(r, 300))")
            await page.close()
            try await Task.sleep(for: .milliseconds(300))
        }
        defer { capture.remove() }
        let slow = try #require(capture.exchanges(path: "/slow").first)
        #expect(slow.failure != nil, "\(slow)")
    }

    @Test func a50MegabyteBodyIsKeptWholeInAFileBesideTheCapture() async throws {
        let capture = try await LiveCapture.run { page, _, _ in
            let length = try await page.evaluate("fetch('/big.bin').then(r => r.arrayBuffer()).then(b => b.byteLength)")
            #expect(length.intValue == 50 << 20)
        }
        defer { capture.remove() }
        let big = try #require(capture.exchanges(path: "/big.bin").first)
        let body = try #require(big.response?.body)
        #expect(body.size == 50 << 20, "\(body)")
        let file = try #require(body.file)
        let bytes = try Data(contentsOf: capture.folder.appendingPathComponent(file))
        #expect(bytes == Data(CaptureTestServer.bigBody))
    }

    @Test func aResponseServedFromTheCacheIsMarkedSo() async throws {
        let capture = try await LiveCapture.run { page, _, _ in
            _ = try await page.evaluate("fetch('/cached').then(r => r.text()).then(() => fetch('/cached')).then(r => r.text())")
        }
        defer { capture.remove() }
        let cached = capture.exchanges(path: "/cached")
        #expect(cached.map { $0.response?.fromDiskCache } == [false, true])
        #expect(cached.allSatisfy { $0.response?.status == 200 })
    }

    @Test func aCORSBlockedResponseKeepsTheStatusTheServerSent() async throws {
        let other = try CaptureTestServer.start()
        let capture: LiveCapture
        do {
            capture = try await LiveCapture.run { page, _, _ in
                _ = try await page.evaluate("fetch('\(other.baseURL)/api/boom').then(() => 'read', e => 'blocked')")
            }
        } catch {
            await other.stop()
            throw error
        }
        await other.stop()
        defer { capture.remove() }
        let blocked = try #require(capture.file.exchanges.first { $0.url == other.baseURL + "/api/boom" })
        #expect(blocked.failure != nil)
        #expect(blocked.response?.status == 500)
        #expect(blocked.response?.headersFromWire == true)
    }

    @Test func eventSourceMessagesAreRecordedWithTheirNames() async throws {
        let capture = try await LiveCapture.run { page, _, _ in
            _ = try await page.evaluate("""
                new Promise(resolve => {
                  const source = new EventSource('/events');
                  let count = 0;
                  const done = () => { if (++count === 2) resolve(true); };
                  source.addEventListener('progress', done);
                  source.onmessage = done;
                })
                """)
        }
        defer { capture.remove() }
        let stream = try #require(capture.exchanges(path: "/events").first)
        #expect(stream.kind == .stream)
        #expect(stream.messages.map(\.event) == ["progress", "message"])
        #expect(stream.messages.map(\.data) == [#"{"p":1}"#, "plain"])
        #expect(stream.streamOpen)
    }
}
