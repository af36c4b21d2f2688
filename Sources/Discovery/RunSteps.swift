import Foundation
import JSONCore

/// `run.json`: what the runner did, step by step, with wall-clock times on the capture's clock (epoch
/// seconds). The capture says which step caused each exchange; only the runner knows when a step
/// started and ended, and why it failed. `report.html` draws its timeline from both, so `generate`
/// on a run folder draws the same page as the run did.
public struct RunSteps: Sendable, Equatable {
    public static let fileName = "run.json"
    public static let formatVersion = 1

    public struct Step: Sendable, Equatable {
        /// The file the step is written in (an included file for its steps).
        public var file: String
        /// 1-based within `file`.
        public var index: Int
        public var kind: String
        public var description: String
        /// `passed`, `failed` or `skipped` (its `when` was false: no times; an optional step that missed: times).
        public var status: String
        public var startedAt: Double?
        /// When its element was ready and its input went out; before it the step waited. Nil for a step
        /// that only waits or navigates.
        public var actedAt: Double?
        public var endedAt: Double?
        /// The failure's message, for the failed step.
        public var message: String?
        /// Relative to the run folder: `failures/<flow>-step<N>.png`, or `steps/...` (`--screenshots`).
        public var screenshot: String?

        public init(
            file: String, index: Int, kind: String, description: String, status: String, startedAt: Double? = nil, endedAt: Double? = nil,
            message: String? = nil, screenshot: String? = nil
        ) {
            self.file = file
            self.index = index
            self.kind = kind
            self.description = description
            self.status = status
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.message = message
            self.screenshot = screenshot
        }

        public var executed: Bool { startedAt != nil }
    }

    public struct Flow: Sendable, Equatable {
        public var name: String
        public var file: String
        public var status: String
        public var skipReason: String?
        /// In the order the runner finished them (an `include` after the steps it included).
        public var steps: [Step]
        public init(name: String, file: String, status: String, skipReason: String? = nil, steps: [Step] = []) {
            self.name = name
            self.file = file
            self.status = status
            self.skipReason = skipReason
            self.steps = steps
        }
    }

    public var flows: [Flow]
    public init(flows: [Flow]) { self.flows = flows }

    public var json: JSON {
        .object([
            "formatVersion": .integer(Self.formatVersion),
            "flows": .array(flows.map { flow in
                var object: [String: JSON] = [
                    "name": .string(flow.name), "file": .string(flow.file), "status": .string(flow.status),
                    "steps": .array(flow.steps.map(\.json)),
                ]
                object["skipReason"] = flow.skipReason.map(JSON.string)
                return .object(object)
            }),
        ])
    }

    public init(json: JSON) {
        flows = (json["flows"]?.arrayValue ?? []).map { flow in
            Flow(
                name: flow["name"]?.stringValue ?? "", file: flow["file"]?.stringValue ?? "", status: flow["status"]?.stringValue ?? "",
                skipReason: flow["skipReason"]?.stringValue, steps: (flow["steps"]?.arrayValue ?? []).map(Step.init(json:)))
        }
    }

    /// `run.json` in `folder`, if there is a readable one: a page without a timeline is still a page.
    public static func load(in folder: URL) -> RunSteps? {
        let url = folder.appendingPathComponent(fileName)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let data = try? Data(contentsOf: url), let json = try? JSON.parse(bytes: [UInt8](data)), json["flows"] != nil
        else { return nil }
        return RunSteps(json: json)
    }
}

extension RunSteps.Step {
    var json: JSON {
        var object: [String: JSON] = [
            "file": .string(file), "index": .integer(index), "kind": .string(kind), "description": .string(description), "status": .string(status),
        ]
        object["startedAt"] = startedAt.map(JSON.number)
        object["endedAt"] = endedAt.map(JSON.number)
        object["actedAt"] = actedAt.map(JSON.number)
        object["message"] = message.map(JSON.string)
        object["screenshot"] = screenshot.map(JSON.string)
        return .object(object)
    }

    init(json: JSON) {
        self.init(
            file: json["file"]?.stringValue ?? "", index: json["index"]?.intValue ?? 0, kind: json["kind"]?.stringValue ?? "",
            description: json["description"]?.stringValue ?? "", status: json["status"]?.stringValue ?? "",
            startedAt: json["startedAt"]?.doubleValue, endedAt: json["endedAt"]?.doubleValue, message: json["message"]?.stringValue,
            screenshot: json["screenshot"]?.stringValue)
        actedAt = json["actedAt"]?.doubleValue
    }
}
