import Browser
import DevTools
import Durations
import Foundation
import JSONCore

/// `waitFor`, `expect` and `save`: poll until the condition holds or the deadline passes.
extension FlowRunner {
    static let pollInterval = Duration.milliseconds(50)

    func satisfy(_ condition: Condition, until deadline: Deadline, asserting: Bool) async throws {
        let started = ContinuousClock.now
        func failure(_ observed: String) -> String {
            let what = Self.describe(condition)
            return asserting
                ? "expected \(what) within \(Self.seconds(.now - started)), but \(observed)"
                : "timed out after \(Self.seconds(.now - started)) waiting for \(what): \(observed)"
        }
        switch condition {
        case .element(let locator, let state, let count):
            var observed = "nothing observed"
            repeat {
                let slice = deadline.remaining(atMost: .milliseconds(1000))
                let target = try await route(locator)
                let result = try await target.engine.call(
                    .waitCondition, target.locator, .string(state.rawValue), count.map { .integer($0.value) } ?? .null,
                    .string(count?.comparison.rawValue ?? "=="), .integer(Self.milliseconds(slice)))
                if let error = result["error"]?.stringValue { throw StepError(message: error) }
                if result["satisfied"]?.boolValue == true { return }
                observed = result["observed"]?.stringValue ?? observed
            } while !deadline.hasPassed
            if state == .detached || state == .hidden || count != nil { throw StepError(message: failure(observed)) }
            throw await timeout(failure(observed), locator: locator)
        case .text(let text, let exact):
            repeat {
                let slice = deadline.remaining(atMost: .milliseconds(1000))
                let result = try await engine.call(.hasText, .string(text), .bool(exact), .integer(Self.milliseconds(slice)))
                if result["satisfied"]?.boolValue == true { return }
            } while !deadline.hasPassed
            throw await timeout(failure("no visible element has that text"), locator: .single(LocatorQuery(.text(text), exact: exact)))
        case .url(let pattern):
            let matcher = try URLPattern(pattern)
            var current = ""
            repeat {
                current = try await currentURL()
                if matcher.matches(current) { return }
                try await Task.sleep(for: Self.pollInterval)
            } while !deadline.hasPassed
            throw StepError(message: failure("the URL is \(current)"))
        case .response(let matcher, let count, let json):
            let pattern = try URLPattern(matcher.url)
            let wanted = count ?? 1
            var observed = ""
            repeat {
                let matching = network.responses(since: actionMark).filter { Self.matches($0, matcher, pattern) }
                if let json {
                    var checked: [String] = []
                    for response in matching where response.finished {
                        let (holds, seen) = await check(json, in: response)
                        if holds { return }
                        checked.append(seen)
                    }
                    observed = matching.isEmpty ? "no matching response" : "matching responses had \(checked.suffix(3).joined(separator: "; "))"
                } else {
                    if matching.count >= wanted { return }
                    observed = "\(matching.count) matching response\(matching.count == 1 ? "" : "s") since the last action"
                }
                try await Task.sleep(for: Self.pollInterval)
            } while !deadline.hasPassed
            let recent = network.responses(since: actionMark).suffix(8).map { "  \($0.method) \($0.url) -> \($0.status)" }
            let misses = nearMisses(matcher, pattern)
            throw StepError(
                message: failure(observed),
                found: (misses.isEmpty ? [] : ["near misses:"] + misses)
                    + (recent.isEmpty ? ["no responses since the last action"] : ["responses since the last action (latest 8):"] + recent))
        case .expression(let expression):
            var observed = "the page did not answer"
            repeat {
                let remaining = deadline.remaining
                // A synchronous expression answers at once; the limit is for a promise that never settles, and
                // stays above a loaded machine's round trip so the last value is always seen.
                switch try await evaluateCondition(expression, within: max(remaining, .seconds(1))) {
                case .truthy: return
                case .falsy(let value): observed = "the last value was \(value)"
                case .threw(let message): observed = "it last threw \(message)"
                case .unsettled: observed = "its promise did not settle"
                }
                try await Task.sleep(for: Self.pollInterval)
            } while !deadline.hasPassed
            throw StepError(message: failure(observed))
        case .message(let matcher, let count):
            let pattern = try URLPattern(matcher.url)
            let regex = try matcher.matches.map { try NSRegularExpression(pattern: $0) }
            let wanted = count ?? 1
            var seen = 0
            repeat {
                let matching = network.messages(since: actionMark).filter { message in
                    guard pattern.matches(message.url) else { return false }
                    if let direction = matcher.direction, message.direction != direction { return false }
                    if let event = matcher.event, message.event != event { return false }
                    if let contains = matcher.contains, !message.data.contains(contains) { return false }
                    if let regex, regex.firstMatch(in: message.data, range: NSRange(message.data.startIndex..., in: message.data)) == nil { return false }
                    return true
                }
                seen = matching.count
                if seen >= wanted { return }
                try await Task.sleep(for: Self.pollInterval)
            } while !deadline.hasPassed
            let recent = network.messages(since: actionMark).suffix(5).map { "  \($0.direction.rawValue) \($0.url) \($0.event.map { "event=\($0) " } ?? "")\(String($0.data.prefix(80)))" }
            throw StepError(message: failure("\(seen) matching message\(seen == 1 ? "" : "s") since the last action"), found: recent)
        }
    }

    enum ExpressionOutcome {
        case truthy
        /// The value as JavaScript would print it: `0`, `"idle"`, `null`, `undefined`.
        case falsy(String)
        case threw(String)
        case unsettled
    }

    /// One evaluation of a condition's expression in the page's main world (the page's own globals),
    /// a returned promise awaited up to `limit`. A thrown error or a navigation that destroys the
    /// context counts as not yet: the page may still be getting there.
    func evaluateCondition(_ expression: String, within limit: Duration) async throws -> ExpressionOutcome {
        let reply: JSON
        do {
            reply = try await page.session.send(
                "Runtime.evaluate", ["expression": .string(expression), "awaitPromise": true, "returnByValue": false], timeout: limit)
        } catch DevToolsError.timeout {
            return .unsettled
        } catch let error as CDPError {
            return .threw(error.message)
        }
        if let details = reply["exceptionDetails"] {
            let message = details["exception"]?["description"]?.stringValue ?? details["text"]?.stringValue ?? "an exception"
            return .threw(LocatorEngine.firstLine(message))
        }
        let result = reply["result"] ?? .null
        if let objectId = result["objectId"]?.stringValue {
            _ = try? await page.session.send("Runtime.releaseObject", ["objectId": .string(objectId)])
        }
        return Self.isTruthy(result) ? .truthy : .falsy(Self.display(result))
    }

    /// JavaScript truthiness of a `Runtime.RemoteObject`.
    static func isTruthy(_ object: JSON) -> Bool {
        switch object["type"]?.stringValue {
        case "undefined": return false
        case "boolean": return object["value"]?.boolValue == true
        case "string": return object["value"]?.stringValue?.isEmpty == false
        case "number":
            if let special = object["unserializableValue"]?.stringValue { return special != "NaN" && special != "-0" }
            return object["value"]?.doubleValue.map { $0 != 0 } ?? false
        case "bigint": return object["unserializableValue"]?.stringValue != "0n"
        case "object": return object["subtype"]?.stringValue != "null"
        default: return true
        }
    }

    static func display(_ object: JSON) -> String {
        switch object["type"]?.stringValue {
        case "undefined": return "undefined"
        case "string": return JSON.string(String((object["value"]?.stringValue ?? "").prefix(200))).serialized()
        case "object" where object["subtype"]?.stringValue == "null": return "null"
        default:
            return object["unserializableValue"]?.stringValue ?? object["value"].map { String($0.serialized().prefix(200)) }
                ?? object["description"]?.stringValue ?? object["type"]?.stringValue ?? "?"
        }
    }

    /// Responses of the whole run that almost match, each with what differs: the URL matches but the
    /// method or status does not, the request failed, or it came before the last action; or the method
    /// and status match and the path is a few edits away (a typo, a singular for a plural).
    func nearMisses(_ matcher: ResponseMatcher, _ pattern: URLPattern, limit: Int = 6) -> [String] {
        // A similar path means something only for a literal one (a leading `**` aside).
        var wantedPath = Self.pathWithoutQuery(matcher.url)
        while wantedPath.hasPrefix("*") { wantedPath.removeFirst() }
        let comparesPaths = wantedPath.hasPrefix("/") && !wantedPath.contains("*")
        let allowedEdits = max(2, wantedPath.count / 4)
        var seen: Set<String> = []
        var misses: [(rank: Int, line: String)] = []
        // The latest few thousand are plenty, and bound the edit distances at a timeout of a long run.
        for response in network.responses(since: 0).suffix(2_000) {
            var differences: [String] = []
            let urlMatches = pattern.matches(response.url)
            if urlMatches {
                if let method = matcher.method, response.method != method { differences.append("the method is \(response.method), not \(method)") }
                if let status = matcher.status, response.status != status { differences.append("the status is \(response.status), not \(status)") }
                if response.failed { differences.append("the request failed") }
                if differences.isEmpty, response.sequence <= actionMark { differences.append("it came before the last action") }
            } else if comparesPaths, matcher.method.map({ $0 == response.method }) ?? true, matcher.status.map({ $0 == response.status }) ?? true {
                let path = Self.pathWithoutQuery(response.url)
                guard abs(path.count - wantedPath.count) <= allowedEdits else { continue }
                let distance = Suggestion.editDistance(path, wantedPath)
                if distance > 0, distance <= allowedEdits { differences.append("the path is \(distance) edit\(distance == 1 ? "" : "s") from \(matcher.url)") }
            }
            guard !differences.isEmpty else { continue }
            let line = "  \(response.method) \(response.url) -> \(response.failed ? "failed" : String(response.status)): \(differences.joined(separator: "; "))"
            if seen.insert(line).inserted { misses.append((urlMatches ? 0 : 1, line)) }
        }
        // Newest first within each kind: the URL matches before a similar path.
        return misses.enumerated().sorted { ($0.element.rank, -$0.offset) < ($1.element.rank, -$1.offset) }.prefix(limit).map(\.element.line)
    }

    /// The path of a URL or URL glob, without its query (a glob starting with `/` is a path already).
    static func pathWithoutQuery(_ url: String) -> String {
        var path = Substring(url)
        if !url.hasPrefix("/"), let scheme = url.range(of: "://") {
            let rest = url[scheme.upperBound...]
            path = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        return String(path.prefix { $0 != "?" && $0 != "#" })
    }

    static func matches(_ response: NetworkLog.Response, _ matcher: ResponseMatcher, _ pattern: URLPattern) -> Bool {
        if let method = matcher.method, response.method != method { return false }
        if let status = matcher.status, response.status != status { return false }
        return !response.failed && pattern.matches(response.url)
    }

    /// Whether the response's JSON satisfies the check, and what was seen.
    private func check(_ expectation: JSONExpectation, in response: NetworkLog.Response) async -> (Bool, String) {
        guard let body = await network.body(of: response) else { return (false, "no JSON body") }
        let value = try? JSONPath.value(at: expectation.path, in: body)
        if let equals = expectation.equals {
            return (value == equals || (value?.doubleValue != nil && value?.doubleValue == equals.doubleValue),
                "\(expectation.path) = \(value.map { String($0.serialized().prefix(80)) } ?? "missing")")
        }
        let wantsPresence = expectation.exists ?? true
        return ((value != nil) == wantsPresence, "\(expectation.path) \(value == nil ? "missing" : "present")")
    }

    func currentURL() async throws -> String {
        try await page.evaluate("location.href").stringValue ?? ""
    }

    /// A `save` source's value as text.
    func value(of source: Source, until deadline: Deadline) async throws -> String {
        switch source {
        case .response(let matcher, let path):
            let pattern = try URLPattern(matcher.url)
            var observed = "no matching response yet"
            repeat {
                let matching = network.responses(since: 0).filter { Self.matches($0, matcher, pattern) && $0.finished }
                if let latest = matching.last {
                    guard let body = await network.body(of: latest) else {
                        throw StepError(message: "the latest \(Self.describe(matcher)) (\(latest.url)) has no JSON body")
                    }
                    guard let value = try JSONPath.value(at: path, in: body) else {
                        throw StepError(message: "\(path) is missing in the latest \(Self.describe(matcher)): \(String(body.serialized().prefix(300)))")
                    }
                    return value.plainText
                }
                observed = "no \(Self.describe(matcher)) in this run"
                try await Task.sleep(for: Self.pollInterval)
            } while !deadline.hasPassed
            throw StepError(message: "timed out: \(observed)")
        case .element(let locator, let attribute):
            _ = try await waitActionable(locator, Checks.attached, until: deadline)
            let target = try await route(locator)
            return try await target.engine.call(.read, target.locator, attribute.map { .string($0) } ?? .null).plainText
        case .urlRegex(let pattern):
            let regex = try NSRegularExpression(pattern: pattern)
            var current = ""
            repeat {
                current = try await currentURL()
                if let match = regex.firstMatch(in: current, range: NSRange(current.startIndex..., in: current)) {
                    let group = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
                    if let range = Range(group, in: current) { return String(current[range]) }
                }
                try await Task.sleep(for: Self.pollInterval)
            } while !deadline.hasPassed
            throw StepError(message: "the URL \(current) does not match /\(pattern)/")
        case .urlSegment(let index):
            let current = try await currentURL()
            let segments = (URLComponents(string: current)?.path ?? "").split(separator: "/").map(String.init)
            let resolved = index < 0 ? segments.count + index : index
            guard segments.indices.contains(resolved) else {
                throw StepError(message: "the URL \(current) has no path segment \(index) (segments: \(segments.joined(separator: ", ")))")
            }
            return segments[resolved].removingPercentEncoding ?? segments[resolved]
        }
    }
}
