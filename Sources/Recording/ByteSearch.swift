import Glibc

/// Substring search over bytes: `memchr` for the first byte, then a compare. glibc's `memmem` is not
/// visible through the Glibc module.
public enum ByteSearch {
    public static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        haystack.withUnsafeBufferPointer { find(needle, in: $0, from: start) }
    }

    public static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard !needle.isEmpty, start >= 0, hay.count - start >= needle.count else { return nil }
        return needle.withUnsafeBufferPointer { pattern -> Int? in
            let first = Int32(pattern[0])
            let lastStart = hay.count - pattern.count
            var position = start
            while position <= lastStart {
                guard let hit = memchr(hay.baseAddress! + position, first, lastStart - position + 1) else { return nil }
                let index = hay.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(hay.baseAddress! + index, pattern.baseAddress!, pattern.count) == 0 { return index }
                position = index + 1
            }
            return nil
        }
    }
}
