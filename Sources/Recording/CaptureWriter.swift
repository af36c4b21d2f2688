import Foundation
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
        var line = record.json.serialized()
        line += "\n"
        let data = Data(line.utf8)
        try handle.withLock { handle in
            guard let handle else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
            try handle.write(contentsOf: data)
        }
    }

    public func close() throws {
        try handle.withLock { handle in
            try handle?.close()
            handle = nil
        }
    }
}
