import Foundation
import JSONCore

/// What can be known of a binary WebSocket frame: its size, and the JSON header many binary
/// protocols carry. Two framings are read: a table of part offsets (a little-endian 64-bit count,
/// then that many offsets, as Jupyter's `v1.kernel.websocket.jupyter.org` sends), and a 32-bit
/// length before a JSON document. The first part that is a JSON object names the message.
enum BinaryFrame {
    static func header(_ bytes: [UInt8]) -> JSON? {
        if let parts = offsetTableParts(bytes) {
            for part in parts where part.first == 0x7B {
                if let json = try? JSON.parse(bytes: Array(part)), json.objectValue != nil { return json }
            }
        }
        for bigEndian in [true, false] {
            guard bytes.count > 4 else { break }
            let length = bigEndian
                ? Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
                : Int(bytes[3]) << 24 | Int(bytes[2]) << 16 | Int(bytes[1]) << 8 | Int(bytes[0])
            guard length > 1, length <= bytes.count - 4, bytes[4] == 0x7B else { continue }
            if let json = try? JSON.parse(bytes: Array(bytes[4..<(4 + length)])), json.objectValue != nil { return json }
        }
        return nil
    }

    /// Parts between ascending offsets, when the frame starts with a plausible offset table.
    private static func offsetTableParts(_ bytes: [UInt8]) -> [ArraySlice<UInt8>]? {
        func u64(at index: Int) -> Int? {
            guard index + 8 <= bytes.count else { return nil }
            var value: UInt64 = 0
            for shift in 0..<8 { value |= UInt64(bytes[index + shift]) << (8 * UInt64(shift)) }
            return value <= UInt64(Int.max) ? Int(value) : nil
        }
        guard let count = u64(at: 0), count >= 1, count <= 64 else { return nil }
        var offsets: [Int] = []
        for index in 0..<count {
            guard let offset = u64(at: 8 * (index + 1)), offset <= bytes.count, offset >= (offsets.last ?? 8 * (count + 1)) else { return nil }
            offsets.append(offset)
        }
        guard offsets.first == 8 * (count + 1) else { return nil }
        offsets.append(bytes.count)
        return (0..<count).map { bytes[offsets[$0]..<offsets[$0 + 1]] }
    }
}
