import Foundation

/// The page is built as one string; every piece of data goes through `escape`, so a body, a path or a
/// step name can never become markup, and nothing in the page can ask for a URL it was not given.
struct HTMLText {
    /// Bytes rather than a String: appending and escaping then stay a copy of bytes, and drawing the
    /// page costs a fraction of the rest of `generate`.
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(256 << 10) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Markup written by this module.
    mutating func raw(_ markup: String) { bytes.append(contentsOf: markup.utf8) }

    /// Data: escaped for text and for double-quoted attribute values alike.
    mutating func add(_ value: String) { HTMLText.escape(value, into: &bytes, quotes: true) }

    /// Data inside an element, never inside an attribute: quotes stay as they are there, which keeps a
    /// JSON example smaller.
    mutating func addText(_ value: String) { HTMLText.escape(value, into: &bytes, quotes: false) }

    static func escape(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        escape(value, into: &out, quotes: true)
        return String(decoding: out, as: UTF8.self)
    }

    private static let amp = Array("&amp;".utf8), lt = Array("&lt;".utf8), gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8), apos = Array("&#39;".utf8)

    /// Runs without a special character are copied whole.
    static func escape(_ value: String, into out: inout [UInt8], quotes: Bool) {
        var value = value
        value.withUTF8 { buffer in
            var runStart = 0
            for index in 0..<buffer.count {
                let replacement: [UInt8]
                switch buffer[index] {
                case 0x26: replacement = amp
                case 0x3C: replacement = lt
                case 0x3E: replacement = gt
                case 0x22 where quotes: replacement = quot
                case 0x27 where quotes: replacement = apos
                default: continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<index]))
                out.append(contentsOf: replacement)
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<buffer.count]))
        }
    }

    /// What the filter compares against (its script lowercases the query the same way): ASCII only,
    /// since `lowercased()` walks Unicode tables and the catalog's text is mostly paths and names.
    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// A fraction of a span as a CSS percentage, two decimals: the same input gives the same bytes.
    /// Formatted by hand: `String(format:)` is slow enough on Linux to show in `generate`'s time.
    static func percent(_ value: Double) -> String {
        fixed(min(max(value, 0), 100), decimals: 2) + "%"
    }

    /// `120 ms`, `4.2 s`, `<1 ms`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 0.0005 { return "<1 ms" }
        return seconds < 1 ? fixed(seconds * 1000, decimals: 0) + " ms" : fixed(seconds, decimals: 1) + " s"
    }

    /// `value` rounded to 0, 1 or 2 decimals (non-negative values; the page draws no negative ones).
    /// A time from a hostile capture or run.json (1e308, a span that overflowed to infinity) must not
    /// trap converting to Int: out-of-range values are clamped, and NaN reads 0.
    static func fixed(_ value: Double, decimals: Int) -> String {
        let scale = decimals == 0 ? 1.0 : decimals == 1 ? 10.0 : 100.0
        let bounded = value.isNaN ? 0 : min(max(value, 0), 1e12)
        let scaled = Int((bounded * scale).rounded())
        guard decimals > 0 else { return String(scaled) }
        let whole = scaled / Int(scale)
        let fraction = String(scaled % Int(scale))
        return "\(whole)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// An id attribute from any text: ASCII letters and digits kept, the rest `-`.
    static func anchor(_ prefix: String, _ text: String) -> String {
        var bytes = Array(prefix.utf8)
        for byte in text.utf8 {
            let keep = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            bytes.append(keep ? byte : 0x2D)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
