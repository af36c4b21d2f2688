import Wire

/// Buffered reads from one accepted socket, in the shapes HTTP needs: heads, lines, exact counts.
/// Every count in here comes from the peer, so each is checked before it becomes an index.
final class ConnectionReader {
    enum ReadError: Error {
        /// The peer closed the connection before the awaited bytes arrived.
        case endOfStream
        /// The receive timeout expired.
        case timedOut
        case lineTooLong
        case malformed(String)
        case tooLarge
    }

    let socket: Socket
    private(set) var buffer: [UInt8] = []
    private var start = 0

    init(socket: Socket) {
        self.socket = socket
    }

    var buffered: ArraySlice<UInt8> { buffer[start...] }

    /// True when a read brought bytes; false at end of stream. Compacting moves the buffered bytes to
    /// index 0, so callers keep positions relative to `buffered.startIndex`, never absolute indices.
    func fill() throws -> Bool {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 65_536 {
            buffer.removeFirst(start)
            start = 0
        }
        let chunk: [UInt8]
        do {
            chunk = try socket.read(maxBytes: 65_536)
        } catch let error as SocketError where error.isTimeout {
            throw ReadError.timedOut
        } catch {
            return false
        }
        if chunk.isEmpty { return false }
        buffer.append(contentsOf: chunk)
        return true
    }

    func consume(_ count: Int) {
        precondition(count >= 0 && count <= buffer.count - start, "consumed more than was buffered")
        start += count
    }

    func readExactly(_ count: Int) throws -> [UInt8] {
        guard count >= 0 else { throw ReadError.malformed("negative length") }
        while buffer.count - start < count {
            guard try fill() else { throw ReadError.endOfStream }
        }
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        return bytes
    }

    /// One line without its CRLF (or bare LF), at most `maximumLength` bytes before the line ending.
    func readLine(maximumLength: Int) throws -> ArraySlice<UInt8> {
        // Bytes after `start` already known to hold no LF; relative, because `fill` may compact.
        var scannedCount = 0
        while true {
            if let newline = buffer[(start + scannedCount)...].firstIndex(of: 0x0A) {
                var line = buffer[start..<newline]
                if line.last == 0x0D { line = line.dropLast() }
                guard line.count <= maximumLength else { throw ReadError.lineTooLong }
                start = newline + 1
                return line
            }
            scannedCount = buffer.count - start
            if scannedCount > maximumLength + 1 { throw ReadError.lineTooLong }
            guard try fill() else { throw ReadError.endOfStream }
        }
    }

    /// A `Transfer-Encoding: chunked` body, trailers discarded (at most `maximumTrailerLength` bytes of them).
    func readChunkedBody(limit: Int, maximumTrailerLength: Int = 65_536) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let size = try Self.chunkSize(readLine(maximumLength: 4096))
            if size == 0 {
                var trailerLength = 0
                while case let line = try readLine(maximumLength: maximumTrailerLength), !line.isEmpty {
                    trailerLength += line.count + 2
                    guard trailerLength <= maximumTrailerLength else { throw ReadError.lineTooLong }
                }
                return body
            }
            guard size <= limit - body.count else { throw ReadError.tooLarge }
            body.append(contentsOf: try readExactly(size))
            guard try readLine(maximumLength: 2).isEmpty else { throw ReadError.malformed("chunk data longer than its size") }
        }
    }

    /// The size on a chunk-size line: hex digits only (no sign, no `0x`), before any `;extension`.
    /// At most 15 digits, so it fits in an Int with room to add.
    static func chunkSize(_ line: ArraySlice<UInt8>) throws -> Int {
        let digits = line.prefix { $0 != UInt8(ascii: ";") }.trimmingSpacesAndTabs()
        guard !digits.isEmpty, digits.count <= 15 else { throw ReadError.malformed("bad chunk size line") }
        var size = 0
        for byte in digits {
            guard let value = hexValue(byte) else { throw ReadError.malformed("bad chunk size line") }
            size = size << 4 | value
        }
        return size
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}

extension ArraySlice<UInt8> {
    func trimmingSpacesAndTabs() -> ArraySlice<UInt8> {
        let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return [] }
        return self[first...last]
    }
}
