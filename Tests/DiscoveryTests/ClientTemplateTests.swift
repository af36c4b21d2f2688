import Foundation
import Testing
@testable import Discovery

/// The generated client's runtime is TypeScript in a file of its own (`TypeScript/client-runtime.ts`):
/// `tsc` checks the file as it is and every way it renders, and no mark or placeholder survives.
@Suite struct ClientTemplateTests {
    static let templateFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Discovery/TypeScript/client-runtime.ts")
    static let flags = ["bearer", "basic", "apiKey", "multipart"]

    static func typeCheck(_ file: URL) async throws -> (status: Int32, output: String) {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/tsc"), "tsc is missing: apt-get install -y node-typescript")
        return try await run("/usr/bin/tsc", ["--noEmit", "--strict", "--target", "es2020", "--lib", "es2020,dom", file.path])
    }

    @Test func theTemplateFileIsTypeScriptAsItIs() async throws {
        let checked = try await Self.typeCheck(Self.templateFile)
        #expect(checked.status == 0, "tsc: \(checked.output)")
        let compiledIn = TypeScriptTemplate.clientRuntime.text
        #expect(compiledIn == (try String(contentsOf: Self.templateFile, encoding: .utf8)), "client-runtime.ts differs from what was compiled in: rebuild")
    }

    @Test func everyFlagCombinationRendersTypeScriptWithNoMarkLeft() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("client-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let template = TypeScriptTemplate.clientRuntime
        let declared = Set(template.text.matches(of: ##/(?m)^//#if ([A-Za-z]+)$/##).map { String($0.1) })
        #expect(declared == Set(Self.flags), "the template's flags are not the ones TypeScriptWriter sets")
        for mask in 0..<(1 << Self.flags.count) {
            let flags = Set(Self.flags.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element))
            let rendered = template.render(
                flags: flags,
                replacing: [
                    ("{{exchanges}}", "3"), ("{{ofBaseURL}}", " of http://app"), ("{{apiKeyHeader}}", "X-Api-Key"),
                    ("\"__API_KEY_HEADER__\"", "\"X-Api-Key\""), ("{{headersDoc}}", "Headers sent with every call."), ("__Client__", "AppClient"),
                    (", /*{{credentials}}*/", mask % 2 == 0 ? ", credentials: \"include\"" : ""),
                ],
                inserts: ["declarations": "export interface Item {\n  id: number;\n}\n", "methods": "\n  async ping(): Promise<Response> {\n    return this.call(\"GET\", \"/ping\");\n  }\n"])
            #expect(!rendered.contains("//#") && !rendered.contains("{{") && !rendered.contains("__"), "a mark is left with \(flags.sorted())")
            #expect(rendered.contains("export class AppClient {") && rendered.contains("async ping()") && rendered.contains("export interface Item"))
            #expect(rendered.contains("setToken(") == flags.contains("bearer"))
            #expect(rendered.contains("function toFormData(") == flags.contains("multipart"))
            let file = folder.appendingPathComponent("client-\(mask).ts")
            // A file whose flag leaves toFormData unused still checks: it is a module-level function.
            try rendered.write(to: file, atomically: true, encoding: .utf8)
            let checked = try await Self.typeCheck(file)
            #expect(checked.status == 0, "tsc with \(flags.sorted()): \(checked.output)")
        }
    }
}
