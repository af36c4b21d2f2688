import Foundation
import Recording
import Testing
@testable import Capture

@Suite struct BurstLiveTests {
    static let fetches = 10_000
    static let framesEachWay = 50_000

    /// 10,000 fetches, then 50,000 frames sent and 50,000 echoed over one WebSocket.
    static let burstScript = """
        (async () => {
          const total = \(fetches), batch = 250;
          for (let i = 0; i < total; i += batch) {
            await Promise.all(Array.from({length: batch}, (_, k) => fetch('/api/json?i=' + (i + k)).then(r => r.text())));
          }
          return await new Promise((resolve, reject) => {
            const ws = new WebSocket('ws://' + location.host + '/ws');
            let received = 0;
            ws.onopen = () => { for (let i = 0; i < \(framesEachWay); i++) ws.send('m' + i); };
            ws.onmessage = () => { if (++received === \(framesEachWay)) ws.close(); };
            ws.onclose = () => resolve(received);
            ws.onerror = () => reject(new Error('ws error'));
          });
        })()
        """

    @Test func aBurstOf10000FetchesAnd100000FramesIsRecordedExactlyAndInOrder() async throws {
        let capture = try await LiveCapture.run { page, _, _ in
            let received = try await page.evaluate(Self.burstScript)
            #expect(received.intValue == Self.framesEachWay)
        }
        defer { capture.remove() }
        let fetched = capture.exchanges(path: "/api/json")
        #expect(fetched.count == Self.fetches)
        #expect(Set(fetched.map(\.url)).count == Self.fetches)
        #expect(fetched.allSatisfy { $0.response?.status == 200 && $0.response?.body?.text?.hasPrefix("{") == true })
        let socket = try #require(capture.file.exchanges.first { $0.kind == .websocket })
        let sent = socket.messages.filter { $0.direction == .sent }.map(\.data)
        let received = socket.messages.filter { $0.direction == .received }.map(\.data)
        let expected = (0..<Self.framesEachWay).map { "m\($0)" }
        #expect(sent == expected)
        #expect(received == expected)
        #expect(capture.summary.messages == 2 * Self.framesEachWay)
        #expect(!socket.streamOpen)
    }
}
