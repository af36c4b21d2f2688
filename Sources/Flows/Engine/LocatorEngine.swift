import Browser
import DevTools
import Durations
import Foundation
import JSONCore

/// A JavaScript failure inside the engine or the page, with its message.
struct EngineError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Calls into the locator engine, which lives in an isolated world of a frame (the page's main frame
/// unless told otherwise). A navigation destroys the world; `FrameContexts` says so from the
/// session's events and hands out the new document's world, which has the engine from its start
/// (registered for new documents; installed by hand only in the document of the first call).
actor LocatorEngine {
    let contexts: FrameContexts
    private let testIdAttribute: String
    /// The context whose engine last got our options.
    private var configuredIn: Int?
    private var registeredForNewDocuments = false
    static let worldName = "discover-locators"
    /// How long a call waits for a document to evaluate in while the page navigates.
    static let documentWait: Duration = .seconds(5)

    /// nil: the session's main frame.
    private let frameId: String?

    nonisolated var session: CDPSession { contexts.session }

    init(contexts: FrameContexts, testIdAttribute: String, frameId: String? = nil) {
        self.contexts = contexts
        self.testIdAttribute = testIdAttribute
        self.frameId = frameId
    }

    /// `__discover.<function>(<arguments as JSON>)`, awaited, returned by value.
    func call(_ function: EngineFunction, _ arguments: JSON...) async throws -> JSON {
        let reply = try await evaluate(byValue: true) { self.expression(function, arguments, configured: $0) }
        return reply["result"]?["value"] ?? .null
    }

    /// The remote object id of the element a call returns, for commands that take a handle.
    func callForObject(_ function: EngineFunction, _ arguments: JSON...) async throws -> String {
        let reply = try await evaluate(byValue: false) { self.expression(function, arguments, configured: $0) }
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
            throw EngineError(message: Self.firstLine(Self.message(of: details)))
        }
        return reply["result"]?["value"] ?? .null
    }

    func release(_ objectId: String) async {
        _ = try? await session.send("Runtime.releaseObject", ["objectId": .string(objectId)])
    }

    /// `configured`: the context's engine has our options already; otherwise the call sets them first,
    /// in the same round trip.
    private func expression(_ function: EngineFunction, _ arguments: [JSON], configured: Bool) -> String {
        let configure = configured ? "" : "__discover.\(EngineFunction.configure.rawValue)(\(configuration.serialized())), "
        return "globalThis.__discover ? (\(configure)__discover.\(function.rawValue)(\(arguments.map { $0.serialized() }.joined(separator: ", ")))) : '__discover_missing__'"
    }

    private var configuration: JSON { .object(["testIdAttribute": .string(testIdAttribute)]) }

    /// Evaluates in the world of the frame's current document. A call that fails in a context that died
    /// meanwhile (the page navigated while it was in flight) is made again in the next document's
    /// world; a failure in a live context is the call's own.
    private func evaluate(byValue: Bool, _ expression: (_ configured: Bool) -> String) async throws -> JSON {
        let deadline = Deadline(after: Self.documentWait)
        if !registeredForNewDocuments {
            // New documents get the engine in their world as they start; the current one gets it below.
            try await contexts.addScriptToNewDocuments(world: Self.worldName, source: LocatorEngineScript.source)
            registeredForNewDocuments = true
        }
        while true {
            let context = try await contexts.isolatedContext(frame: frameId, world: Self.worldName, timeout: deadline.remaining)
            let reply: JSON
            do {
                reply = try await session.send(
                    "Runtime.evaluate",
                    ["expression": .string(expression(configuredIn == context)), "contextId": .integer(context), "returnByValue": .bool(byValue),
                     "awaitPromise": true])
            } catch let error as CDPError {
                guard await diedWithItsDocument(context, until: deadline) else { throw error }
                try Self.keepTrying(until: deadline, after: error)
                continue
            }
            if let details = reply["exceptionDetails"] {
                let message = Self.message(of: details)
                guard await diedWithItsDocument(context, until: deadline) else { throw EngineError(message: Self.firstLine(message)) }
                try Self.keepTrying(until: deadline, after: EngineError(message: message))
                continue
            }
            if reply["result"]?["value"]?.stringValue == "__discover_missing__" {
                // A world made for a document that existed before the script was registered.
                try Self.keepTrying(until: deadline, after: EngineError(message: "the locator engine is missing from its world"))
                do {
                    try await install(in: context)
                } catch let error as CDPError {
                    guard await diedWithItsDocument(context, until: deadline) else { throw error }
                }
                continue
            }
            configuredIn = context
            return reply
        }
    }

    /// Whether a call failed because its context died with its document. The tracker can hear of the
    /// death after the failure: a navigation to a new document makes the browser answer the commands
    /// still in flight at once, before the renderer reports its contexts. So a context it still lists
    /// is probed; one that cannot evaluate `0` is waited for until the tracker reports it gone.
    private func diedWithItsDocument(_ context: Int, until deadline: Deadline) async -> Bool {
        if !contexts.isAlive(context) { return true }
        if let probe = try? await session.send("Runtime.evaluate", ["expression": "0", "contextId": .integer(context), "returnByValue": true]),
            probe["exceptionDetails"] == nil
        {
            return false
        }
        return (try? await contexts.waitUntilGone(context, timeout: deadline.remaining)) != nil
    }

    private static func keepTrying(until deadline: Deadline, after error: any Error) throws {
        if deadline.hasPassed { throw EngineError(message: "the page kept navigating away (\(error))") }
    }

    private static func message(of details: JSON) -> String {
        details["exception"]?["description"]?.stringValue ?? details["text"]?.stringValue ?? "exception"
    }

    static func firstLine(_ message: String) -> String {
        // Keep the message, drop the JavaScript stack lines.
        message.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("at ") }.joined(separator: "\n")
            .replacingOccurrences(of: "Error: ", with: "", options: .anchored)
    }

    /// An exception while installing is reported like a failed command, so the caller asks whether the
    /// context died on the way.
    private func install(in context: Int) async throws {
        let reply = try await session.send(
            "Runtime.evaluate", ["expression": .string(LocatorEngineScript.source), "contextId": .integer(context), "returnByValue": true])
        if let details = reply["exceptionDetails"] {
            throw CDPError(method: "Runtime.evaluate", code: -32000, message: "installing the locator engine failed: \(Self.message(of: details))", data: nil)
        }
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
