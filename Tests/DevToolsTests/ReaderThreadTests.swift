import Browser
import DevTools
import Foundation
import JSONCore
import Testing
import TestSupport

@_silgen_name("pthread_getname_np")
private func threadName(_ thread: pthread_t, _ name: UnsafeMutablePointer<CChar>, _ length: Int) -> Int32

private func currentThreadName() -> String {
    var buffer = [CChar](repeating: 0, count: 32)
    _ = threadName(pthread_self(), &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

@Suite("Replies resume on the reader thread", .timeLimit(.minutes(1)))
struct ReplyResumptionTests {
    @Test func aCallerContinuesOnTheReaderThreadAfterItsReplies() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            // A reply can beat the task's own suspension (it then never leaves its thread), so
            // count: most replies, and surely some, resume the task on the reader thread.
            var onReader = 0
            for _ in 0..<20 {
                _ = try await page.evaluate("1")
                if currentThreadName() == DevToolsConnection.readerThreadName { onReader += 1 }
            }
            #expect(onReader > 0)
        }
    }

    @Test func aLargeReplyResumesItsCallerOnThePool() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            let length = DevToolsConnection.inlineReplyLimit * 2
            for _ in 0..<5 {
                let text = try await page.evaluate("'x'.repeat(\(length))")
                #expect(text.stringValue?.count == length)
                #expect(currentThreadName() != DevToolsConnection.readerThreadName)
            }
        }
    }

    @Test func aTaskThatYieldsAfterItsReplyDoesNotKeepTheReaderFromReading() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            _ = try await page.evaluate("1")
            async let spinner: Void = {
                for _ in 0..<1000 { await Task.yield() }
            }()
            for index in 0..<50 {
                #expect(try await page.evaluate("\(index) + 1") == .integer(index + 1))
            }
            await spinner
        }
    }
}

@Suite("Reader executor", .timeLimit(.minutes(1)))
struct ReaderExecutorTests {
    @Test func commandsAndEventsWorkOnTheReaderExecutor() async throws {
        try await TestBrowser.with { browser in
            try await withTaskExecutorPreference(browser.connection.executor) {
                let page = try await browser.newPage()
                let console = page.session.events(["Runtime.consoleAPICalled"])
                _ = try await page.session.send("Runtime.enable")
                for index in 0..<200 {
                    #expect(try await page.evaluate("\(index) + 1") == .integer(index + 1))
                }
                _ = try await page.evaluate("console.log('from the reader')")
                var iterator = console.makeAsyncIterator()
                #expect(await iterator.next()?.params["args"]?[0]?["value"] == "from the reader")
                // A task that yields in a loop must not keep the reader from reading.
                async let spinner: Void = {
                    for _ in 0..<1000 { await Task.yield() }
                }()
                #expect(try await page.evaluate("'still reading'") == "still reading")
                await spinner
            }
        }
    }
}
