import Foundation
import Testing
import Wire
import TestSupport
@testable import Capture
@testable import Recording

@Suite struct MultipartParserTests {
    static let body = [
        "--XyZ\r\nContent-Disposition: form-data; name=\"datasetName\"\r\n\r\nportraits\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a;b.png\"\r\nContent-Type: image/png\r\n\r\n",
        "\u{89}PNG\r\n--not-the-boundary\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nhunter22\r\n--XyZ--\r\n",
    ].joined()

    @Test func keepsPartNamesFileNamesAndSizesButNotFileBytes() throws {
        let boundary = try #require(MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=\"XyZ\""))
        let parts = try #require(MultipartParser.parse(Array(Self.body.utf8), boundary: boundary, keepFileBytes: false))
        #expect(parts.map(\.name) == ["datasetName", "files", "password"])
        #expect(parts[0].value == "portraits")
        #expect(parts[1].filename == "a;b.png")
        #expect(parts[1].contentType == "image/png")
        #expect(parts[1].size == Array("\u{89}PNG\r\n--not-the-boundary".utf8).count)
        #expect(parts[1].value == nil)
    }

    @Test func keepsFileBytesAsBase64WhenAsked() throws {
        let parts = try #require(MultipartParser.parse(Array(Self.body.utf8), boundary: "XyZ", keepFileBytes: true))
        #expect(parts[1].base64)
        #expect(Data(base64Encoded: parts[1].value ?? "").map { [UInt8]($0) } == Array("\u{89}PNG\r\n--not-the-boundary".utf8))
    }

    @Test("a recorded body cut short keeps the parts before the cut and what arrived of the last; the replica's strict reading refuses it")
    func aCutBodyIsReadLenientlyHereAndStrictlyByTheServer() throws {
        let cut = Array(Self.body.utf8.prefix(Self.body.utf8.count - 12))  // "hunter22\r\n--XyZ--\r\n" becomes "hunter2"
        let parts = try #require(MultipartParser.parse(cut, boundary: "XyZ", keepFileBytes: false))
        #expect(parts.map(\.name) == ["datasetName", "files", "password"])
        #expect(parts[2].value == "hunter2")
        #expect(throws: MultipartFormData.ParseError.self) { try MultipartFormData.parse(body: cut, boundary: "XyZ") }
        // Lines ended by a bare LF, as some clients send them.
        let bare = Array("--XyZ\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--\r\n".utf8)
        #expect(MultipartParser.parse(bare, boundary: "XyZ", keepFileBytes: false)?.map(\.value) == ["1"])
    }

    @Test func aBodyWithoutTheBoundaryIsNotMultipart() {
        #expect(MultipartParser.parse(Array("plain".utf8), boundary: "XyZ", keepFileBytes: false) == nil)
    }
}

@Suite struct URLGlobTests {
    @Test func starStaysInASegmentAndDoubleStarCrosses() {
        #expect(URLGlob("**/api/**").matches("http://127.0.0.1:8675/api/jobs/1/start"))
        #expect(URLGlob("http://127.0.0.1:*/api/*").matches("http://127.0.0.1:8675/api/jobs"))
        #expect(!URLGlob("http://127.0.0.1:*/api/*").matches("http://127.0.0.1:8675/api/jobs/1"))
        #expect(URLGlob("/api/jobs/*").matches("http://x/api/jobs/42?verbose=1"))
        #expect(!URLGlob("/api/jobs/*").matches("http://x/api/jobs/42/log"))
        #expect(URLGlob("**/*.js").matches("http://x/_next/static/chunks/main.js"))
        #expect(URLGlob("/api/job?").matches("http://x/api/jobs"))
    }

    @Test func includeAndExcludeMatchAsAFlowsConditionsDo() {
        for (pattern, url, matches) in GlobCases.table {
            #expect(URLFilter(include: [pattern]).admits(url) == matches, "\(pattern) on \(url)")
        }
    }

    @Test func filterAppliesIncludeThenExclude() {
        let filter = URLFilter(include: ["**/api/**"], exclude: ["**/api/monitor*"])
        #expect(filter.admits("http://x/api/jobs"))
        #expect(!filter.admits("http://x/api/monitor"))
        #expect(!filter.admits("http://x/static/app.css"))
        #expect(URLFilter().admits("http://anything"))
    }
}
