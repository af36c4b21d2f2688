import Browser
import DevTools
import Foundation
import JSONCore
import Testing
import TestSupport

@Suite("Typed protocol surface", .timeLimit(.minutes(1)))
struct TypedProtocolTests {
    @Test func typedCommandsRoundTrip() async throws {
        try await TestBrowser.with { browser in
            let version = try await browser.session.send(CDP.BrowserDomain.GetVersion())
            #expect(version.product.contains("Chrome"))
            let context = try await browser.session.send(CDP.Target.CreateBrowserContext())
            let created = try await browser.session.send(CDP.Target.CreateTarget(browserContextId: context.browserContextId))
            let info = try await browser.session.send(CDP.Target.GetTargetInfo(targetId: created.targetId))
            #expect(info.targetInfo.type == "page")
            #expect(info.targetInfo.browserContextId == context.browserContextId)
            _ = try await browser.session.send(CDP.Target.DisposeBrowserContext(browserContextId: context.browserContextId))
        }
    }

    @Test func typedEvaluateReportsValuesAndExceptions() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            let value = try await page.session.send(CDP.Runtime.Evaluate(expression: "({a: [1, 'two']})"))
            #expect(value.result.value == ["a": [1, "two"]])
            #expect(value.exceptionDetails == nil)
            let thrown = try await page.session.send(CDP.Runtime.Evaluate(expression: "throw new TypeError('nope')"))
            #expect(thrown.exceptionDetails?.message.hasPrefix("TypeError: nope") == true)
        }
    }

    @Test func typedEventsDecode() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            let console = page.session.events(CDP.Runtime.ConsoleAPICalled.self)
            _ = try await page.session.send(CDP.Runtime.Enable())
            _ = try await page.evaluate("console.warn('typed', 7)")
            var iterator = console.makeAsyncIterator()
            let event = try #require(await iterator.next())
            #expect(event.type == "warning")
            #expect(event.args.map(\.value) == ["typed", 7])
        }
    }

    @Test func aTypedCommandWithBadParamsIsACDPErrorNamingIt() async throws {
        try await TestBrowser.with { browser in
            await #expect {
                _ = try await browser.session.send(CDP.Target.CloseTarget(targetId: "no-such-target"))
            } throws: { error in
                (error as? CDPError)?.method == "Target.closeTarget"
            }
        }
    }
}

@_silgen_name("pthread_getname_np")
private func threadName(_ thread: pthread_t, _ name: UnsafeMutablePointer<CChar>, _ length: Int) -> Int32

private func currentThreadName() -> String {
    var buffer = [CChar](repeating: 0, count: 32)
    _ = threadName(pthread_self(), &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

@Suite("Reader executor", .timeLimit(.minutes(1)))
struct ReaderExecutorTests {
    @Test func aPreferringTaskContinuesOnTheReaderThreadAfterItsReplies() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            // A reply can beat the task's own suspension (it then never leaves its thread), so
            // count: most replies, and surely some, resume the task on the reader thread.
            let onReader = try await withTaskExecutorPreference(browser.executor) { () async throws -> Int in
                var count = 0
                for _ in 0..<20 {
                    _ = try await page.evaluate("1")
                    if currentThreadName() == DevToolsConnection.readerThreadName { count += 1 }
                }
                return count
            }
            #expect(onReader > 0)
            _ = try await page.evaluate("1")
            #expect(currentThreadName() != DevToolsConnection.readerThreadName)
        }
    }

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
