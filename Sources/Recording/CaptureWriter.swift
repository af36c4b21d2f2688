import Foundation
import Glibc
import JSONCore
import Synchronization

/// Appends records to `capture.jsonl`, one line each, written through to the file at once so a crash
/// of `discover` loses nothing already recorded.
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
            guard let handle else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
            try line.withUTF8 { try Self.writeAll($0, to: handle.fileDescriptor) }
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
