/// A ZIP archive with stored (uncompressed) entries: enough for the `/api/zip` downloads, readable by
/// any unzip tool.
struct StoredZipArchive {
    private var output: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0

    mutating func add(name: String, bytes: [UInt8]) {
        let nameBytes = Array(name.utf8)
        let crc = CRC32.checksum(bytes)
        let offset = UInt32(output.count)
        // Local file header; general-purpose flag 0x0800 says the name is UTF-8.
        append32(&output, 0x0403_4B50); append16(&output, 20); append16(&output, 0x0800); append16(&output, 0)
        append16(&output, 0); append16(&output, 0x21)  // time, date (1980-01-01)
        append32(&output, crc); append32(&output, UInt32(bytes.count)); append32(&output, UInt32(bytes.count))
        append16(&output, UInt16(nameBytes.count)); append16(&output, 0)
        output += nameBytes
        output += bytes

        append32(&central, 0x0201_4B50); append16(&central, 20); append16(&central, 20); append16(&central, 0x0800)
        append16(&central, 0); append16(&central, 0); append16(&central, 0x21)
        append32(&central, crc); append32(&central, UInt32(bytes.count)); append32(&central, UInt32(bytes.count))
        append16(&central, UInt16(nameBytes.count)); append16(&central, 0); append16(&central, 0)
        append16(&central, 0); append16(&central, 0); append32(&central, 0); append32(&central, offset)
        central += nameBytes
        count += 1
    }

    mutating func finish() -> [UInt8] {
        let centralOffset = UInt32(output.count)
        var result = output + central
        append32(&result, 0x0605_4B50); append16(&result, 0); append16(&result, 0)
        append16(&result, UInt16(count)); append16(&result, UInt16(count))
        append32(&result, UInt32(central.count)); append32(&result, centralOffset); append16(&result, 0)
        return result
    }

    private func append16(_ bytes: inout [UInt8], _ value: UInt16) {
        bytes += [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    private func append32(_ bytes: inout [UInt8], _ value: UInt32) {
        bytes += [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    }
}

enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
