import JSONCore

/// Identifier values handed out by responses, so a later request that uses one (in its path, query
/// or body) can be traced back to the response field it came from.
struct LinkIndex {
    struct Source {
        /// Index of the raw (method, path) group of the response.
        var group: Int
        /// `$.jobs[].id`
        var field: String
        /// The last key on the way: `id`.
        var key: String
        var time: Double
    }

    private(set) var sources: [String: Source] = [:]
    private let limit = 200_000

    mutating func index(_ json: JSON, group: Int, time: Double) {
        walk(json, path: "$", key: nil, group: group, time: time, depth: 0)
    }

    private mutating func walk(_ json: JSON, path: String, key: String?, group: Int, time: Double, depth: Int) {
        guard depth < 8, sources.count < limit else { return }
        switch json {
        case .object(let members):
            // In key order: when two fields carry the same value, the same one is named every run.
            for name in members.keys.sorted() { walk(members[name]!, path: path + "." + name, key: name, group: group, time: time, depth: depth + 1) }
        case .array(let items):
            for item in items.prefix(50) { walk(item, path: path + "[]", key: key, group: group, time: time, depth: depth + 1) }
        case .string(let value):
            guard !value.isEmpty, value.utf8.count <= 200 else { return }
            // An absolute file path names a file whatever holds it (`{"images": ["/data/x/a.png"]}`).
            if Self.isFilePath(value) {
                record(value, Source(group: group, field: path, key: key ?? "path", time: time))
                return
            }
            guard let key else { return }
            if Self.isIdentifierKey(key) || SegmentShape(value).isIdentifier && SegmentShape(value) != .integer {
                record(value, Source(group: group, field: path, key: key, time: time))
            }
        case .integer(let value):
            guard let key, Self.isIdentifierKey(key) else { return }
            record(String(value), Source(group: group, field: path, key: key, time: time))
        default:
            return
        }
    }

    private mutating func record(_ value: String, _ source: Source) {
        if let existing = sources[value], existing.time <= source.time { return }
        sources[value] = source
    }

    /// `/data/datasets/x/cat_1.png`: a slash-rooted path of two segments or more that ends in a file
    /// name, no spaces, no query.
    static func isFilePath(_ value: String) -> Bool {
        let bytes = value.utf8
        guard bytes.first == 0x2F, bytes.count >= 4, !bytes.contains(0x20), !bytes.contains(0x3F), !bytes.starts(with: [0x2F, 0x2F]),
            bytes.dropFirst().contains(0x2F), let last = value.split(separator: "/").last
        else { return false }
        return SegmentShape(String(last)) == .fileName
    }

    /// The earliest response that handed out `value` before `time`.
    func source(of value: String, before time: Double) -> Source? {
        guard let source = sources[value], source.time < time else { return nil }
        return source
    }

    /// `id`, `job_id`, `jobId`, `gpu_ids`, `name`, `datasetName`, `file_path`: fields that carry references.
    static func isIdentifierKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        if ["id", "ids", "uuid", "name", "key", "slug", "path", "ref"].contains(lower) { return true }
        for suffix in ["_id", "_ids", "-id", "_uuid", "_ref", "_key", "_name", "_path", "_hash"] where lower.hasSuffix(suffix) { return true }
        for suffix in ["Id", "ID", "Ids", "IDs", "Uuid", "Ref", "Key", "Name", "Path", "Hash"] where key.hasSuffix(suffix) && key.count > suffix.count { return true }
        return false
    }
}
