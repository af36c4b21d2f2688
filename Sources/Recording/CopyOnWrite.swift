/// A value kept in one reference-counted box and copied only when written while shared. For the
/// records a capture holds a million of (`Exchange`, `Response`): a plain struct of a dozen and more
/// references is copied whole at every hand-over (decoder, record, chunk, assembler, a shard's batch)
/// and retains each reference on every copy; boxed, a hand-over moves one pointer and a copy is one
/// retain.
struct CopyOnWrite<Value: Sendable>: @unchecked Sendable {
    // Unchecked: the box is written only through `value`'s modify accessor, which first gives this
    // copy a box of its own when another copy shares it; shared boxes are only read.
    private final class Box {
        @exclusivity(unchecked) var value: Value
        init(_ value: Value) { self.value = value }
    }

    private var box: Box

    init(_ value: Value) { box = Box(value) }

    var value: Value {
        _read { yield box.value }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
            yield &box.value
        }
    }
}

/// Equal values, whether or not they share a box; copies that share one are equal without comparing.
/// A boxed record's own `Hashable` is synthesized from its one stored property.
extension CopyOnWrite: Equatable where Value: Equatable {
    static func == (lhs: CopyOnWrite, rhs: CopyOnWrite) -> Bool { lhs.box === rhs.box || lhs.value == rhs.value }
}

extension CopyOnWrite: Hashable where Value: Hashable {
    func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
