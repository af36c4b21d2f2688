import JSONCore
import Testing

@testable import Discovery

@Suite("Schema inference over samples")
struct SchemaInferenceTests {
    private func schema(_ samples: [JSON], name: String? = nil) -> JSON {
        let node = ShapeNode()
        for sample in samples { node.add(sample) }
        return node.schema(name: name)
    }

    @Test("a property missing from some samples is optional; null makes it nullable")
    func optionalAndNullable() {
        let result = schema([["a": 1, "b": "x"], ["a": nil]])
        #expect(result == ["type": "object", "properties": ["a": ["type": ["integer", "null"]], "b": ["type": "string"]], "required": ["a"]])
    }

    @Test("several types become oneOf; integers and reals become number")
    func oneOf() {
        #expect(schema([1, "one"]) == ["oneOf": [["type": "integer"], ["type": "string"]]])
        #expect(schema([1, 1.5]) == ["type": "number"])
    }

    @Test("formats: uuid, date-time, date, uri, absolute path")
    func formats() {
        #expect(schema(["5f0c1d2e-8a3b-4c5d-9e6f-0a1b2c3d4e5f"])["format"] == "uuid")
        #expect(schema(["2026-11-26T19:20:00.000Z"])["format"] == "date-time")
        #expect(schema(["2026-11-26"])["format"] == "date")
        #expect(schema(["https://example.com/x"])["format"] == "uri")
        #expect(schema(["/data/datasets/x"])["format"] == "absolute-path")
        #expect(schema(["/data/x", "relative"])["format"] == nil)
    }

    @Test("small string sets: candidates with counts, an enum only for a category seen often")
    func enums() {
        let few: [JSON] = ["running", "running", "stopped"]
        #expect(schema(few, name: "status")["x-enum-candidates"] == ["running": 2, "stopped": 1])
        let many: [JSON] = Array(repeating: "running", count: 20) + Array(repeating: "stopped", count: 12)
        #expect(schema(many, name: "status")["enum"] == ["running", "stopped"])
        #expect(schema(many, name: "title")["enum"] == nil)
        #expect(schema(["hf_1", "hf_1", "hf_2"], name: "HF_TOKEN")["x-enum-candidates"] == nil)
    }

    @Test("objects keyed by data (paths, ids) become maps")
    func maps() {
        let result = schema([["/data/a.png": "cat", "/data/b.png": ""]])
        #expect(result == ["type": "object", "additionalProperties": ["type": "string"]])
    }

    @Test("objects with no member in common are alternatives")
    func objectVariants() {
        let result = schema([["id": "1", "name": "a"], ["jobs": []], ["id": "2"]])
        let variants = result["oneOf"]?.arrayValue ?? []
        #expect(variants.count == 2)
        #expect(variants.first?["required"] == ["id"])
    }

    @Test("merging two schemas is what merging their samples gives")
    func schemaMerge() {
        let a = schema([["a": 1, "b": "x"]])
        let b = schema([["a": nil]])
        #expect(SchemaMerge.merge(a, b) == schema([["a": 1, "b": "x"], ["a": nil]]))
    }

    @Test("an object whose data keys make it a map feeds the map in key order, not the dictionary's (which changes run to run)")
    func mapValuesInKeyOrder() {
        // Four values of disjoint shapes under path keys: the map's oneOf lists them in the order they
        // were added. Gradio's `named_endpoints` came out in two orders across runs of one capture.
        let first: JSON = ["/d": ["delta": 1], "/b": ["bravo": 1], "/a": ["alpha": 1], "/c": ["charlie": 1]]
        let result = schema([first])
        let variants = result["additionalProperties"]?["oneOf"]?.arrayValue ?? []
        let order = variants.compactMap { $0["properties"]?.objectValue?.keys.first }
        #expect(order == ["alpha", "bravo", "charlie", "delta"], "\(result)")
        // The same when the object turns into a map half way: known properties first, then a data key.
        let node = ShapeNode()
        node.add(["zeta": ["z": 1], "eta": ["e": 1]])
        node.add(["zeta": ["z": 1], "eta": ["e": 1], "/x": ["x": 1], "/w": ["w": 1]])
        let mixed = node.schema()["additionalProperties"]?["oneOf"]?.arrayValue?.compactMap { $0["properties"]?.objectValue?.keys.first }
        #expect(mixed == ["e", "z", "w", "x"])
    }
}
