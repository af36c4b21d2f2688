import Foundation
import Synchronization

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `--remote-debugging-pipe`: NUL-terminated JSON messages, ours on the browser's fd 3, its on fd 4.
public final class PipeTransport: DevToolsTransport {
    private let writeDescriptor: Mutex<Int32>
    private let reader: PipeReader

    /// Takes ownership of both descriptors.
    public init(readDescriptor: Int32, writeDescriptor: Int32) {
        self.writeDescriptor = Mutex(writeDescriptor)
        self.reader = PipeReader(descriptor: readDescriptor)
        // A write after the browser died must fail with EPIPE, not kill this process.
        signal(SIGPIPE, SIG_IGN)
    }

    public func send(_ message: String) throws {
        var message = message
        try writeDescriptor.withLock { descriptor in
            guard descriptor >= 0 else { throw DevToolsError.disconnected(reason: "the pipe was closed") }
            try message.withUTF8 { body in
                try Self.writeAll(descriptor, body: UnsafeRawBufferPointer(body))
            }
        }
    }

    /// One `writev` carries the message and its terminator, so a small message costs one system call.
    private static func writeAll(_ descriptor: Int32, body: UnsafeRawBufferPointer) throws {
        var terminator: UInt8 = 0
        var offset = 0
        let total = body.count + 1
        while offset < total {
            let written: Int = withUnsafeMutablePointer(to: &terminator) { terminatorPointer in
                let tail = iovec(iov_base: UnsafeMutableRawPointer(terminatorPointer), iov_len: 1)
                guard offset < body.count else { return withUnsafePointer(to: tail) { writev(descriptor, $0, 1) } }
                let head = iovec(iov_base: UnsafeMutableRawPointer(mutating: body.baseAddress! + offset), iov_len: body.count - offset)
                var vectors = (head, tail)
                return withUnsafePointer(to: &vectors) {
                    $0.withMemoryRebound(to: iovec.self, capacity: 2) { writev(descriptor, $0, 2) }
                }
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw DevToolsError.disconnected(reason: "writing to the browser pipe failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    public func receive() throws -> [UInt8]? {
        try reader.next()
    }

    public func close() {
        writeDescriptor.withLock { descriptor in
            if descriptor >= 0 { Glibc.close(descriptor) }
            descriptor = -1
        }
    }
}

/// Splits the byte stream at NULs. Only the connection's single reader thread touches it, which is
/// why it needs no lock.
private final class PipeReader: @unchecked Sendable {
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 18)
    }

    deinit {
        chunk.deallocate()
        if descriptor >= 0 { close(descriptor) }
    }

    func next() throws -> [UInt8]? {
        while true {
            if let end = terminatorIndex() {
                let message = Array(buffer[start..<end])
                start = end + 1
                scanned = start
                if start == buffer.count {
                    // Keep a small buffer warm; give back what a 50 MB reply made it grow to.
                    buffer.removeAll(keepingCapacity: buffer.capacity <= 4 << 20)
                    start = 0
                    scanned = 0
                }
                return message
            }
            scanned = buffer.count
            if start > 0 {
                buffer.removeFirst(start)
                scanned -= start
                start = 0
            }
            guard descriptor >= 0 else { return nil }
            let count = read(descriptor, chunk.baseAddress, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(descriptor)
                descriptor = -1
                throw DevToolsError.disconnected(reason: "reading the browser pipe failed: \(reason)")
            }
            if count == 0 {
                close(descriptor)
                descriptor = -1
                return nil
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
    }

    private func terminatorIndex() -> Int? {
        guard scanned < buffer.count else { return nil }
        return buffer.withUnsafeBytes { bytes -> Int? in
            guard let found = memchr(bytes.baseAddress! + scanned, 0, bytes.count - scanned) else { return nil }
            return UnsafeRawPointer(bytes.baseAddress!).distance(to: UnsafeRawPointer(found))
        }
    }
}
