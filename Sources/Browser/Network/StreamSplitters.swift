import Foundation

/// One event of a `text/event-stream`, as the SSE specification dispatches it.
public struct ServerSentEvent: Sendable, Hashable {
    public var event: String
    public var data: String
    public var id: String?
}

/// Incremental parser for `text/event-stream` (the WHATWG "event stream interpretation"): lines end in
/// CRLF, LF or CR (a CR may end one chunk and its LF start the next), `:` starts a comment, `data` lines
/// are joined with newlines, an event is dispatched on a blank line, an event with no data is dropped,
/// and an unterminated event at the end of the stream is discarded.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var atStart = true
    private var eventType = ""
    private var data: [UInt8] = []
    private var hasData = false
    private var lastEventId = ""

    public init() {}

    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [ServerSentEvent] where Bytes.Element == UInt8 {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0D:
                lastWasCR = true
                endLine(into: &events)
            case 0x0A:
                endLine(into: &events)
            default:
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine(into events: inout [ServerSentEvent]) {
        defer { line.removeAll(keepingCapacity: true) }
        if atStart {
            atStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty {
            dispatch(into: &events)
            return
        }
        if line[0] == UInt8(ascii: ":") { return }
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = []
        }
        switch String(decoding: field, as: UTF8.self) {
        case "event": eventType = String(decoding: value, as: UTF8.self)
        case "data":
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        case "id":
            if !value.contains(0) { lastEventId = String(decoding: value, as: UTF8.self) }
        default: break
        }
    }

    private mutating func dispatch(into events: inout [ServerSentEvent]) {
        defer {
            eventType = ""
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        guard hasData else { return }
        events.append(ServerSentEvent(
            event: eventType.isEmpty ? "message" : eventType, data: String(decoding: data, as: UTF8.self),
            id: lastEventId.isEmpty ? nil : lastEventId))
    }
}

/// Splits newline-delimited JSON (`application/x-ndjson`, `application/jsonl`) into lines, tolerating
/// CRLF and blank lines; `finish()` returns a last line that had no newline.
public struct NDJSONSplitter: Sendable {
    private var pending: [UInt8] = []
    public init() {}

    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [String] where Bytes.Element == UInt8 {
        var lines: [String] = []
        for byte in bytes {
            if byte == 0x0A {
                emit(into: &lines)
            } else {
                pending.append(byte)
            }
        }
        return lines
    }

    public mutating func finish() -> [String] {
        var lines: [String] = []
        emit(into: &lines)
        return lines
    }

    private mutating func emit(into lines: inout [String]) {
        defer { pending.removeAll(keepingCapacity: true) }
        var end = pending.count
        if end > 0, pending[end - 1] == 0x0D { end -= 1 }
        let slice = pending[..<end]
        guard slice.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
        lines.append(String(decoding: slice, as: UTF8.self))
    }
}

/// The stream framing a response's MIME type calls for, if any.
public enum StreamFraming: String, Sendable {
    case serverSentEvents
    case ndjson

    public init?(mimeType: String?) {
        guard let mimeType else { return nil }
        let base = mimeType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch base {
        case "text/event-stream": self = .serverSentEvents
        case "application/x-ndjson", "application/jsonl", "application/ndjson", "application/jsonlines", "application/x-jsonlines":
            self = .ndjson
        default: return nil
        }
    }
}
