import HTTPServer
import Wire

/// The `Content-Encoding` `listImages` answers with: `br` when the client's `Accept-Encoding` names it,
/// else `gzip`, else none (`datasets/listImages/route.ts`). The replica has no compressor, so both carry
/// the bytes in stored (uncompressed) blocks: valid streams every client decodes, only not smaller.
enum ContentEncoding {
    static func compressed(_ bytes: [UInt8], contentType: String, acceptEncoding: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", contentType)
        let tokens = Set(acceptEncoding.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init))
        if tokens.contains("br") {
            headers.add("Content-Encoding", "br")
            return HTTPResponse(headers: headers, bytes: brotli(bytes))
        }
        if tokens.contains("gzip") {
            headers.add("Content-Encoding", "gzip")
            return HTTPResponse(headers: headers, bytes: gzip(bytes))
        }
        return HTTPResponse(headers: headers, bytes: bytes)
    }

    /// RFC 1952 around RFC 1951 stored blocks (at most 65535 bytes each).
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var start = 0
        repeat {
            let end = min(bytes.count, start + 65535)
            let length = UInt16(end - start)
            out.append(end == bytes.count ? 1 : 0)  // BFINAL, BTYPE 00 (stored)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += bytes[start..<end]
            start = end
        } while start < bytes.count
        out += littleEndian(CRC32.checksum(bytes)) + littleEndian(UInt32(truncatingIfNeeded: bytes.count))
        return out
    }

    /// RFC 7932: WBITS 16 (a single 0 bit), then uncompressed meta-blocks of at most 65536 bytes
    /// (ISLAST 0, MNIBBLES 4, MLEN-1 in 16 bits, ISUNCOMPRESSED 1, padded to a byte), then an empty last
    /// meta-block (ISLAST 1, ISLASTEMPTY 1).
    static func brotli(_ bytes: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        writer.write(0, bits: 1)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + 65536)
            writer.write(0, bits: 1)
            writer.write(0, bits: 2)
            writer.write(UInt32(end - start - 1), bits: 16)
            writer.write(1, bits: 1)
            writer.alignToByte()
            writer.bytes += bytes[start..<end]
            start = end
        }
        writer.write(1, bits: 1)
        writer.write(1, bits: 1)
        writer.alignToByte()
        return writer.bytes
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    }
}

/// Bits packed least-significant first, as deflate and brotli read them.
private struct BitWriter {
    var bytes: [UInt8] = []
    private var pending: UInt32 = 0
    private var pendingCount = 0

    mutating func write(_ value: UInt32, bits: Int) {
        for bit in 0..<bits {
            pending |= ((value >> UInt32(bit)) & 1) << UInt32(pendingCount)
            pendingCount += 1
            if pendingCount == 8 { flush() }
        }
    }

    mutating func alignToByte() {
        if pendingCount > 0 { flush() }
    }

    private mutating func flush() {
        bytes.append(UInt8(pending & 0xFF))
        pending = 0
        pendingCount = 0
    }
}
