import JSONCore

/// Folds JSON bodies into a shape. Identical consecutive bodies (polling) only raise a weight, so a
/// million polls cost a million string comparisons, not a million tree walks.
final class BodyAccumulator {
    let shape = ShapeNode()
    private(set) var examples: [JSON] = []
    private var exampleTexts: [String] = []
    private var pendingText: String?
    private var pendingJSON: JSON?
    private var pendingWeight = 0

    func add(text: String, cache: inout ParseCache) {
        if let pendingText, pendingText == text {
            pendingWeight += 1
            return
        }
        flush()
        guard let json = cache.json(text) else { return }
        pendingText = text
        pendingJSON = json
        pendingWeight = 1
        if examples.count < 2, text.utf8.count <= 16 * 1024, !exampleTexts.contains(text) {
            if examples.isEmpty || Self.topKeys(examples[0]) != Self.topKeys(json) {
                examples.append(ExampleRedaction.example(json))
                exampleTexts.append(text)
            }
        }
    }

    func add(json: JSON) {
        flush()
        shape.add(json)
        if examples.isEmpty { examples.append(ExampleRedaction.example(json)) }
    }

    func flush() {
        if let pendingJSON, pendingWeight > 0 { shape.add(pendingJSON, weight: pendingWeight) }
        pendingText = nil
        pendingJSON = nil
        pendingWeight = 0
    }

    var hasSamples: Bool { shape.samples > 0 || pendingWeight > 0 }

    private static func topKeys(_ json: JSON) -> [String] {
        if let members = json.objectValue { return members.keys.sorted() }
        return [json.typeName]
    }
}
