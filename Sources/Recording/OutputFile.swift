import Foundation
import Glibc

/// A file the run could not write, named, with the system's reason ("No space left on device") rather
/// than Foundation's `NSCocoaErrorDomain` text.
public struct OutputFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public init(path: String, error: any Error) {
        self.init(path: path, reason: Self.reason(of: error))
    }

    public var description: String { "cannot write \(path): \(reason)" }

    /// The system's reason for a failed read, without Foundation's `NSCocoaErrorDomain` wording.
    public static func reason(ofReading error: any Error) -> String { reason(of: error) }

    /// The POSIX reason inside a Foundation error, when there is one.
    static func reason(of error: any Error) -> String {
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if let output = error as? OutputFileError { return output.reason }
        return ns.localizedFailureReason ?? ns.localizedDescription
    }
}

/// Output files appear whole or not at all: written beside their place (`.name.partial`) and renamed
/// over it, so an interrupt or a full disk leaves the previous version or nothing, never half a file.
public enum AtomicFile {
    public static func write(_ text: String, to url: URL) throws(OutputFileError) {
        try write(to: url) { handle in try handle.write(contentsOf: Data(text.utf8)) }
    }

    public static func write(to url: URL, _ body: (FileHandle) throws -> Void) throws(OutputFileError) {
        let partial = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".partial")
        do {
            guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            let handle = try FileHandle(forWritingTo: partial)
            do {
                try body(handle)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard rename(partial.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw OutputFileError(path: url.path, error: error)
        }
    }
}
