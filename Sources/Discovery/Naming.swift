/// Word handling for parameter, type and method names.
enum Naming {
    /// Splits `listImages`, `ostris_cloud`, `gpu-ids`, `HF_TOKEN` into lowercase words.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLower = false
        for character in text {
            if character.isLetter || character.isNumber {
                if character.isUppercase, previousWasLower, !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(character)
                previousWasLower = character.isLowercase || character.isNumber
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLower = false
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.lowercased() }
    }

    static func camelCase(_ text: String) -> String { camelCase(words: words(text)) }

    static func camelCase(words: [String]) -> String {
        guard let first = words.first else { return "" }
        var result = first
        for word in words.dropFirst() { result += capitalized(word) }
        if let leading = result.first, leading.isNumber { result = "_" + result }
        return result
    }

    static func pascalCase(_ text: String) -> String { pascalCase(words: words(text)) }

    static func pascalCase(words: [String]) -> String {
        let result = words.map(capitalized).joined()
        if let leading = result.first, leading.isNumber { return "T" + result }
        return result
    }

    static func capitalized(_ word: String) -> String {
        guard let first = word.first else { return word }
        return first.uppercased() + word.dropFirst()
    }

    private static let irregular: [String: String] = [
        "people": "person", "children": "child", "men": "man", "women": "woman", "indices": "index",
        "statuses": "status", "aliases": "alias", "analyses": "analysis", "img": "image", "imgs": "image",
        "settings": "settings", "news": "news", "series": "series", "data": "data", "metadata": "metadata",
    ]

    /// `datasets` -> `dataset`, `queues` -> `queue`, `batches` -> `batch`, `img` -> `image`. Works on
    /// the last word of a camelCase name.
    static func singular(_ name: String) -> String {
        let parts = words(name)
        guard let last = parts.last else { return name }
        let single = singularWord(last)
        if single == last { return name }
        return camelCase(words: parts.dropLast() + [single])
    }

    static func singularWord(_ word: String) -> String {
        if let value = irregular[word] { return value }
        if word.hasSuffix("ies"), word.count > 4 { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("sses") || word.hasSuffix("shes") || word.hasSuffix("ches") || word.hasSuffix("xes") {
            return String(word.dropLast(2))
        }
        if word.hasSuffix("ss") || word.hasSuffix("us") || word.hasSuffix("is") { return word }
        if word.hasSuffix("s"), word.count > 3 { return String(word.dropLast()) }
        return word
    }

    static func isPlural(_ word: String) -> Bool {
        let last = words(word).last ?? word
        return singularWord(last) != last && irregular[last] == nil || ["people", "children"].contains(last)
    }
}
