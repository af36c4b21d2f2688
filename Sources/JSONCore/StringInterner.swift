#if canImport(Glibc)
import Glibc
#endif

/// Remembers recently decoded strings by their bytes in the document, so a string that repeats (a
/// header, a MIME type, the body of a poll) is built once and shared afterwards: no allocation, no
/// copy, and equal strings that compare by identity. A fixed table of slots, each holding the last
/// string whose bytes hashed to it, so memory stays bounded whatever the document holds.
///
/// One per thread: it is not safe to share.
public final class StringInterner {
    private struct Slot {
        /// The string as the document wrote it, escapes included.
        var raw: [UInt8]
        var string: String
    }

    private var slots: [Slot?]
    private let mask: Int
    /// Longer strings are rarely repeated exactly and would hold too much memory.
    public let maximumLength: Int

    /// `slotCount` is rounded up to a power of two.
    public init(slotCount: Int = 4096, maximumLength: Int = 2048) {
        var count = 1
        while count < slotCount { count <<= 1 }
        slots = Array(repeating: nil, count: count)
        mask = count - 1
        self.maximumLength = maximumLength
    }

    /// The string whose document bytes are `raw`: the remembered one, or `make()`'s, remembered.
    func string(raw: UnsafeBufferPointer<UInt8>, make: () throws(JSONParseError) -> String) throws(JSONParseError) -> String {
        guard raw.count <= maximumLength, let base = raw.baseAddress else { return try make() }
        let index = Self.hash(base, raw.count) & mask
        if let slot = slots[index], slot.raw.count == raw.count,
            slot.raw.withUnsafeBufferPointer({ memcmp($0.baseAddress!, base, raw.count) == 0 })
        {
            return slot.string
        }
        let string = try make()
        slots[index] = Slot(raw: Array(raw), string: string)
        return string
    }

    /// Eight bytes at a time: the table only needs its slots spread, not a hash that resists attack
    /// (a collision costs a rebuild, never a wrong string: the bytes are compared).
    private static func hash(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(count)
        var position = 0
        let raw = UnsafeRawPointer(base)
        while position + 8 <= count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: position, as: UInt64.self)) &* 0x0000_0100_0000_01b3
            hash ^= hash >> 29
            position += 8
        }
        while position < count {
            hash = (hash ^ UInt64(base[position])) &* 0x0000_0100_0000_01b3
            position += 1
        }
        hash ^= hash >> 32
        return Int(truncatingIfNeeded: hash)
    }
}
