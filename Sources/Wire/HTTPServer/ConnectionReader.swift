/// Buffered reads from one accepted socket, in the shapes HTTP needs: heads, lines, exact counts.
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

    /// True when a read brought bytes; false at end of stream.
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
        start += count
    }

    func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count - start < count {
            guard try fill() else { throw ReadError.endOfStream }
        }
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        return bytes
    }

    /// One line without its CRLF (or bare LF).
    func readLine(maximumLength: Int) throws -> ArraySlice<UInt8> {
        var scanned = start
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                var line = buffer[start..<newline]
                if line.last == 0x0D { line = line.dropLast() }
                start = newline + 1
                return line
            }
            scanned = buffer.count
            if buffer.count - start > maximumLength { throw ReadError.lineTooLong }
            guard try fill() else { throw ReadError.endOfStream }
        }
    }

    /// A `Transfer-Encoding: chunked` body, trailers discarded.
    func readChunkedBody(limit: Int) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine(maximumLength: 4096)
            let sizeText = line.prefix { $0 != UInt8(ascii: ";") }
            let hex = String(decoding: sizeText, as: UTF8.self).trimmingASCIISpaces()
            guard !hex.isEmpty, hex.count <= 15, let size = Int(hex, radix: 16) else {
                throw ReadError.malformed("bad chunk size line")
            }
            if size == 0 {
                while try !readLine(maximumLength: 8192).isEmpty {}
                return body
            }
            guard body.count + size <= limit else { throw ReadError.tooLarge }
            body.append(contentsOf: try readExactly(size))
            guard try readLine(maximumLength: 2).isEmpty else { throw ReadError.malformed("chunk data longer than its size") }
        }
    }
}
