import Foundation
import Testing
import TestSupport
@testable import Replica

/// The replica's UI files (`Sources/Replica/UI/js`, `css`, `html`): each script part and the joined
/// script of each UI version parse (`node --check`), every part on disk is served, and what is served
/// is what is on disk.
@Suite struct ReplicaUIFilesTests {
    static let uiFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Replica/UI")

    @Test func everyPartAndEachVersionsJoinedScriptParse() throws {
        let folder = Self.uiFolder.appendingPathComponent("js")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".js") }.sorted()
        #expect(files == UIParts.script.map(\.name).sorted(), "a part on disk is not in the script, or the other way round")
        for name in files {
            let problem = try NodeCheck.problem(in: folder.appendingPathComponent(name))
            #expect(problem == nil, "\(name): \(problem ?? "")")
        }
        for version in ReplicaUI.versions {
            for devMode in [false, true] {
                let script = try #require(ReplicaUI.asset(path: "/static/app.js", uiVersion: version, devMode: devMode)).body
                let problem = try NodeCheck.problem(inScript: script, named: "replica-ui-\(version)")
                #expect(problem == nil, "the joined script (\(version), dev \(devMode)): \(problem ?? "")")
            }
        }
    }

    @Test func theCompiledFilesAreTheFilesOnDisk() throws {
        let compiled = UIParts.script.map { ("js/\($0.name)", $0.bytes) } + [
            ("css/styles.css", PackageResources.styles_css), ("css/layout.css", PackageResources.layout_css),
            ("html/shell.html", PackageResources.shell_html), ("html/favicon.svg", PackageResources.favicon_svg),
        ]
        for (path, bytes) in compiled {
            let onDisk = try Data(contentsOf: Self.uiFolder.appendingPathComponent(path))
            #expect([UInt8](onDisk) == bytes, "\(path) differs from what was compiled in: rebuild")
        }
    }

    @Test func theScriptIsThePartsInOrderAfterTheFlagsLine() throws {
        let script = try #require(ReplicaUI.asset(path: "/static/app.js", uiVersion: "2025-10", devMode: true)).body
        #expect(script.hasPrefix("(() => {\n'use strict';\nconst UI_VERSION = \"2025-10\"; const DEV_MODE = true;\n"))
        var cursor = script.startIndex
        for part in UIParts.script {
            let range = try #require(script.range(of: UIParts.text(part.bytes), range: cursor..<script.endIndex), "\(part.name) missing or out of order")
            cursor = range.upperBound
        }
        #expect(script[cursor...] == "\n})();\n")
    }
}
