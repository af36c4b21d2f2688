import Foundation
import Glibc
import Recording

/// A file as it was left: whether secrets were replaced, and its size and SHA-256 after that.
public struct RedactedFile: Sendable {
    public var redacted: Bool
    public var size: Int
    public var sha256: String
}

extension Redactor {
    /// Replaces every literal form of a flow secret in the file, streaming in chunks (downloads can be
    /// gigabytes), and hashes it on the way. A file without secrets is read once, never rewritten.
    public func redactFile(at url: URL, chunkSize: Int = 4 << 20) throws -> RedactedFile {
        let scan = try scanFile(url, chunkSize: chunkSize)
        guard scan.holdsSecret else { return RedactedFile(redacted: false, size: scan.size, sha256: scan.sha256) }
        var hasher = SHA256()
        var size = 0
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).redacting")
        let input = try FileHandle(forReadingFrom: url)
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        let output = try FileHandle(forWritingTo: temporary)
        do {
            let keep = literals.map(\.pattern.count).max()! - 1
            var pending: [UInt8] = []
            var ended = false
            while !ended {
                let chunk = try input.read(upToCount: chunkSize) ?? Data()
                ended = chunk.isEmpty
                pending.append(contentsOf: chunk)
                // A match may start only where its whole pattern is already read, unless the file ended.
                let (emitted, consumed) = replaceLiterals(in: pending, finalizingBefore: ended ? pending.count : max(0, pending.count - keep))
                try output.write(contentsOf: emitted)
                hasher.update(emitted)
                size += emitted.count
                pending.removeFirst(consumed)
            }
            try output.close()
        } catch {
            try? output.close()
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        // rename(2) swaps the file in one step: a reader never sees half of it.
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        return RedactedFile(redacted: true, size: size, sha256: SHA256.hexString(hasher.finalize()))
    }

    /// One pass: size, SHA-256, and whether any literal occurs (chunks overlap by the longest pattern).
    func scanFile(_ url: URL, chunkSize: Int) throws -> (size: Int, sha256: String, holdsSecret: Bool) {
        let input = try FileHandle(forReadingFrom: url)
        defer { try? input.close() }
        let searching = enabled && !literals.isEmpty
        let keep = searching ? literals.map(\.pattern.count).max()! - 1 : 0
        var hasher = SHA256()
        var size = 0
        var found = false
        var window: [UInt8] = []
        while let chunk = try input.read(upToCount: chunkSize), !chunk.isEmpty {
            let bytes = [UInt8](chunk)
            hasher.update(bytes)
            size += bytes.count
            guard searching, !found else { continue }
            window.append(contentsOf: bytes)
            found = literals.contains { ByteSearch.find($0.pattern, in: window, from: 0) != nil }
            window = Array(window.suffix(keep))
        }
        return (size, SHA256.hexString(hasher.finalize()), found)
    }

    /// The bytes before `limit` with the literals that start there replaced, and how many input bytes
    /// they cover (a match that starts before `limit` is replaced whole).
    func replaceLiterals(in bytes: [UInt8], finalizingBefore limit: Int) -> (emitted: [UInt8], consumed: Int) {
        var emitted: [UInt8] = []
        emitted.reserveCapacity(limit)
        var cursor = 0
        while cursor < limit {
            // The earliest match; at the same position the longest pattern (literals are longest first).
            var best: (at: Int, index: Int)?
            for (index, literal) in literals.enumerated() {
                if let at = ByteSearch.find(literal.pattern, in: bytes, from: cursor), at < limit, best.map({ at < $0.at }) ?? true {
                    best = (at, index)
                }
            }
            guard let best else { break }
            emitted.append(contentsOf: bytes[cursor..<best.at])
            emitted.append(contentsOf: literals[best.index].replacement)
            cursor = best.at + literals[best.index].pattern.count
        }
        if cursor < limit {
            emitted.append(contentsOf: bytes[cursor..<limit])
            cursor = limit
        }
        return (emitted, cursor)
    }
}
