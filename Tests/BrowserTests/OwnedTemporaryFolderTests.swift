import Foundation
import Glibc
import Testing

@testable import Browser

/// Temporary folders of runs that died without cleaning up (SIGKILL, power cut) are swept by the next.
@Suite struct OwnedTemporaryFolderTests {
    let prefix = "discover-sweep-test-\(UUID().uuidString.prefix(6))"

    private func folder(owner: String?, age: TimeInterval = 0) throws -> String {
        let path = NSTemporaryDirectory() + "/\(prefix)-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: path + "/Default", withIntermediateDirectories: true)
        if let owner { try owner.write(toFile: path + "/.discover-owner", atomically: true, encoding: .utf8) }
        if age > 0 { try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: path) }
        return path
    }

    @Test func foldersOfDeadOrReusedOwnersGoAndLiveOnesStay() throws {
        let dead = try folder(owner: "2147483000 123")
        let reusedPid = try folder(owner: "\(getpid()) 1")
        let unmarkedOld = try folder(owner: nil, age: 7200)
        let unmarkedNew = try folder(owner: nil)
        let mine = try OwnedTemporaryFolder.make(prefix: prefix)
        defer { for path in [unmarkedNew, mine] { try? FileManager.default.removeItem(atPath: path) } }
        #expect(OwnedTemporaryFolder.sweep(prefix: prefix) == 3)
        for path in [dead, reusedPid, unmarkedOld] { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
        for path in [unmarkedNew, mine] { #expect(FileManager.default.fileExists(atPath: path), "\(path)") }
        OwnedTemporaryFolder.release(mine)
        #expect(!FileManager.default.fileExists(atPath: mine))
    }
}
