/// Query strings a client adds to defeat caches or replays: `?1796163557995` (a bare timestamp as
/// the key), `_=<ms>`, `t=`, `cb=`, `v=<hash>`, random nonces. They vary per request with no
/// structure, so they are noise to leave out, not parameters to describe.
enum QueryNoise {
    /// A bare key that is a clock reading or an opaque value (`?1796163557995`, `?mx5ef1p6`): a
    /// cache-buster, never a parameter. A key read from the clock any time in the day before the
    /// request counts (MooTools counts up from the page's load time).
    static func isNoiseKey(_ name: String, value: String, at time: Double) -> Bool {
        if isValueShapedName(name) { return true }
        guard value.isEmpty, let reading = clockReading(name) else { return false }
        return reading - time <= 60 && time - reading <= 86_400
    }

    /// Seconds since 1970 when the text is a clock reading in seconds or milliseconds (decimal), or
    /// `Date.now().toString(36)` (8 base-36 digits: MooTools' `noCache`, many hand-made busters).
    static func clockReading(_ text: String) -> Double? {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= 16 else { return nil }
        var reading: Double?
        if bytes.allSatisfy({ isDigit($0) || $0 == 0x2E }), let number = Double(text) {
            reading = number > 1e11 ? number / 1000 : number
        } else if bytes.count == 8, bytes.allSatisfy({ isDigit($0) || ($0 >= 0x61 && $0 <= 0x7A) }), bytes.contains(where: isDigit),
            let number = Int(text, radix: 36)
        {
            reading = Double(number) / 1000
        }
        // Between 2001 and 2100: anything else is some other number.
        guard let reading, reading > 1e9, reading < 4.1e9 else { return nil }
        return reading
    }

    /// A key that is itself a value (`?1796163557995`, `?a3f9c1e0b2d4`): never a parameter name.
    static func isValueShapedName(_ name: String) -> Bool {
        let shape = SegmentShape(name)
        switch shape {
        case .integer: return name.utf8.count >= 6
        case .uuid, .hex, .ulid, .token: return true
        default: return false
        }
    }

    /// Names clients use for cache-busters and nonces.
    static let bustingNames: Set<String> = [
        "_", "_t", "t", "ts", "_ts", "v", "_v", "cb", "_cb", "cachebust", "cachebuster", "cache_buster", "cache-buster", "bust",
        "nocache", "no_cache", "no-cache", "_dc", "rnd", "_rnd", "rand", "random", "nonce", "_nonce",
    ]

    /// What one value says about being noise.
    enum Sign {
        /// A clock reading taken as the request left: seconds or milliseconds within two seconds of it.
        case now
        /// Opaque: a long mix of letters and digits, or a hex digest.
        case opaque
        case none
    }

    static func sign(of value: String, at time: Double) -> Sign {
        if let reading = clockReading(value), reading - time <= 2, time - reading <= 2 { return .now }
        let bytes = value.utf8
        switch SegmentShape(value) {
        case .hex, .token, .ulid: return .opaque
        case .other where bytes.count >= 8 && bytes.contains(where: isDigit) && bytes.contains(where: isLetter): return .opaque
        default: return .none
        }
    }

    /// Evidence about one query name across an endpoint's requests.
    struct Evidence {
        var samples = 0
        var nowValues = 0
        var opaqueValues = 0
        var distinct: Set<String> = []
        var distinctOverflow = false

        /// Values that are a script's unset variable (`undefined`, `null`, `NaN`): nothing was sent.
        var unsetValues = 0

        mutating func add(_ value: String, at time: Double) {
            samples += 1
            if value == "undefined" || value == "null" || value == "NaN" { unsetValues += 1 }
            // Once one value was neither a clock reading nor opaque, no later one can make it noise.
            guard nowValues == samples - 1 || opaqueValues == samples - 1 else { return }
            switch QueryNoise.sign(of: value, at: time) {
            case .now: nowValues += 1
            case .opaque: opaqueValues += 1
            case .none: break
            }
            if distinct.count < 64 { distinct.insert(value) } else if !distinct.contains(value) { distinctOverflow = true }
        }

        /// Every value differs from every other (or there is a single one).
        var allDistinct: Bool { distinctOverflow || distinct.count == samples }
    }

    /// Whether the parameter is a cache-buster or nonce. A clock reading taken at send time that
    /// changes every request is one whatever its name; under a cache-busting name an opaque value is
    /// one too (`v=<hash>` stays the same within a run and changes with every release). An opaque
    /// value under another name may be an id a response handed out, so it stays.
    static func isNoise(name: String, _ evidence: Evidence) -> Bool {
        guard evidence.samples > 0 else { return false }
        // Only ever `?contentProviderId=undefined`: a client bug, not something the server reads.
        if evidence.unsetValues == evidence.samples { return true }
        let named = bustingNames.contains(name.lowercased())
        if evidence.nowValues == evidence.samples, evidence.allDistinct || named { return true }
        if named, evidence.opaqueValues == evidence.samples { return true }
        return false
    }
}
