/// The order `a.localeCompare(b)` gives in Node (ICU, `en-US`), which `listImages` sorts by: punctuation
/// before digits before letters, letters compared without case first, and only on a tie lower case
/// before upper case, left to right. ASCII is exact (the order below is what Node sorts the printable
/// characters into); other characters follow all of ASCII by code point, an approximation.
enum LocaleOrder {
    private static let asciiOrder = Array(" _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz".unicodeScalars)
    private static let primaryWeights: [Unicode.Scalar: Int] = Dictionary(
        uniqueKeysWithValues: asciiOrder.enumerated().map { ($0.element, $0.offset) })

    private static func primary(_ scalar: Unicode.Scalar) -> Int {
        let folded = ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
        return primaryWeights[folded] ?? (1000 + Int(folded.value))
    }

    static func precedes(_ a: String, _ b: String) -> Bool {
        let left = Array(a.unicodeScalars), right = Array(b.unicodeScalars)
        let primaryLeft = left.map(primary), primaryRight = right.map(primary)
        if primaryLeft != primaryRight { return primaryLeft.lexicographicallyPrecedes(primaryRight) }
        for (x, y) in zip(left, right) where x != y {
            return ("a"..."z").contains(x)  // same letter, other case: the lower-case one first
        }
        return false
    }
}
