/// What a single path segment looks like on its own, before its siblings are considered.
enum SegmentShape: Equatable {
    /// `api`, `v1`, `2.0`, a date: part of the route, never a parameter.
    case reserved
    case integer
    case uuid
    case hex
    case ulid
    /// A long opaque token: base64url-ish, mixed letters and digits.
    case token
    /// A percent-encoded absolute path (`%2Fdata%2Fdatasets%2Fx`).
    case encodedPath
    /// `name.ext`: a file name.
    case fileName
    /// Letters then digits (`job_12`, `item7`): an id only when siblings share the prefix.
    case numbered(prefix: String)
    /// Letters, `_` and `-` only: a route word (`list`, `listImages`, `mark_stopped`).
    case word
    case other

    init(_ raw: String) {
        let bytes = Array(raw.utf8)
        self = SegmentShape.classify(raw, bytes)
    }

    /// Shapes that are parameters by themselves.
    var isIdentifier: Bool {
        switch self {
        case .integer, .uuid, .hex, .ulid, .token, .encodedPath: return true
        default: return false
        }
    }

    private static func classify(_ raw: String, _ bytes: [UInt8]) -> SegmentShape {
        if bytes.isEmpty { return .other }
        let lower = raw.lowercased()
        if reservedWords.contains(lower) || isVersion(bytes) || isDate(bytes) { return .reserved }
        if bytes.allSatisfy(isDigit) { return .integer }
        if containsEncodedSlash(bytes) { return .encodedPath }
        if isUUIDBytes(bytes) { return .uuid }
        // `prefect.deployment.aa8304e0-9005-47b7-b216-c495dfb354b1`: an id with a kind in front.
        if bytes.count > 36, containsUUID(bytes) { return .token }
        if bytes.count >= 12, bytes.allSatisfy(isHexDigit), bytes.contains(where: isDigit) { return .hex }
        if bytes.count == 26, bytes.allSatisfy(isCrockford), bytes.contains(where: isDigit) { return .ulid }
        let letters = bytes.filter(isLetter).count
        let digits = bytes.filter(isDigit).count
        if bytes.count >= 16, bytes.allSatisfy(isTokenByte), letters > 0, digits > 0 { return .token }
        if isFileName(bytes) { return .fileName }
        if letters > 0, digits == 0, bytes.allSatisfy({ isLetter($0) || $0 == 0x5F || $0 == 0x2D }) { return .word }
        if let split = bytes.firstIndex(where: isDigit), split > 0,
            bytes[split...].allSatisfy(isDigit),
            bytes[..<split].allSatisfy({ isLetter($0) || $0 == 0x5F || $0 == 0x2D })
        {
            if bytes.count - split >= 6 { return .integer }
            return .numbered(prefix: String(decoding: bytes[..<split], as: UTF8.self))
        }
        return .other
    }

    private static let reservedWords: Set<String> = ["api", "rest", "graphql", "latest", "public", "internal"]

    private static func isVersion(_ b: [UInt8]) -> Bool {
        // v1, v2beta, 2.0, 1.2.3
        if b.count >= 2, b[0] == 0x76 || b[0] == 0x56, isDigit(b[1]) { return b.count <= 8 }
        guard b.contains(0x2E), b.count <= 8 else { return false }
        return b.allSatisfy { isDigit($0) || $0 == 0x2E } && isDigit(b[0]) && isDigit(b[b.count - 1])
    }

    private static func isDate(_ b: [UInt8]) -> Bool {
        guard b.count == 10 else { return false }
        return b[4] == 0x2D && b[7] == 0x2D && b.enumerated().allSatisfy { $0.offset == 4 || $0.offset == 7 || isDigit($0.element) }
    }

    private static func containsEncodedSlash(_ b: [UInt8]) -> Bool {
        guard b.count >= 3 else { return false }
        for i in 0..<(b.count - 2) where b[i] == 0x25 && b[i + 1] == 0x32 && (b[i + 2] == 0x46 || b[i + 2] == 0x66) { return true }
        return false
    }

    private static func isFileName(_ b: [UInt8]) -> Bool {
        guard let dot = b.lastIndex(of: 0x2E), dot > 0, dot < b.count - 1, b.count - dot - 1 <= 12 else { return false }
        return b[(dot + 1)...].allSatisfy { isLetter($0) || isDigit($0) } && b[(dot + 1)...].contains(where: isLetter)
    }
}

/// Whether a UUID stands somewhere inside the bytes.
func containsUUID(_ b: [UInt8]) -> Bool {
    guard b.count >= 36 else { return false }
    for start in 0...(b.count - 36) where b[start + 8] == 0x2D && b[start + 13] == 0x2D {
        if isUUIDBytes(Array(b[start..<(start + 36)])) { return true }
    }
    return false
}

func isUUIDBytes(_ b: [UInt8]) -> Bool {
    guard b.count == 36 else { return false }
    for (i, c) in b.enumerated() {
        if i == 8 || i == 13 || i == 18 || i == 23 {
            if c != 0x2D { return false }
        } else if !isHexDigit(c) {
            return false
        }
    }
    return true
}

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
@inline(__always) func isLetter(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
@inline(__always) func isHexDigit(_ c: UInt8) -> Bool { isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) }
@inline(__always) private func isCrockford(_ c: UInt8) -> Bool {
    isDigit(c) || (c >= 0x41 && c <= 0x5A && c != 0x49 && c != 0x4C && c != 0x4F && c != 0x55)
}
@inline(__always) private func isTokenByte(_ c: UInt8) -> Bool { isLetter(c) || isDigit(c) || c == 0x2D || c == 0x5F }

/// Percent-decoding of one path segment or query component; invalid escapes stay as written.
func percentDecoded(_ raw: String, plusIsSpace: Bool = false) -> String {
    guard raw.utf8.contains(where: { $0 == 0x25 || (plusIsSpace && $0 == 0x2B) }) else { return raw }
    var out: [UInt8] = []
    out.reserveCapacity(raw.utf8.count)
    let b = Array(raw.utf8)
    var i = 0
    while i < b.count {
        if b[i] == 0x25, i + 2 < b.count, let hi = hexValue(b[i + 1]), let lo = hexValue(b[i + 2]) {
            out.append(hi << 4 | lo)
            i += 3
        } else {
            out.append(plusIsSpace && b[i] == 0x2B ? 0x20 : b[i])
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}

private func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: return c - 0x30
    case 0x41...0x46: return c - 0x41 + 10
    case 0x61...0x66: return c - 0x61 + 10
    default: return nil
    }
}
