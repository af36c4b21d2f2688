import JSONCore

extension JSON {
    /// A string field a reply must carry (`targetId` of `Target.createTarget`, say): a reply without it
    /// is a protocol mismatch, reported as such instead of as an empty string.
    public func requiredString(_ key: String, of method: String) throws -> String {
        guard let value = self[key]?.stringValue else {
            throw DevToolsError.invalidMessage("reply to \(method) has no string \(key)")
        }
        return value
    }
}
