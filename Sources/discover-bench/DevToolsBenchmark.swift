import Browser
import DevTools
import Foundation
import JSONCore
import Synchronization

#if canImport(Glibc)
@preconcurrency import Glibc
import Durations
#endif

/// Not exported by the Glibc module (it is a GNU extension).
@_silgen_name("pthread_getname_np")
private func threadName(_ thread: pthread_t, _ name: UnsafeMutablePointer<CChar>, _ length: Int) -> Int32

/// Sequential `Runtime.evaluate("1+1")` round trips through the public API against a minimal
/// blocking loop on the same transport of the same browser, and launch times.
enum DevToolsBenchmark {
    static let roundTrips = 1_000
    static let rounds = 15

    static func run() async throws {
        try await measureRoundTrips()
        try await measureOwnCost()
        for executable in ["/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium/chromium"] {
            try await measureLaunch(executable)
        }
    }

    struct Rates {
        var minimal: [Double] = []
        var plain: [Double] = []
        var page: [Double] = []
        var onReader: [Double] = []
    }

    /// Short rounds, interleaved on one browser per transport, so a busy machine's swings hit the
    /// limit and the API alike; each figure is compared with the minimal loop of its own round.
    static func measureRoundTrips() async throws {
        let pipeBrowser = try await Browser.launch()
        let socketBrowser = try await Browser.launch(LaunchOptions(transport: .webSocket))
        let pages = [try await pipeBrowser.newPage(), try await socketBrowser.newPage()]
        let browsers = [pipeBrowser, socketBrowser]
        var rates = [Rates(), Rates()]
        for index in 0..<2 {
            _ = try await minimalRate(200, browsers[index], pages[index].session)
            _ = try await sessionRate(200, pages[index].session)
        }
        for _ in 0..<rounds {
            for index in 0..<2 {
                let (browser, page) = (browsers[index], pages[index])
                rates[index].minimal.append(try await minimalRate(roundTrips, browser, page.session))
                rates[index].plain.append(try await sessionRate(roundTrips, page.session))
                rates[index].page.append(try await pageRate(roundTrips, page))
                rates[index].onReader.append(try await withTaskExecutorPreference(browser.executor) { try await sessionRate(roundTrips, page.session) })
            }
        }
        await pipeBrowser.close()
        await socketBrowser.close()

        print("  sequential Runtime.evaluate(\"1+1\"): \(rounds) interleaved rounds of \(roundTrips); median rate, and each round's ratio to the pipe's minimal loop of the same round (median, range); load average \(loadAverage())")
        let limit = rates[0].minimal
        func line(_ name: String, _ values: [Double]) {
            let ratios = zip(values, limit).map { $0 / $1 }
            let range = String(format: "%.2f-%.2f", ratios.min() ?? 0, ratios.max() ?? 0)
            print("  \(name.padding(toLength: 56, withPad: " ", startingAt: 0)) \(format(median(values)).leftPadded(6))/s  ratio \(String(format: "%.2f", median(ratios))) (\(range))")
        }
        for (index, name) in ["pipe", "WebSocket"].enumerated() {
            line("\(name), minimal blocking loop (write, read, no async)", rates[index].minimal)
            line("\(name), CDPSession.send", rates[index].plain)
            line("\(name), Page.evaluate", rates[index].page)
            line("\(name), CDPSession.send preferring the reader executor", rates[index].onReader)
        }
    }

    /// The practical limit: a blocking write and read per command on the connection's own
    /// transport, run on its reader thread (where nothing else reads), nothing parsed.
    static func minimalRate(_ count: Int, _ browser: Browser, _ session: CDPSession) async throws -> Double {
        // It must run on this browser's reader thread, not just any: a task that continued on the
        // other browser's reader (after a reply there) and whose next reply wins the race with its
        // suspension stays on that thread, and would then read this transport beside this
        // reader. Preferring this browser's executor puts it on its own reader or on the pool.
        try await withTaskExecutorPreference(browser.executor) {
            // After a reply the task continues inline on the reader thread, unless the reply won
            // the race with the task's own suspension (then it never left its thread): try again.
            for _ in 0..<100 {
                _ = try await session.send("Runtime.evaluate", ["expression": "0"])
                if currentThreadName() == DevToolsConnection.readerThreadName {
                    return try blockingLoop(count, browser.connection.transport, sessionId: session.id ?? "")
                }
            }
            throw BenchmarkError(message: "never continued on the reader thread, so the minimal loop cannot run there")
        }
    }

    static func currentThreadName() -> String {
        var buffer = [CChar](repeating: 0, count: 32)
        _ = threadName(pthread_self(), &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static let rawIds = Atomic<Int>(1_000_000_000)

    static func blockingLoop(_ count: Int, _ transport: any DevToolsTransport, sessionId: String) throws -> Double {
        let name = currentThreadName()
        guard name == DevToolsConnection.readerThreadName else {
            throw BenchmarkError(message: "the minimal loop must run on the reader thread, not on \(name)")
        }
        let start = ContinuousClock.now
        for _ in 0..<count {
            let id = rawIds.add(1, ordering: .relaxed).newValue
            try transport.send(#"{"id":\#(id),"method":"Runtime.evaluate","params":{"expression":"1+1"},"sessionId":"\#(sessionId)"}"#)
            let marker = Array(#"{"id":\#(id),"#.utf8)
            while true {
                guard let message = try transport.receive() else { throw BenchmarkError(message: "the browser closed the connection") }
                if message.starts(with: marker) { break }
            }
        }
        return Double(count) / (ContinuousClock.now - start).inSeconds
    }

    /// The library's own cost per command, against a transport that answers from memory.
    static func measureOwnCost() async throws {
        let connection = DevToolsConnection(transport: EchoTransport())
        let session = CDPSession(connection: connection, id: "session")
        _ = try await sessionRate(2_000, session)
        var plain: [Double] = []
        var onReader: [Double] = []
        for _ in 0..<rounds {
            plain.append(try await sessionRate(5_000, session))
            onReader.append(try await withTaskExecutorPreference(connection.executor) { try await sessionRate(5_000, session) })
        }
        await connection.close()
        let (plainRate, readerRate) = (median(plain), median(onReader))
        print("  library cost alone (in-memory echo transport): \(String(format: "%.1f", 1e6 / plainRate)) µs per CDPSession.send, "
            + "\(String(format: "%.1f", 1e6 / readerRate)) µs on the reader executor")
    }

    static func sessionRate(_ count: Int, _ session: CDPSession) async throws -> Double {
        let start = ContinuousClock.now
        for _ in 0..<count {
            _ = try await session.send("Runtime.evaluate", ["expression": "1+1"])
        }
        return Double(count) / (ContinuousClock.now - start).inSeconds
    }

    static func pageRate(_ count: Int, _ page: Page) async throws -> Double {
        let start = ContinuousClock.now
        for _ in 0..<count { _ = try await page.evaluate("1+1") }
        return Double(count) / (ContinuousClock.now - start).inSeconds
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
            toReply.append((ContinuousClock.now - start).inSeconds * 1000)
            let page = try await browser.newPage()
            _ = try await page.evaluate("1+1")
            toEvaluate.append((ContinuousClock.now - start).inSeconds * 1000)
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

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

