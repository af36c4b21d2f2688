import Recording

/// Byte-level helpers for the hot path: Foundation's `String.contains(String)` and `lowercased()`
/// go through NSString on Linux and dominated the recorder's profile.
enum ASCII {
    static func contains(_ text: String, _ byte: UInt8) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.contains(byte) } ?? text.utf8.contains(byte)
    }

    static func lowercased<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    /// `needle` must be lower case.
    static func containsIgnoringCase(_ text: String, _ needle: String) -> Bool {
        ByteSearch.find(Array(needle.utf8), in: lowercased(text.utf8), from: 0) != nil
    }

    /// `lowercaseLiteral` must be lower case.
    static func equalsIgnoringCase(_ text: String, _ lowercaseLiteral: String) -> Bool {
        text.utf8.count == lowercaseLiteral.utf8.count
            && zip(text.utf8, lowercaseLiteral.utf8).allSatisfy { ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) == $1 }
    }
}
