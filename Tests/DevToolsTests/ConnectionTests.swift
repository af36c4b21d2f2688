import Browser
import DevTools
import Foundation
import JSONCore
import Testing
import TestSupport

/// The connection against a real Chromium, over the given transport.
enum ConnectionChecks {
    static func eventsArriveInOrder(_ transport: TransportKind) async throws {
        try await TestBrowser.with(LaunchOptions(transport: transport)) { browser in
            let page = try await browser.newPage()
            let console = page.session.events(["Runtime.consoleAPICalled"])
            _ = try await page.session.send("Runtime.enable")
            _ = try await page.evaluate("for (let i = 0; i < 300; i++) console.log(i)")
            var seen: [Int] = []
            for await event in console {
                seen.append(event.params["args"]?[0]?["value"]?.intValue ?? -1)
                if seen.count == 300 { break }
            }
            #expect(seen == Array(0..<300))
        }
    }

    static func fiftyMegabyteResultArrivesWhole(_ transport: TransportKind) async throws {
        try await TestBrowser.with(LaunchOptions(transport: transport)) { browser in
            let page = try await browser.newPage()
            let size = 50 * 1024 * 1024
            let value = try await page.evaluate("'abcdefgh'.repeat(\(size / 8))")
            let text = try #require(value.stringValue)
            #expect(text.utf8.count == size)
            #expect(text.hasPrefix("abcdefghabcdefgh") && text.hasSuffix("abcdefgh"))
        }
    }
}

@Suite("DevTools connection over the pipe", .timeLimit(.minutes(1)))
struct PipeConnectionTests {
    @Test func eventsArriveInOrder() async throws {
        try await ConnectionChecks.eventsArriveInOrder(.pipe)
    }

    @Test func fiftyMegabyteResultArrivesWhole() async throws {
        try await ConnectionChecks.fiftyMegabyteResultArrivesWhole(.pipe)
    }

    @Test func unknownMethodIsATypedErrorNamingIt() async throws {
        try await TestBrowser.with { browser in
            await #expect {
                _ = try await browser.session.send("Nonexistent.method")
            } throws: { error in
                guard let error = error as? CDPError else { return false }
                return error.method == "Nonexistent.method" && error.code == -32601 && "\(error)".contains("Nonexistent.method")
            }
        }
    }

    @Test func badParamsAreATypedErrorNamingTheMethod() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            await #expect {
                _ = try await page.session.send("Runtime.evaluate", ["expression": 5])
            } throws: { error in
                guard let error = error as? CDPError else { return false }
                return error.method == "Runtime.evaluate" && error.code == -32602
            }
        }
    }

    @Test func twoPagesInTwoContextsKeepTheirSessionsApart() async throws {
        try await TestBrowser.with { browser in
            let first = try await browser.newContext()
            let second = try await browser.newContext()
            let pages = try await (first.newPage(), second.newPage())
            #expect(pages.0.session.id != pages.1.session.id)
            let streams = (pages.0.session.events(["Runtime.consoleAPICalled"]), pages.1.session.events(["Runtime.consoleAPICalled"]))
            _ = try await (pages.0.session.send("Runtime.enable"), pages.1.session.send("Runtime.enable"))
            async let logFirst = pages.0.evaluate("for (let i = 0; i < 50; i++) console.log('first'); 1")
            async let logSecond = pages.1.evaluate("for (let i = 0; i < 50; i++) console.log('second'); 0")
            _ = try await (logFirst, logSecond)
            for (stream, expected) in [(streams.0, "first"), (streams.1, "second")] {
                var count = 0
                for await event in stream {
                    #expect(event.params["args"]?[0]?["value"]?.stringValue == expected)
                    count += 1
                    if count == 50 { break }
                }
                // A stream that ended early (a closed connection) must not pass for fifty events.
                #expect(count == 50, "\(expected): \(count) console events")
            }
            _ = try await pages.0.evaluate("window.marker = 'one'")
            #expect(try await pages.1.evaluate("typeof window.marker") == "undefined")
        }
    }

    @Test func commandTimeoutNamesTheMethod() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            await #expect {
                _ = try await page.session.send("Runtime.evaluate", ["expression": "new Promise(() => {})", "awaitPromise": true], timeout: .milliseconds(200))
            } throws: { error in
                guard case DevToolsError.timeout(let method, _) = error else { return false }
                return method == "Runtime.evaluate"
            }
        }
    }

    @Test func anEventHandlerMaySendCommands() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            let console = page.session.events(["Runtime.consoleAPICalled"])
            _ = try await page.session.send("Runtime.enable")
            _ = try await page.evaluate("console.log('ping')")
            var answered = false
            for await _ in console {
                // Awaiting a reply while the reader delivers events must not deadlock.
                #expect(try await page.evaluate("2 * 21") == .integer(42))
                answered = true
                break
            }
            #expect(answered, "no console event arrived, so nothing was sent from a handler")
        }
    }
}

@Suite("Command cancellation", .timeLimit(.minutes(1)))
struct CancellationTests {
    @Test func cancellingTheAwaitingTaskFailsTheCommandAtOnce() async throws {
        try await TestBrowser.with { browser in
            let page = try await browser.newPage()
            let started = ContinuousClock.now
            let pending = Task {
                try await page.session.send("Runtime.evaluate", ["expression": "new Promise(() => {})", "awaitPromise": true], timeout: .seconds(30))
            }
            try await Task.sleep(for: .milliseconds(50))
            pending.cancel()
            let outcome = await pending.result
            // Well before the command's own 30 s timeout, even on a busy machine.
            #expect(ContinuousClock.now - started < .seconds(10))
            if case .failure(is CancellationError) = outcome {} else { Issue.record("expected CancellationError, got \(outcome)") }
            // The connection is still usable afterwards.
            #expect(try await page.evaluate("1") == .integer(1))
        }
    }
}
