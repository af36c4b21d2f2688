import Foundation
import Durations
import Wire

/// Reading one request: its head within a deadline, the admission check, then a body no longer than
/// admitted. Each way a client can misbehave ends in an error answer or a dropped connection.
extension HTTPConnection {
    /// The next request, or nil when the connection should end (after an error answer if one is due).
    func readRequest(_ reader: ConnectionReader) -> HTTPRequest? {
        guard let head = readHead(reader) else { return nil }
        try? socket.setReceiveTimeout(configuration.idleTimeout)
        let headOnly = HTTPRequest(method: head.method, target: head.target, version: head.version, headers: head.headers)
        var bodyLimit = configuration.maximumBodyLength
        switch configuration.admission?(headOnly) ?? .accept(maximumBodyLength: bodyLimit) {
        case .refuse(let response):
            if let delay = configuration.refusalDelay?(), delay > .zero {
                // This connection's own thread: sleeping holds up no other connection.
                Thread.sleep(forTimeInterval: delay.inSeconds)
            }
            writeFinal(response)
            return nil
        case .accept(let limit):
            bodyLimit = max(0, min(limit, bodyLimit))
        }
        guard let body = readBody(head, reader, limit: bodyLimit) else { return nil }
        var request = headOnly
        request.body = body
        return request
    }

    /// The head, or nil after answering (or silently dropping) a client that did not send one in time.
    private func readHead(_ reader: ConnectionReader) -> HTTPRequestHead? {
        var searched = 0
        var deadline: Deadline?
        while true {
            switch HTTPRequestHead.parse(reader.buffered, maximumLength: configuration.maximumHeadLength, searchFrom: searched) {
            case .complete(let parsed, let length):
                reader.consume(length)
                return parsed
            case .invalid(let status, let reason):
                writeError(status: status, reason: reason)
                return nil
            case .incomplete:
                searched = reader.buffered.count
            }
            // The clock for the whole head starts at its first byte; before that the idle timeout rules.
            if deadline == nil, !reader.buffered.isEmpty { deadline = Deadline(after: configuration.requestHeadTimeout) }
            if let deadline {
                let left = deadline.remaining
                guard left > .zero else {
                    writeError(status: 408, reason: "request head not finished within \(configuration.requestHeadTimeout)")
                    return nil
                }
                try? socket.setReceiveTimeout(min(left, configuration.idleTimeout))
            }
            do {
                if try !reader.fill() {
                    // A request cut short by the client; an idle keep-alive close is silent.
                    if !reader.buffered.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) {
                        writeError(status: 400, reason: "incomplete request head")
                    }
                    return nil
                }
            } catch {
                if !reader.buffered.isEmpty { writeError(status: 408, reason: "request head not finished in time") }
                return nil
            }
        }
    }

    /// The body as framed by the head, or nil after answering a bad or oversized one.
    private func readBody(_ head: HTTPRequestHead, _ reader: ConnectionReader, limit: Int) -> [UInt8]? {
        let contentLengths = Set(head.headers.values("Content-Length").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingASCIISpaces() })
        do {
            if let transferEncoding = head.headers["Transfer-Encoding"] {
                guard contentLengths.isEmpty else {
                    writeError(status: 400, reason: "both Content-Length and Transfer-Encoding")
                    return nil
                }
                guard transferEncoding.split(separator: ",").last.map({ $0.trimmingASCIISpaces().caseInsensitiveEquals("chunked") }) == true else {
                    writeError(status: 501, reason: "unsupported transfer coding \(transferEncoding)")
                    return nil
                }
                continueIfExpected(head)
                return try reader.readChunkedBody(limit: limit)
            }
            guard !contentLengths.isEmpty else { return [] }
            guard contentLengths.count == 1, let text = contentLengths.first, !text.isEmpty, text.count <= 18,
                  text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let length = Int(text)
            else {
                writeError(status: 400, reason: "invalid Content-Length")
                return nil
            }
            guard length <= limit else {
                writeError(status: 413, reason: "body of \(length) bytes exceeds \(limit)")
                return nil
            }
            guard length > 0 else { return [] }
            continueIfExpected(head)
            return try reader.readExactly(length)
        } catch ConnectionReader.ReadError.endOfStream {
            return nil  // the client left mid-body: nobody to answer
        } catch ConnectionReader.ReadError.timedOut {
            writeError(status: 408, reason: "request body not received in time")
            return nil
        } catch ConnectionReader.ReadError.tooLarge {
            writeError(status: 413, reason: "body exceeds \(limit) bytes")
            return nil
        } catch {
            writeError(status: 400, reason: "malformed chunked body")
            return nil
        }
    }

    private func continueIfExpected(_ head: HTTPRequestHead) {
        if head.version == "HTTP/1.1", head.headers["Expect"]?.caseInsensitiveEquals("100-continue") == true {
            try? socket.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
    }
}
