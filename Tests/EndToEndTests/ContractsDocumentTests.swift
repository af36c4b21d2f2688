import Foundation
import Testing

/// `docs/contracts.md` names every module's public surface (issue 11): each public or open top-level
/// declaration (struct, class, enum, protocol, actor, typealias, func at column 0, attributes allowed
/// before) of a library module's sources is named, as a whole word, in that module's `## <Module> ...`
/// section. The sources and the document are read as files; nothing is compiled or imported.
@Suite struct ContractsDocumentTests {
    /// Every library module: a new one is added here, and `everyLibraryModuleIsChecked` fails until it is.
    static let checkedModules = [
        "JSONCore", "Durations", "Wire", "HTTPServer", "DevTools", "Browser", "Recording", "Flows", "Capture", "Discovery", "Replica", "DiscoverCLI",
    ]

    static let contracts = Repository.root.appendingPathComponent("docs/contracts.md")
    static let sources = Repository.root.appendingPathComponent("Sources")

    /// A public or open top-level type or function: the name it declares.
    static var declaration: NSRegularExpression {
        try! NSRegularExpression(
            pattern: #"^(?:@[A-Za-z]+(?:\([^)]*\))?[ \t]+)*(?:public|open)[ \t]+(?:(?:final|indirect)[ \t]+)*(?:struct|class|enum|protocol|actor|typealias|func)[ \t]+([A-Za-z_][A-Za-z0-9_]*)"#,
            options: [.anchorsMatchLines])
    }

    /// The library modules: every folder of `Sources/` that Package.swift does not declare an executable.
    static func libraryModules() throws -> Set<String> {
        let manifest = try String(contentsOf: Repository.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let executables = try NSRegularExpression(pattern: #"\.executableTarget\(\s*name:\s*"([^"]+)""#)
            .matches(in: manifest, range: NSRange(manifest.startIndex..., in: manifest))
            .compactMap { Range($0.range(at: 1), in: manifest).map { String(manifest[$0]) } }
        let folders = try FileManager.default.contentsOfDirectory(atPath: sources.path)
            .filter { name in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: sources.appendingPathComponent(name).path, isDirectory: &isFolder) && isFolder.boolValue
            }
        return Set(folders).subtracting(executables)
    }

    /// Every public top-level name declared in the module's Swift sources (sorted, each once).
    static func publicNames(of module: String) throws -> [String] {
        let folder = sources.appendingPathComponent(module)
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            throw TestFailure("cannot list \(folder.path)")
        }
        var names = Set<String>()
        for case let file as URL in walker where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in declaration.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text) { names.insert(String(text[range])) }
            }
        }
        return names.sorted()
    }

    /// Each `## ` section of the document, by the first word of its heading, with the heading and its text.
    static func sections() throws -> [String: String] {
        let text = try String(contentsOf: contracts, encoding: .utf8)
        var sections: [String: String] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                current = line.dropFirst(3).split(separator: " ").first.map(String.init)
            }
            if let current { sections[current, default: ""] += line + "\n" }
        }
        return sections
    }

    /// `name` occurs in `text` with no identifier character on either side.
    static func namesAsWord(_ text: String, _ name: String) -> Bool {
        func isIdentifier(_ character: Character) -> Bool { character == "_" || character.isLetter || character.isNumber }
        var searchFrom = text.startIndex
        while let found = text.range(of: name, range: searchFrom..<text.endIndex) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            if !(before.map(isIdentifier) ?? false) && !(after.map(isIdentifier) ?? false) { return true }
            searchFrom = found.upperBound
        }
        return false
    }

    @Test func everyLibraryModuleIsChecked() throws {
        let listed = Set(Self.checkedModules)
        #expect(listed.count == Self.checkedModules.count, "a module is listed twice")
        let modules = try Self.libraryModules()
        #expect(modules.count >= 12, "Sources/ should hold at least the 12 library modules: \(modules.sorted())")
        for module in modules.subtracting(listed).sorted() {
            Issue.record("library module \(module) is not checked by ContractsDocumentTests")
        }
        for module in listed.subtracting(modules).sorted() {
            Issue.record("ContractsDocumentTests lists \(module), which is not a library module under Sources/")
        }
    }

    /// The scan itself finds what is known to be there, so the document check cannot pass on nothing.
    @Test func theScanFindsKnownDeclarations() throws {
        var total = 0
        for module in Self.checkedModules {
            let names = try Self.publicNames(of: module)
            #expect(!names.isEmpty, "found no public top-level declaration in Sources/\(module)")
            total += names.count
        }
        #expect(total >= 150, "found only \(total) public top-level declarations in all library modules")
        let known: [(module: String, name: String)] = [
            ("JSONCore", "JSON"), ("JSONCore", "JSONCursor"), ("Durations", "Deadline"), ("Wire", "Socket"),
            ("Wire", "HTTPClient"), ("HTTPServer", "HTTPServer"), ("Recording", "Exchange"), ("Recording", "HandOff"),
            ("Discovery", "Discovery"), ("Discovery", "HTMLReport"), ("DevTools", "DevToolsConnection"), ("Browser", "Page"),
        ]
        for (module, name) in known {
            #expect(try Self.publicNames(of: module).contains(name), "the scan of Sources/\(module) missed \(name)")
        }
        #expect(Self.namesAsWord("a `JSON` b", "JSON"))
        #expect(!Self.namesAsWord("JSONCursor JSONParseError", "JSON"))
        #expect(!Self.namesAsWord("aHTTPError", "HTTPError"))
    }

    @Test(arguments: checkedModules) func sectionNamesEveryPublicDeclaration(module: String) throws {
        let names = try Self.publicNames(of: module)
        #expect(!names.isEmpty, "found no public top-level declaration in Sources/\(module)")
        guard let section = try Self.sections()[module] else {
            Issue.record("docs/contracts.md has no `## \(module)` section (\(names.count) public declarations)")
            return
        }
        for name in names where !Self.namesAsWord(section, name) {
            Issue.record("\(module): public \(name) is not named in docs/contracts.md's `## \(module)` section")
        }
    }
}
