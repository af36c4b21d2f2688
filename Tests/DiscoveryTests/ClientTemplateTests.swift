import Foundation
import JSONCore
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

    /// The stream readers the generated methods use, run in node on bodies whose chunks split lines,
    /// characters and `\r\n` anywhere: SSE events (named, multi-line, comments, ids, a last event without
    /// its blank line left out) and NDJSON (a last line without its newline kept).
    @Test func theStreamReadersSplitServerSentEventsAndLinesAcrossChunks() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/node"), "node is missing: apt-get install -y nodejs")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("client-streams-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let rendered = TypeScriptTemplate.clientRuntime.render(
            flags: [], replacing: [("{{exchanges}}", "0"), ("{{ofBaseURL}}", ""), ("{{headersDoc}}", ""), ("__Client__", "AppClient"), (", /*{{credentials}}*/", "")],
            inserts: [:])
        try rendered.write(to: folder.appendingPathComponent("client.ts"), atomically: true, encoding: .utf8)
        let compiled = try await run("/usr/bin/tsc", [
            "--strict", "--target", "es2020", "--lib", "es2020,dom", "--module", "commonjs", "--outDir", folder.path,
            folder.appendingPathComponent("client.ts").path,
        ])
        try #require(compiled.status == 0, "tsc: \(compiled.output)")
        try #"""
            const { AppClient } = require("./client.js");
            const body = (chunks) => new Response(new ReadableStream({
              start(controller) { for (const c of chunks) controller.enqueue(new TextEncoder().encode(c)); controller.close(); }
            }));
            (async () => {
              const client = new AppClient("http://unused");
              const sse = [": hello\r\nevent: pro", "gress\r\ndata: {\"step\"", ": 1}\r\nid: 7\r\n\r", "\ndata: a\ndata: b\n\ndata: é", "t\u00e9\n\ndata: never dispatched\n"];
              const events = [];
              for await (const e of client.events(body(sse))) events.push(e);
              const nd = ["{\"a\":", " 1}\n\n  {\"b\": 2}  \n{\"c\"", ": 3}"];
              const lines = [];
              for await (const l of client.lines(body(nd))) lines.push(l);
              // Split inside a two-byte character: the decoder must hold the first byte.
              const bytes = new TextEncoder().encode("{\"d\": \"é\"}\n");
              const split = new Response(new ReadableStream({ start(c) { c.enqueue(bytes.slice(0, 8)); c.enqueue(bytes.slice(8)); c.close(); } }));
              for await (const l of client.lines(split)) lines.push(l);
              console.log(JSON.stringify({ events, lines }));
            })();
            """#.write(to: folder.appendingPathComponent("driver.js"), atomically: true, encoding: .utf8)
        let result = try await run("/usr/bin/node", ["driver.js"], in: folder)
        try #require(result.status == 0, "node: \(result.output)")
        let output = try JSON.parse(String(try #require(result.output.split(separator: "\n").last)))
        #expect(output["events"] == [
            ["event": "progress", "data": ["step": 1], "id": "7"],
            ["event": "message", "data": "a\nb"],
            ["event": "message", "data": "été"],
        ])
        #expect(output["lines"] == [["a": 1], ["b": 2], ["c": 3], ["d": "é"]])
    }
}

