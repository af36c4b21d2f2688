import JSONCore

/// Folds JSON bodies into a shape. Bodies wait in a small window before they are folded, each with how
/// often it came: a million polls cost a million string comparisons, not a million tree walks, even
/// when the polls of one endpoint take turns between a few answers (`GET /api/jobs?id=` and
/// `GET /api/jobs?only_active=true` polled side by side).
final class BodyAccumulator {
    let shape = ShapeNode()
    private(set) var examples: [JSON] = []
    private var exampleTexts: [String] = []
    /// Bodies read and not yet folded, in the order first read. Folding is counting (types, values,
    /// members seen), so a body folded once with weight n equals it folded n times.
    private var pending: [(text: String, json: JSON, weight: Int)] = []

    /// How many distinct bodies wait at most: enough for the answers an endpoint's pollers take turns
    /// between, small enough that a body that is new every time costs few comparisons.
    static let window = 4

    func add(text: String, cache: inout ParseCache) {
        for index in pending.indices where pending[index].text == text {
            pending[index].weight += 1
            return
        }
        guard let json = cache.json(text) else { return }
        if pending.count == Self.window { flush() }
        pending.append((text, json, 1))
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
        for body in pending { shape.add(body.json, weight: body.weight) }
        pending.removeAll(keepingCapacity: true)
    }

    var hasSamples: Bool { shape.samples > 0 || !pending.isEmpty }

    private static func topKeys(_ json: JSON) -> [String] {
        if let members = json.objectValue { return members.keys.sorted() }
        return [json.typeName]
    }
}
