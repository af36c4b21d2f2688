import Foundation
import JSONCore

/// One line of `capture.jsonl`, decoded: its record, or why it could not be read.
enum DecodedLine: Sendable {
    case record(CaptureRecord)
    case unreadable(String)

    init(_ line: UnsafeBufferPointer<UInt8>, interner: StringInterner, detail: CaptureDetail = .whole) {
        do {
            self = .record(try CaptureRecord(line: line, interner: interner, detail: detail))
        } catch {
            self = .unreadable("\(error)")
        }
    }
}

/// Whole lines of the file, decoded on a thread of their own. `lines` holds the non-empty ones with
/// their 1-based number inside the chunk; `lineCount` counts every line, empty ones included.
struct DecodedChunk: Sendable {
    var lines: [(offset: Int, line: DecodedLine)] = []
    var lineCount = 0

    init(wholeLines bytes: [UInt8], interner: StringInterner, detail: CaptureDetail) {
        bytes.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            var lineStart = 0
            while lineStart < bytes.count, let found = memchr(base + lineStart, 0x0A, bytes.count - lineStart) {
                let newline = UnsafeRawPointer(base).distance(to: found)
                lineCount += 1
                if newline > lineStart { lines.append((lineCount, DecodedLine(UnsafeBufferPointer(rebasing: bytes[lineStart..<newline]), interner: interner, detail: detail))) }
                lineStart = newline + 1
            }
        }
    }
}

extension CaptureReader {
    /// The same as `read(_:_:)`, with the decoding (most of a pass's work) spread over `decoders`
    /// threads: one thread reads the file in chunks of whole lines and deals them out in turn, each
    /// decoder decodes its chunks, and the calling thread takes the decoded chunks back in file order,
    /// puts the records together and calls `visit`. Exchanges come out exactly as the one-thread
    /// reader hands them out; memory is bounded by a few chunks per decoder.
    /// `clock`, when given, gets the CPU time of reading (`<stage>: read chunks`) and decoding
    /// (`<stage>: decode lines`); the caller's share is its own to measure.
    /// `detail` says how much of each record to decode (on one decoder too).
    public static func read(
        _ url: URL, decoders: Int, detail: CaptureDetail = .whole, clock: StageClock? = nil, stage: String = "read",
        _ visit: (_ exchange: Exchange, _ isUpdate: Bool) -> Void
    ) throws -> Summary {
        try read(url, decoders: decoders, chunkSize: parallelChunkSize, detail: detail, clock: clock, stage: stage, visit)
    }

    static func read(
        _ url: URL, decoders: Int, chunkSize: Int, detail: CaptureDetail = .whole, clock: StageClock? = nil, stage: String = "read",
        _ visit: (_ exchange: Exchange, _ isUpdate: Bool) -> Void
    ) throws -> Summary {
        guard decoders > 1 else { return try read(url, detail: detail, visit) }
        let handle = try FileHandle(forReadingFrom: url)
        let inputs = (0..<decoders).map { _ in HandOff<[UInt8]>(capacity: 2) }
        let outputs = (0..<decoders).map { _ in HandOff<DecodedChunk>(capacity: 2) }
        var threads: [Thread] = []
        for (input, output) in zip(inputs, outputs) {
            threads.append(Thread {
                let decode = {
                    // Each decoder shares the strings of its own chunks: an interner is one thread's.
                    let interner = StringInterner()
                    do {
                        while let chunk = try input.take() {
                            guard output.put(DecodedChunk(wholeLines: chunk, interner: interner, detail: detail)) else { return }
                        }
                        output.finish()
                    } catch {
                        output.finish(throwing: error)
                    }
                }
                if let clock { clock.measure("\(stage): decode lines", decode) } else { decode() }
            })
        }
        threads.append(Thread {
            if let clock {
                clock.measure("\(stage): read chunks") { dealChunks(of: handle, size: chunkSize, to: inputs) }
            } else {
                dealChunks(of: handle, size: chunkSize, to: inputs)
            }
        })
        for (index, thread) in threads.enumerated() {
            thread.name = index < decoders ? "capture-decoder-\(index)" : "capture-chunks"
            // Decoding recurses per nesting level: the same stack as the main thread's.
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer {
            // However the caller's side ends, no thread waits for it afterwards.
            for queue in outputs { queue.cancel() }
            for queue in inputs { queue.cancel() }
        }
        var assembler = Assembler()
        var next = 0
        while let chunk = try outputs[next % decoders].take() {
            assembler.take(chunk, visit)
            next += 1
        }
        assembler.finish(visit)
        return assembler.summary
    }

    /// Reads the file in chunks cut after their last newline and hands chunk k to decoder k mod n; a
    /// last line without a newline gets one. Closes the file when done.
    private static func dealChunks(of handle: FileHandle, size: Int, to inputs: [HandOff<[UInt8]>]) {
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var next = 0
        func deal(_ chunk: [UInt8]) -> Bool {
            defer { next += 1 }
            return inputs[next % inputs.count].put(chunk)
        }
        do {
            while true {
                let data = try handle.read(upToCount: size) ?? Data()
                if data.isEmpty {
                    if !pending.isEmpty {
                        if pending.last != 0x0A { pending.append(0x0A) }
                        guard deal(pending) else { return }
                    }
                    break
                }
                pending.append(contentsOf: data)
                guard let lastNewline = pending.lastIndex(of: 0x0A) else { continue }
                let rest = Array(pending[(lastNewline + 1)...])
                pending.removeSubrange((lastNewline + 1)...)
                guard deal(pending) else { return }
                pending = rest
            }
            for input in inputs { input.finish() }
        } catch {
            for input in inputs { input.finish(throwing: error) }
        }
    }

    /// Small enough that the records a decoder has just built are still in the caches when the
    /// calling thread takes them: with 1 MiB chunks (some 1,500 exchanges, a few MiB of records in
    /// flight per decoder) reading a million exchanges on two threads took 10 to 25 % more time
    /// (alternated runs) and 78 MB against 50 MB with 128 KiB (issue 16). Large enough that handing
    /// one over (a lock and a wake-up) costs little next to decoding its two hundred lines.
    static let parallelChunkSize = 1 << 17
}
