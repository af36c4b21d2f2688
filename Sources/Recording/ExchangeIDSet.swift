/// The ids of the exchanges a reader has handed out, so a later record of one is known as an update.
/// A capture holds one id per exchange, a million in a long one, and each is looked up once: this set
/// hashes the id's bytes with FNV-1a (a few cycles for a short id) instead of SipHash, and each slot
/// keeps its id's hash, so growing never hashes again. Ids are compared whole on a hash match: two ids
/// never count as one. Memory: the ids, plus 8 bytes a slot.
struct ExchangeIDSet {
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
