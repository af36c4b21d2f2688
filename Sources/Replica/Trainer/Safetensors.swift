import JSONCore

/// Writes the safetensors format: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte offsets (plus `__metadata__`), padded with spaces to 8 bytes, then
/// the tensor bytes.
enum Safetensors {
    struct Tensor {
        var name: String
        var shape: [Int]
        var values: [Float]
    }

    static func encode(_ tensors: [Tensor], metadata: [String: String]) -> [UInt8] {
        var header: [String: JSON] = ["__metadata__": .object(metadata.mapValues { .string($0) })]
        var data: [UInt8] = []
        for tensor in tensors {
            let start = data.count
            for value in tensor.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
            header[tensor.name] = [
                "dtype": "F32", "shape": .array(tensor.shape.map { .integer($0) }),
                "data_offsets": [.integer(start), .integer(data.count)],
            ]
        }
        var headerBytes = Array(JSON.object(header).serialized().utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var output: [UInt8] = []
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { output += $0 }
        return output + headerBytes + data
    }

    /// A small LoRA-shaped file: one down and one up matrix whose values depend on the step.
    static func lora(name: String, step: Int, rank: Int = 4, width: Int = 8) -> [UInt8] {
        let scale = Float(step + 1) / 1000
        let down = (0..<(rank * width)).map { Float(($0 % 7) - 3) * scale }
        let up = (0..<(width * rank)).map { Float(($0 % 5) - 2) * scale / 2 }
        return encode([
            Tensor(name: "lora_unet_single_blocks_0_linear1.lora_down.weight", shape: [rank, width], values: down),
            Tensor(name: "lora_unet_single_blocks_0_linear1.lora_up.weight", shape: [width, rank], values: up),
        ], metadata: ["format": "pt", "name": name, "ss_steps": String(step), "software": "ai-toolkit replica"])
    }
}

/// A one-pixel PNG, standing in for a generated sample image.
enum TinyPNG {
    static func make(red: UInt8, green: UInt8, blue: UInt8) -> [UInt8] {
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + body
            return bigEndian(UInt32(body.count)) + typed + bigEndian(CRC32.checksum(typed))
        }
        let raw: [UInt8] = [0, red, green, blue]  // filter byte, then one RGB pixel
        var adlerA: UInt32 = 1, adlerB: UInt32 = 0
        for byte in raw {
            adlerA = (adlerA + UInt32(byte)) % 65521
            adlerB = (adlerB + adlerA) % 65521
        }
        let zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(raw.count), 0, ~UInt8(raw.count), 0xFF] + raw + bigEndian(adlerB << 16 | adlerA)
        let header = bigEndian(1) + bigEndian(1) + [8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", [])
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
