/// The ids of the exchanges a reader has handed out, so a later record of one is known as an update.
/// A capture holds one id per exchange, a million in a long one, each looked up once. The recorder
/// numbers its exchanges (`e1`, `e2`, ...): ids of that form, a prefix and a number, are bits in a
/// bitmap indexed by the number, which the reader walks nearly in order. A hash table of a million
/// ids is a cache and TLB miss per lookup, about 6 % of reading a capture (issue 16). Ids of any
/// other form, or another prefix, go to a hash table. Exact either way: two ids never count as one.
struct ExchangeIDSet {
    /// The prefix of the numbered ids in `numbered`: the first numbered id's.
    private var prefix: [UInt8]?
    /// Bit n: `prefix` + n was inserted.
    private var numbered: [UInt64] = []
    private var numberedCount = 0
    private var others: HashedIDSet

    /// Numbers above this go to the hash table, so the bitmap stays under 8 MB.
    static let largestNumber = 1 << 26

    var count: Int { numberedCount + others.count }

    init(capacity: Int = 1024) { others = HashedIDSet(capacity: capacity) }

    /// Adds `id`; false when it was there already.
    @discardableResult
    mutating func insert(_ id: String) -> Bool {
        guard let (prefixLength, number) = Self.numbered(id) else { return others.insert(id) }
        if prefix == nil { prefix = Array(id.utf8.prefix(prefixLength)) }
        guard hasPrefix(id, length: prefixLength) else { return others.insert(id) }
        let (word, bit) = (number >> 6, UInt64(1) << UInt64(number & 63))
        if word >= numbered.count { numbered.append(contentsOf: repeatElement(0, count: max(word + 1 - numbered.count, numbered.count))) }
        guard numbered[word] & bit == 0 else { return false }
        numbered[word] |= bit
        numberedCount += 1
        return true
    }

    func contains(_ id: String) -> Bool {
        guard let (prefixLength, number) = Self.numbered(id), hasPrefix(id, length: prefixLength) else { return others.contains(id) }
        let word = number >> 6
        return word < numbered.count && numbered[word] & (UInt64(1) << UInt64(number & 63)) != 0
    }

    /// Whether `id`'s first `length` bytes are exactly the bitmap's prefix.
    private func hasPrefix(_ id: String, length: Int) -> Bool {
        guard let prefix, prefix.count == length else { return false }
        return id.utf8.prefix(length).elementsEqual(prefix)
    }

    /// An id of the bitmap's form: a prefix, then a number in canonical decimal (no leading zero, so
    /// `e01` is not `e1`) of at most `largestNumber`. The prefix's length and the number.
    static func numbered(_ id: String) -> (prefixLength: Int, number: Int)? {
        let found = id.utf8.withContiguousStorageIfAvailable { bytes -> (Int, Int)? in
            var start = bytes.count
            while start > 0, bytes.count - start < 9, bytes[start - 1] >= 0x30, bytes[start - 1] <= 0x39 { start -= 1 }
            let digits = bytes.count - start
            guard digits > 0, digits <= 8, digits == 1 || bytes[start] != 0x30 else { return nil }
            var number = 0
            for index in start..<bytes.count { number = number * 10 + Int(bytes[index] - 0x30) }
            guard number <= largestNumber else { return nil }
            return (start, number)
        }
        return found ?? nil
    }
}

/// Any ids, in a hash table: the id's bytes hashed with FNV-1a (a few cycles for a short id) instead
/// of SipHash, and each slot keeps its id's hash, so growing never hashes again. Ids are compared
/// whole on a hash match. Memory: the ids, plus 8 bytes a slot.
struct HashedIDSet {
    /// Each slot: the id's 32-bit hash in the high half, its position in `ids` plus one in the low
    /// half; 0 is an empty slot.
    private var slots: [UInt64]
    private var ids: [String] = []

    var count: Int { ids.count }

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 4 / 3 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
    }

    /// Adds `id`; false when it was there already.
    @discardableResult
    mutating func insert(_ id: String) -> Bool {
        let hash = Self.hash(id)
        var slot = Int(hash) & (slots.count - 1)
        while slots[slot] != 0 {
            if slots[slot] >> 32 == hash, ids[Int(slots[slot] & 0xFFFF_FFFF) - 1] == id { return false }
            slot = (slot + 1) & (slots.count - 1)
        }
        ids.append(id)
        slots[slot] = hash << 32 | UInt64(ids.count)
        if ids.count * 4 > slots.count * 3 { grow() }
        return true
    }

    func contains(_ id: String) -> Bool {
        let hash = Self.hash(id)
        var slot = Int(hash) & (slots.count - 1)
        while slots[slot] != 0 {
            if slots[slot] >> 32 == hash, ids[Int(slots[slot] & 0xFFFF_FFFF) - 1] == id { return true }
            slot = (slot + 1) & (slots.count - 1)
        }
        return false
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        for entry in old where entry != 0 {
            var slot = Int(entry >> 32) & (slots.count - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = entry
        }
    }

    /// FNV-1a over the id's bytes, mixed so the low bits that pick a slot differ for sequential ids.
    static func hash(_ id: String) -> UInt64 {
        var id = id
        let hash = id.withUTF8 { bytes in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
            return hash
        }
        let mixed = (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return (mixed ^ (mixed >> 32)) & 0xFFFF_FFFF
    }
}
