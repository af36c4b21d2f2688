import Foundation
import JSONCore

/// Finds a secret's value in text in every form it takes on the way to a file: as written, JSON-escaped,
/// percent-encoded in any way a browser or page may choose (all, some or none of its characters, either
/// hex case, `+` for a space), and inside base64 or base64url, alone or with other text around it
/// (`user:secret` in a Basic header, a token wrapping it). Percent-encoding is matched by decoding, not
/// from a list of encodings. The one matcher behind capture redaction and runner messages alike.
public struct SecretMatcher: Sendable {
    public struct Pattern: Sendable {
        public let bytes: [UInt8]
        public let name: String
    }

    /// Values shorter than this are not searched for: replacing every "ab" would destroy the capture.
    public static let minimumLength = 3
    /// Exact substrings, longest first: the value, its JSON escapes, and its base64 cores.
    public let patterns: [Pattern]
    /// Raw values, matched byte by byte or by `%XX`.
    let decodedValues: [Pattern]
    /// Some value holds a `+`, which a server may hand back as a space.
    public let hasPlus: Bool

    public init(secrets: [(name: String, value: String)]) {
        var patterns: [Pattern] = []
        var decoded: [Pattern] = []
        var seen = Set<[UInt8]>()
        for secret in secrets where secret.value.utf8.count >= Self.minimumLength {
            decoded.append(Pattern(bytes: Array(secret.value.utf8), name: secret.name))
            for form in Self.exactForms(of: secret.value) where seen.insert(form).inserted {
                patterns.append(Pattern(bytes: form, name: secret.name))
            }
        }
        self.patterns = patterns.sorted { $0.bytes.count > $1.bytes.count }
        decodedValues = decoded.sorted { $0.bytes.count > $1.bytes.count }
        hasPlus = decoded.contains { $0.bytes.contains(UInt8(ascii: "+")) }
    }

    public var isEmpty: Bool { patterns.isEmpty }

    public static func exactForms(of value: String) -> [[UInt8]] {
        var forms: [[UInt8]] = [Array(value.utf8)]
        var json = ""
        JSON.writeString(value, into: &json)
        let escaped = String(json.dropFirst().dropLast())
        forms.append(Array(escaped.utf8))
        forms.append(Array(escaped.replacingOccurrences(of: "/", with: "\\/").utf8))
        for core in base64Cores(of: Array(value.utf8)) {
            forms.append(core)
            forms.append(core.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0 })
        }
        return forms
    }

    /// For each of the three offsets a value can start at in a base64 stream, the characters that only
    /// the value's own bits decide: they appear in the encoding of any text holding the value there.
    static func base64Cores(of value: [UInt8]) -> [[UInt8]] {
        var cores: [[UInt8]] = []
        for offset in 0..<3 {
            let padded = [UInt8](repeating: 0, count: offset) + value
            let encoded = Array(Data(padded).base64EncodedString().utf8)
            let firstBit = 8 * offset
            let endBit = 8 * (offset + value.count)
            let first = (firstBit + 5) / 6
            let end = endBit / 6
            // Six characters or more: shorter runs would match unrelated base64 by chance.
            if end - first >= 6, end <= encoded.count { cores.append(Array(encoded[first..<end])) }
        }
        return cores
    }

    // MARK: Matching

    /// Replaces every occurrence by `marker(name)`; true when something was replaced.
    @discardableResult
    public func replace(in bytes: inout [UInt8], marker: (String) -> [UInt8]) -> Bool {
        guard !patterns.isEmpty else { return false }
        var changed = false
        for pattern in patterns where ByteSearch.find(pattern.bytes, in: bytes, from: 0) != nil {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var cursor = 0
            let replacement = marker(pattern.name)
            while let found = ByteSearch.find(pattern.bytes, in: bytes, from: cursor) {
                out.append(contentsOf: bytes[cursor..<found])
                out.append(contentsOf: replacement)
                cursor = found + pattern.bytes.count
            }
            out.append(contentsOf: bytes[cursor...])
            bytes = out
            changed = true
        }
        return replaceDecoded(in: &bytes, marker: marker) || changed
    }

    /// Only the forms no exact pattern holds (escapes, a form-decoded `+`), for callers that already
    /// replaced the exact patterns themselves.
    @discardableResult
    public func replaceDecoded(in bytes: inout [UInt8], marker: (String) -> [UInt8]) -> Bool {
        guard Self.mayHideSecrets(bytes, hasPlus: hasPlus) else { return false }
        var changed = false
        for value in decodedValues where replaceDecoded(value, in: &bytes, marker: marker(value.name)) { changed = true }
        return changed
    }

    /// Escapes (`%XX`, `+`, a JSON `\\`), or a space where a value has a `+`: only then can a value be
    /// in the text without one of its exact forms.
    public static func mayHideSecrets<Bytes: Sequence<UInt8>>(_ bytes: Bytes, hasPlus: Bool) -> Bool {
        bytes.contains { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") || $0 == backslash || (hasPlus && $0 == 0x20) }
    }

    public func replace(in text: String, marker: (String) -> String) -> String {
        guard !patterns.isEmpty else { return text }
        var bytes = Array(text.utf8)
        guard replace(in: &bytes, marker: { Array(marker($0).utf8) }) else { return text }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The name of the first secret the text holds in any form.
    public func firstSecret(in text: String) -> String? {
        let bytes = Array(text.utf8)
        if let exact = patterns.first(where: { ByteSearch.find($0.bytes, in: bytes, from: 0) != nil }) { return exact.name }
        return decodedValues.first { value in Self.decodedMatch(value.bytes, in: bytes, at: 0, scanning: true) != nil }?.name
    }

    private func replaceDecoded(_ value: Pattern, in bytes: inout [UInt8], marker: [UInt8]) -> Bool {
        var out: [UInt8] = []
        var cursor = 0
        var start = 0
        var changed = false
        while start < bytes.count {
            if let length = Self.decodedMatch(value.bytes, in: bytes, at: start, scanning: false) {
                out.append(contentsOf: bytes[cursor..<start])
                out.append(contentsOf: marker)
                start += length
                cursor = start
                changed = true
            } else {
                start += 1
            }
        }
        guard changed else { return false }
        out.append(contentsOf: bytes[cursor...])
        bytes = out
        return true
    }

    /// How many bytes at `start` spell `value` with any of its bytes as `%XX` (a space as `+`, a `+` as
    /// the space a form decoder makes of it); with
    /// `scanning`, the first such place at or after `start`, returned as non-nil.
    static func decodedMatch(_ value: [UInt8], in bytes: [UInt8], at start: Int, scanning: Bool) -> Int? {
        var position = start
        repeat {
            var index = position
            var matched = 0
            while matched < value.count, index < bytes.count {
                let wanted = value[matched]
                let byte = bytes[index]
                if byte == wanted {
                    index += 1
                } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]),
                    high << 4 | low == wanted
                {
                    index += 3
                } else if byte == UInt8(ascii: "+"), wanted == 0x20 {
                    index += 1
                } else if byte == 0x20, wanted == UInt8(ascii: "+") {
                    // A `+` sent unencoded in a query comes back form-decoded, as a space.
                    index += 1
                } else if byte == backslash, let length = escapedLength(of: wanted, in: bytes, at: index) {
                    index += length
                } else {
                    break
                }
                matched += 1
            }
            if matched == value.count { return index - position }
            position += 1
        } while scanning && position < bytes.count
        return nil
    }

    private static let backslash = UInt8(ascii: "\\")

    /// `\"`, `\\\"` (escaped twice), `\/`, `\\`: a JSON escape of `wanted` at `index`, however many
    /// times the text was JSON-encoded; its length.
    private static func escapedLength(of wanted: UInt8, in bytes: [UInt8], at index: Int) -> Int? {
        var run = 0
        while index + run < bytes.count, bytes[index + run] == backslash { run += 1 }
        if wanted == backslash { return run >= 2 && run & (run - 1) == 0 ? run : nil }
        guard wanted == UInt8(ascii: "\"") || wanted == UInt8(ascii: "/"), index + run < bytes.count, bytes[index + run] == wanted else { return nil }
        return run + 1
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
