import DevTools
import Durations
import Foundation
import JSONCore

/// A JavaScript failure inside the engine or the page, with its message.
struct EngineError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Calls into the locator engine, which lives in an isolated world of the page's main frame. A
/// navigation destroys the world; the next call creates a new one and installs the engine again.
actor LocatorEngine {
    let session: CDPSession
    private let testIdAttribute: String
    private var contextId: Int?
    static let worldName = "discover-locators"

    /// nil: the session's main frame.
    private let frameId: String?

    init(session: CDPSession, testIdAttribute: String, frameId: String? = nil) {
        self.session = session
        self.testIdAttribute = testIdAttribute
        self.frameId = frameId
    }

    /// `__discover.<function>(<arguments as JSON>)`, awaited, returned by value.
    func call(_ function: EngineFunction, _ arguments: JSON...) async throws -> JSON {
        let reply = try await evaluate(expression(function, arguments), byValue: true)
        return reply["result"]?["value"] ?? .null
    }

    /// The remote object id of the element a call returns, for commands that take a handle.
    func callForObject(_ function: EngineFunction, _ arguments: JSON...) async throws -> String {
        let reply = try await evaluate(expression(function, arguments), byValue: false)
        guard let objectId = reply["result"]?["objectId"]?.stringValue else {
            throw EngineError(message: "\(function) returned no element")
        }
        return objectId
    }

    /// `__discover.<function>(element)` on an element from `callForObject`, returned by value.
    func call(_ function: EngineFunction, on objectId: String) async throws -> JSON {
        let reply = try await session.send(
            "Runtime.callFunctionOn",
            ["objectId": .string(objectId), "functionDeclaration": .string("function() { return globalThis.__discover.\(function.rawValue)(this); }"),
             "returnByValue": true, "awaitPromise": true])
        if let details = reply["exceptionDetails"] {
            throw EngineError(message: Self.firstLine(details["exception"]?["description"]?.stringValue ?? details["text"]?.stringValue ?? "exception"))
        }
        return reply["result"]?["value"] ?? .null
    }

    func release(_ objectId: String) async {
        _ = try? await session.send("Runtime.releaseObject", ["objectId": .string(objectId)])
    }

    private func expression(_ function: EngineFunction, _ arguments: [JSON]) -> String {
        "globalThis.__discover ? __discover.\(function.rawValue)(\(arguments.map { $0.serialized() }.joined(separator: ", "))) : '__discover_missing__'"
    }

    private func evaluate(_ expression: String, byValue: Bool) async throws -> JSON {
        var lastError: (any Error)?
        // A navigation can destroy one fresh world after another while a page loads: keep trying a while,
        // and a few times at least, since on a loaded machine one round trip alone can take seconds.
        let giveUp = Deadline(after: .seconds(3))
        var attempts = 0
        while !giveUp.hasPassed || attempts < 5 {
            attempts += 1
            do {
                let context = try await ensureContext()
                let reply = try await session.send(
                    "Runtime.evaluate",
                    ["expression": .string(expression), "contextId": .integer(context), "returnByValue": .bool(byValue), "awaitPromise": true])
                if let details = reply["exceptionDetails"] {
                    let message = details["exception"]?["description"]?.stringValue ?? details["text"]?.stringValue ?? "exception"
                    if Self.isContextLoss(message) {
                        contextId = nil
                        lastError = EngineError(message: message)
                        try await Task.sleep(for: .milliseconds(20))
                        continue
                    }
                    throw EngineError(message: Self.firstLine(message))
                }
                if reply["result"]?["value"]?.stringValue == "__discover_missing__" {
                    try await install(in: context)
                    continue
                }
                return reply
            } catch let error as CDPError where Self.isContextLoss(error.message) {
                contextId = nil
                lastError = error
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        throw lastError ?? EngineError(message: "the page kept navigating away")
    }

    /// Context ids die with their document; these messages mean "try again in a fresh world".
    static func isContextLoss(_ message: String) -> Bool {
        message.contains("Cannot find context") || message.contains("context was destroyed")
            || message.contains("Inspected target navigated") || message.contains("No frame with given id")
            || message.contains("Cannot find default execution context") || message.contains("Promise was collected")
            || message.contains("No frame for given id")
    }

    static func firstLine(_ message: String) -> String {
        // Keep the message, drop the JavaScript stack lines.
        message.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("at ") }.joined(separator: "\n")
            .replacingOccurrences(of: "Error: ", with: "", options: .anchored)
    }

    private func ensureContext() async throws -> Int {
        if let contextId { return contextId }
        var frame = self.frameId
        if frame == nil {
            let tree = try await session.send("Page.getFrameTree")
            frame = tree["frameTree"]?["frame"]?["id"]?.stringValue
        }
        guard let frameId = frame else { throw EngineError(message: "the page has no main frame") }
        let world = try await session.send(
            "Page.createIsolatedWorld", ["frameId": .string(frameId), "worldName": .string(Self.worldName), "grantUniveralAccess": true])
        guard let id = world["executionContextId"]?.intValue else { throw EngineError(message: "Page.createIsolatedWorld returned no context") }
        try await install(in: id)
        contextId = id
        return id
    }

    private func install(in context: Int) async throws {
        let reply = try await session.send(
            "Runtime.evaluate", ["expression": .string(LocatorEngineScript.source), "contextId": .integer(context), "returnByValue": true])
        if let details = reply["exceptionDetails"] {
            let message = details["exception"]?["description"]?.stringValue ?? "exception"
            if Self.isContextLoss(message) { throw CDPError(method: "Runtime.evaluate", code: -32000, message: message, data: nil) }
            throw EngineError(message: "installing the locator engine failed: \(message)")
        }
        _ = try await session.send(
            "Runtime.evaluate",
            ["expression": .string("__discover.\(EngineFunction.configure.rawValue)(\(JSON.object(["testIdAttribute": .string(testIdAttribute)]).serialized()))"),
             "contextId": .integer(context)])
    }
}

extension Locator {
    /// The shape the engine reads; `text` is how messages name the locator.
    var engineJSON: JSON {
        switch self {
        case .single(let query): return query.engineJSON
        case .alternatives(let options):
            return ["alternatives": .array(options.map(\.engineJSON)), "text": .string(description)]
        }
    }
}

extension LocatorQuery {
    var engineJSON: JSON {
        var members: [String: JSON] = ["exact": .bool(exact), "first": .bool(first), "text": .string(description)]
        switch strategy {
        case .css(let value): members["strategy"] = "css"; members["value"] = .string(value)
        case .xpath(let value): members["strategy"] = "xpath"; members["value"] = .string(value)
        case .text(let value): members["strategy"] = "text"; members["value"] = .string(value)
        case .role(let role, let name):
            members["strategy"] = "role"
            members["value"] = .string(role)
            if let name { members["name"] = .string(name) }
            if !roleFilters.isEmpty {
                var filters: [String: JSON] = [:]
                if let level = roleFilters.level { filters["level"] = .integer(level) }
                for (key, value) in roleFilters.flags { filters[key] = .bool(value) }
                members["filters"] = .object(filters)
            }
        case .label(let value): members["strategy"] = "label"; members["value"] = .string(value)
        case .placeholder(let value): members["strategy"] = "placeholder"; members["value"] = .string(value)
        case .testId(let value): members["strategy"] = "testId"; members["value"] = .string(value)
        case .alt(let value): members["strategy"] = "alt"; members["value"] = .string(value)
        case .title(let value): members["strategy"] = "title"; members["value"] = .string(value)
        }
        if let within { members["within"] = within.engineJSON }
        if let has { members["has"] = has.engineJSON }
        if let frame { members["frame"] = frame.engineJSON }
        if let nth { members["nth"] = .integer(nth) }
        return .object(members)
    }
}
