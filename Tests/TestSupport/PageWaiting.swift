import Browser
import Durations
import Foundation

/// What a test waited for on a page, and what the page showed instead.
public struct PageWaitTimeout: Error, CustomStringConvertible {
    public let description: String
}

extension Page {
    /// Polls `condition` (a JavaScript expression) every 50 ms until it is true; the error tells what was
    /// awaited and what the page showed instead.
    public func waitUntil(_ what: String, _ condition: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = Deadline(after: timeout)
        while !deadline.hasPassed {
            if try await evaluate("Boolean(\(condition))") == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        let seen = try await evaluate("location.pathname + ': ' + document.body.innerText.slice(0, 300)")
        throw PageWaitTimeout(description: "timed out after \(timeout) waiting for \(what) (\(condition)); the page showed \(seen.stringValue ?? "nothing")")
    }
}
