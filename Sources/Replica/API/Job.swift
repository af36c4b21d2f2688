import Foundation
import JSONCore

/// The Prisma `Job` row, serialized the way Next.js sends it (dates as ISO strings with milliseconds).
struct Job: Sendable {
    var id: String
    var name: String
    var gpuIDs: String
    var jobConfig: String
    var createdAt: Date
    var updatedAt: Date
    var status = "stopped"
    var stop = false
    var returnToQueue = false
    var step = 0
    var totalSteps: Int?
    var info = "" {
        didSet { if info != oldValue { infoHistory.append(info) } }
    }
    /// Every `info` the job has had, oldest first, a repeat of the current one not counted. Not part of
    /// the row: it lets a test see each phase without having to poll fast enough to catch it.
    private(set) var infoHistory: [String] = []
    var speedString = ""
    var queuePosition = 0
    var pid: Int?
    var jobType = "train"
    var jobRef: String?
    var saveNow = false
    var sampleNow = false

    /// The row as the version's schema has it (`ui/prisma/schema.prisma`).
    func json(_ version: ReplicaVersion) -> JSON {
        let row: JSON = [
            "id": .string(id), "name": .string(name), "gpu_ids": .string(gpuIDs), "job_config": .string(jobConfig),
            "created_at": .string(ISOTime.format(createdAt)), "updated_at": .string(ISOTime.format(updatedAt)),
            "status": .string(status), "stop": .bool(stop), "return_to_queue": .bool(returnToQueue),
            "step": .integer(step), "total_steps": totalSteps.map { .integer($0) } ?? .null, "info": .string(info),
            "speed_string": .string(speedString), "queue_position": .integer(queuePosition),
            "pid": pid.map { .integer($0) } ?? .null, "job_type": .string(jobType),
            "job_ref": jobRef.map { .string($0) } ?? .null, "save_now": .bool(saveNow), "sample_now": .bool(sampleNow),
        ]
        guard version.isOctober2025, case .object(var fields) = row else { return row }
        for column in Self.columnsAddedSinceOctober2025 { fields[column] = nil }
        return .object(fields)
    }

    /// Not in c9843692's schema: the replica keeps them (the trainer and 2026-08 use them) but does not send them.
    static let columnsAddedSinceOctober2025 = ["total_steps", "pid", "job_type", "job_ref", "save_now", "sample_now"]

    /// `process[0]` of the posted job config, where steps, save and sample settings live.
    var process: JSON? {
        (try? JSON.parse(jobConfig))?["config"]?["process"]?[0]
    }

    static let activeStatuses: Set<String> = ["running", "queued", "stopping"]
}

struct QueueRow: Sendable {
    var id: Int
    var gpuIDs: String
    var isRunning: Bool

    var json: JSON { ["id": .integer(id), "gpu_ids": .string(gpuIDs), "is_running": .bool(isRunning)] }
}

struct LossPoint: Sendable {
    var step: Int
    var wallTime: Double
    var value: Double
}

enum ISOTime {
    /// `2026-08-21T10:00:00.000Z`, as `Date.toJSON()` writes it.
    static func format(_ date: Date) -> String {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds % 1000), 3))Z"
    }
}
