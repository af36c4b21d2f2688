import Foundation
import Glibc

/// The one way flow files are read, by `run` and by `validate` alike, so neither accepts a file the
/// other refuses: a regular file (not a FIFO that blocks forever or `/dev/zero` that never ends), of a
/// size a flow can have, UTF-8, with a byte-order mark (as some Windows editors write) dropped.
enum FlowFileReader {
    static let maximumSize = 8 << 20

    static func read(_ path: String) throws(FlowFileError) -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw FlowFileError(file: path, message: "cannot read the file: \(reason)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let kind: String
            switch info.st_mode & S_IFMT {
            case S_IFDIR: kind = "a folder"
            case S_IFIFO: kind = "a FIFO"
            case S_IFCHR, S_IFBLK: kind = "a device"
            case S_IFSOCK: kind = "a socket"
            default: kind = "not a regular file"
            }
            throw FlowFileError(file: path, message: "is \(kind), not a flow file")
        }
        guard Int(info.st_size) <= maximumSize else {
            throw FlowFileError(file: path, message: "is \(info.st_size) bytes; a flow file is at most \(maximumSize >> 20) MB")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FlowFileError(file: path, message: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw FlowFileError(file: path, message: "is not UTF-8 text")
        }
        return bytes
    }
}
