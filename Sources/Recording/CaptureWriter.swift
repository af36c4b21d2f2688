import Foundation
import Glibc
import JSONCore
import Synchronization

/// Appends records to `capture.jsonl`, one line each, written through to the file at once: a crash of
/// `discover` loses nothing the writer was given. (The recorder hands it records from a queue of its
/// own, `CaptureOutput`, which holds at most about 1 MiB not yet written; a signal empties it first.)
public final class CaptureWriter: Sendable {
    public let url: URL
    private let handle: Mutex<FileHandle?>

    public init(url: URL) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = Mutex(try FileHandle(forWritingTo: url))
    }

    public func append(_ record: CaptureRecord) throws {
        var line = record.serializedLine()
        line += "\n"
        try handle.withLock { handle in
            guard let handle else { throw OutputFileError(path: url.path, reason: "the capture is already closed") }
            let descriptor = handle.fileDescriptor
            let lineStart = lseek(descriptor, 0, SEEK_CUR)
            do {
                try line.withUTF8 { try Self.writeAll($0, to: descriptor) }
            } catch {
                // A full disk takes part of a line: cut it off again so the file ends on a whole record.
                if lineStart >= 0, ftruncate(descriptor, lineStart) == 0 { lseek(descriptor, lineStart, SEEK_SET) }
                throw OutputFileError(path: url.path, error: error)
            }
        }
    }

    /// One `write(2)` per record in the common case: FileHandle's Data path costs more than the write.
    private static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            offset += written
        }
    }

    public func close() throws {
        try handle.withLock { handle in
            try handle?.close()
            handle = nil
        }
    }
}
