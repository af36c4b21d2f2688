import Browser
import DevTools
import Foundation
import JSONCore

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Sequential `Runtime.evaluate("1+1")` round trips: the public async API against a minimal
/// blocking loop on the same pipe of the same browser, and launch times.
enum DevToolsBenchmark {
    static let roundTrips = 3_000
    static let rounds = 7

    static func run() async throws {
        try await measureRoundTrips()
        for executable in ["/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium/chromium"] {
            try await measureLaunch(executable)
        }
    }

    /// Two browsers of the same build: one driven by the minimal loop on its raw pipe, one through
    /// the public API, measured in alternating rounds so the machine's load hits both alike. Then
    /// the raw browser is handed to the public API too, for the literal same-pipe comparison.
    static func measureRoundTrips() async throws {
        let raw = try Browser.spawn()
        let loop = MinimalPipeLoop(read: raw.pipe.read, write: raw.pipe.write)
        let rawSession = try loop.attachToNewPage()
        let browser = try await Browser.launch()
        let page = try await browser.newPage()
        let executor = browser.connection.executor
        let overSocket = try await Browser.launch(LaunchOptions(transport: .webSocket))
        let socketPage = try await overSocket.newPage()
        _ = try loop.evaluateRepeatedly(300, sessionId: rawSession)
        _ = try await sessionRate(300, page.session)
        _ = try await sessionRate(300, socketPage.session)

        var minimal: [Double] = []
        var plain: [Double] = []
        var onReader: [Double] = []
        var pageOnReader: [Double] = []
        var socketPlain: [Double] = []
        var socketOnReader: [Double] = []
        for _ in 0..<rounds {
            minimal.append(try loop.evaluateRepeatedly(roundTrips, sessionId: rawSession))
            plain.append(try await sessionRate(roundTrips, page.session))
            onReader.append(try await withTaskExecutorPreference(executor) { try await sessionRate(roundTrips, page.session) })
            pageOnReader.append(try await withTaskExecutorPreference(executor) { try await pageRate(roundTrips, page) })
            socketPlain.append(try await sessionRate(roundTrips, socketPage.session))
            socketOnReader.append(
                try await withTaskExecutorPreference(overSocket.connection.executor) { try await sessionRate(roundTrips, socketPage.session) })
        }
        await browser.close()
        await overSocket.close()
        guard loop.bufferIsEmpty else { throw BenchmarkError(message: "unexpected bytes left on the pipe") }

        let adopted = try await Browser.start(raw)
        let samePipe = CDPSession(connection: adopted.connection, id: rawSession)
        _ = try await sessionRate(300, samePipe)
        let samePipeRate = try await withTaskExecutorPreference(adopted.connection.executor) { try await sessionRate(roundTrips, samePipe) }
        await adopted.close()

        let limit = median(minimal)
        /// Each round's rate over the same round's minimal loop, so load drifting during the run
        /// cancels out; the median of those ratios is what is printed.
        func line(_ name: String, _ rates: [Double]) {
            let ratios = zip(rates, minimal).map { $0 / $1 }
            print("  \(name.padding(toLength: 60, withPad: " ", startingAt: 0)) \(format(median(rates)))/s  ratio \(String(format: "%.2f", median(ratios)))")
        }
        print("  sequential Runtime.evaluate(\"1+1\"), medians of \(rounds) alternating rounds of \(roundTrips); load average \(loadAverage())")
        line("pipe, minimal blocking loop (the limit)", minimal)
        line("pipe, CDPSession.send", plain)
        line("pipe, CDPSession.send on the reader executor", onReader)
        line("pipe, Page.evaluate on the reader executor", pageOnReader)
        line("WebSocket, CDPSession.send", socketPlain)
        line("WebSocket, CDPSession.send on the reader executor", socketOnReader)
        print("  \("same pipe as the minimal loop, send on the reader executor".padding(toLength: 60, withPad: " ", startingAt: 0)) \(format(samePipeRate))/s  ratio \(String(format: "%.2f", samePipeRate / limit)) (one round, after the others)")
        try await measureOwnCost()
    }

    /// The library's own cost per command, against a transport that answers from memory.
    static func measureOwnCost() async throws {
        let connection = DevToolsConnection(transport: EchoTransport())
        let session = CDPSession(connection: connection, id: "session")
        _ = try await sessionRate(2_000, session)
        let plain = median(try await (0..<rounds).asyncMap { _ in try await sessionRate(20_000, session) })
        let onReader = median(
            try await (0..<rounds).asyncMap { _ in
                try await withTaskExecutorPreference(connection.executor) { try await sessionRate(20_000, session) }
            })
        await connection.close()
        print("  library cost alone (in-memory echo transport): send \(format(plain))/s = \(String(format: "%.1f", 1e6 / plain)) µs, "
            + "on the reader executor \(format(onReader))/s = \(String(format: "%.1f", 1e6 / onReader)) µs per command")
    }

    static func sessionRate(_ count: Int, _ session: CDPSession) async throws -> Double {
        let start = ContinuousClock.now
        for _ in 0..<count {
            _ = try await session.send("Runtime.evaluate", ["expression": "1+1"])
        }
        return Double(count) / (ContinuousClock.now - start).seconds
    }

    static func pageRate(_ count: Int, _ page: Page) async throws -> Double {
        let start = ContinuousClock.now
        for _ in 0..<count { _ = try await page.evaluate("1+1") }
        return Double(count) / (ContinuousClock.now - start).seconds
    }

    static func measureLaunch(_ executable: String) async throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            print("  launch \(executable): not installed")
            return
        }
        var toReply: [Double] = []
        var toEvaluate: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            let browser = try await Browser.launch(LaunchOptions(executablePath: executable))
            _ = try await browser.version()
            toReply.append((ContinuousClock.now - start).seconds * 1000)
            let page = try await browser.newPage()
            _ = try await page.evaluate("1+1")
            toEvaluate.append((ContinuousClock.now - start).seconds * 1000)
            await browser.close()
        }
        let name = (executable as NSString).lastPathComponent
        print("  launch \(name): spawn to first reply \(format(median(toReply))) ms, to first page evaluate \(format(median(toEvaluate))) ms (median of 5)")
    }

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    static func format(_ rate: Double) -> String { String(Int(rate.rounded())) }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The practical limit: blocking write and read on the pipe, nothing parsed on the hot path.
final class MinimalPipeLoop {
    let readDescriptor: Int32
    let writeDescriptor: Int32
    private var buffer: [UInt8] = []
    private var nextId = 1_000_000

    init(read: Int32, write: Int32) {
        readDescriptor = read
        writeDescriptor = write
    }

    var bufferIsEmpty: Bool { buffer.isEmpty }

    func attachToNewPage() throws -> String {
        let created = try request(#"{"id":1,"method":"Target.createTarget","params":{"url":"about:blank"}}"#, id: 1)
        guard let targetId = try JSON.parse(bytes: created)["result"]?["targetId"]?.stringValue else {
            throw BenchmarkError(message: "no targetId")
        }
        let attached = try request(#"{"id":2,"method":"Target.attachToTarget","params":{"targetId":"\#(targetId)","flatten":true}}"#, id: 2)
        guard let sessionId = try JSON.parse(bytes: attached)["result"]?["sessionId"]?.stringValue else {
            throw BenchmarkError(message: "no sessionId")
        }
        return sessionId
    }

    func evaluateRepeatedly(_ count: Int, sessionId: String) throws -> Double {
        let start = ContinuousClock.now
        for _ in 0..<count {
            nextId += 1
            _ = try request(#"{"id":\#(nextId),"method":"Runtime.evaluate","params":{"expression":"1+1"},"sessionId":"\#(sessionId)"}"#, id: nextId)
        }
        return Double(count) / (ContinuousClock.now - start).seconds
    }

    /// Writes one message and reads messages until the reply with `id` (skipping events).
    private func request(_ text: String, id: Int) throws -> [UInt8] {
        var bytes = Array(text.utf8)
        bytes.append(0)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(writeDescriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw BenchmarkError(message: "write failed") }
            offset += written
        }
        let marker = Array("{\"id\":\(id),".utf8)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let message = Array(buffer[..<end])
                buffer.removeFirst(end + 1)
                if message.starts(with: marker) { return message }
                continue
            }
            let count = chunk.withUnsafeMutableBytes { read(readDescriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw BenchmarkError(message: "the browser closed the pipe") }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
