extension HTTP1 {
    /// Decodes a `Transfer-Encoding: chunked` body as its bytes arrive: `feed` returns the body bytes found
    /// so far and how many input bytes it used; `isComplete` turns true after the last chunk and trailers.
    public struct ChunkedDecoder: Sendable {
        private enum State: Sendable {
            case sizeLine
            case data(remaining: Int)
            case dataEnd
            case trailers
            case done
        }

        public let maximumBodySize: Int
        private var state = State.sizeLine
        private var line: [UInt8] = []
        public private(set) var decodedByteCount = 0

        public init(maximumBodySize: Int = 256 << 20) { self.maximumBodySize = maximumBodySize }

        public var isComplete: Bool { if case .done = state { true } else { false } }

        /// Decodes from `input`, appending body bytes to `body`. Returns the number of input bytes used: all
        /// of them unless the body ended inside `input` (the rest belongs to the next message).
        @discardableResult
        public mutating func feed(_ input: UnsafeRawBufferPointer, into body: inout [UInt8]) throws -> Int {
            var index = 0
            while index < input.count {
                switch state {
                case .done:
                    return index
                case .data(let remaining):
                    let take = min(remaining, input.count - index)
                    body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<index + take]))
                    index += take
                    state = remaining == take ? .dataEnd : .data(remaining: remaining - take)
                case .sizeLine, .dataEnd, .trailers:
                    let byte = input[index]
                    index += 1
                    guard byte == 0x0A else {
                        line.append(byte)
                        if line.count > 4096 { throw HTTPError.malformedChunkedBody("a chunk line longer than 4096 bytes") }
                        continue
                    }
                    if line.last == 0x0D { line.removeLast() }
                    try endLine()
                }
            }
            return index
        }

        @discardableResult
        public mutating func feed(_ input: [UInt8], into body: inout [UInt8]) throws -> Int {
            try input.withUnsafeBytes { try feed($0, into: &body) }
        }

        private mutating func endLine() throws {
            defer { line.removeAll(keepingCapacity: true) }
            switch state {
            case .sizeLine:
                // `1a;name=value`: the size in hex, then optional extensions we ignore.
                let sizeText = String(decoding: line.prefix { $0 != UInt8(ascii: ";") }, as: UTF8.self).trimmingHTTPWhitespace()
                guard !sizeText.isEmpty, sizeText.count <= 15, let size = Int(sizeText, radix: 16), size >= 0 else {
                    throw HTTPError.malformedChunkedBody("chunk size line \"\(String(decoding: line, as: UTF8.self))\" is not hexadecimal")
                }
                decodedByteCount += size
                if decodedByteCount > maximumBodySize {
                    throw HTTPError.tooLarge("chunked body exceeds \(maximumBodySize) bytes")
                }
                state = size == 0 ? .trailers : .data(remaining: size)
            case .dataEnd:
                guard line.isEmpty else {
                    throw HTTPError.malformedChunkedBody("chunk data not followed by CRLF")
                }
                state = .sizeLine
            case .trailers:
                if line.isEmpty { state = .done }
            case .data, .done:
                break
            }
        }
    }
}
