import Foundation
import HTTPServer
import Wire

/// `GET /api/audio/art/<folder>/<file>` (`audio/art/[...audioPath]/route.ts`): the picture embedded in an
/// MP3's ID3v2 tag (APIC, or PIC in v2.2). Not public: it needs the token like any other `/api` route,
/// though the real UI loads it with a plain `<img src>`.
struct AlbumArtRoute: Sendable {
    let context: ReplicaContext

    func serve(_ segments: [String]) -> HTTPResponse {
        func text(_ message: String, _ status: Int) -> HTTPResponse {
            .text(message, status: status, contentType: "text/plain;charset=UTF-8")
        }
        // Segments arrive decoded; the legacy form is one segment holding the whole path.
        let path = segments.joined(separator: "/")
        let roots = [context.datasetsFolder, context.trainingFolder, context.dataRoot.path]
        guard let url = ConfinedPath.inside(path, roots: roots) else { return text("Access denied", 403) }
        let type = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
        guard type == .typeRegular || type == .typeSymbolicLink, let handle = try? FileHandle(forReadingFrom: url) else {
            return text("File not found", 404)
        }
        defer { try? handle.close() }
        let header = Array((try? handle.read(upToCount: 10)) ?? Data())
        guard header.count == 10, header[0] == 0x49, header[1] == 0x44, header[2] == 0x33 else { return text("No ID3 tag", 404) }
        try? handle.seek(toOffset: 0)
        let tag = Array((try? handle.read(upToCount: min(10 + ID3.synchsafe(header[6...9]), 4_000_000))) ?? Data())
        guard let art = ID3.picture(in: tag) else { return text("No album art found", 404) }
        var headers = HTTPHeaders()
        headers.add("Content-Type", art.mime)
        headers.add("Cache-Control", "public, max-age=604800, immutable")
        return HTTPResponse(headers: headers, bytes: art.data)
    }
}

/// The real route's ID3v2 reader, step for step: tag-level unsynchronisation, the extended header, and
/// the first picture frame with more than 64 bytes of image.
enum ID3 {
    static func synchsafe(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { ($0 << 7) | Int($1 & 0x7F) }
    }

    private static func removingUnsynchronisation(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            out.append(bytes[index])
            if bytes[index] == 0xFF, index + 1 < bytes.count, bytes[index + 1] == 0 { index += 1 }
            index += 1
        }
        return out
    }

    /// The index after a NUL-terminated string (two NUL bytes in UTF-16, stepped two at a time).
    private static func afterTerminator(_ bytes: [UInt8], from start: Int, wide: Bool) -> Int {
        var index = start
        if wide {
            while index + 1 < bytes.count, !(bytes[index] == 0 && bytes[index + 1] == 0) { index += 2 }
            return index + 2
        }
        while index < bytes.count, bytes[index] != 0 { index += 1 }
        return index + 1
    }

    static func picture(in tag: [UInt8]) -> (mime: String, data: [UInt8])? {
        guard tag.count >= 10, tag[0] == 0x49, tag[1] == 0x44, tag[2] == 0x33 else { return nil }
        let major = tag[3], flags = tag[5]
        var data = Array(tag[10..<min(10 + synchsafe(tag[6...9]), tag.count)])
        if flags & 0x80 != 0 { data = removingUnsynchronisation(data) }
        var offset = 0
        if major == 3 || major == 4, flags & 0x40 != 0, data.count >= 4 {
            let size = major == 4 ? synchsafe(data[0...3]) : data[0...3].reduce(0) { ($0 << 8) | Int($1) }
            offset += 4 + max(0, size)
        }
        while offset < data.count, data[offset] != 0 {
            let idLength = major == 2 ? 3 : 4, headerLength = major == 2 ? 6 : 10
            guard offset + headerLength <= data.count else { break }
            let id = String(decoding: data[offset..<(offset + idLength)], as: UTF8.self)
            let sizeBytes = data[(offset + idLength)..<(offset + idLength + (major == 2 ? 3 : 4))]
            let size = major == 4 ? synchsafe(sizeBytes) : sizeBytes.reduce(0) { ($0 << 8) | Int($1) }
            let frameFlags = major == 2 ? 0 : data[offset + 9]
            offset += headerLength
            guard !id.trimmingCharacters(in: .whitespaces).isEmpty, size > 0, offset + size <= data.count else { break }
            var frame = Array(data[offset..<(offset + size)])
            if major == 2, id == "PIC", size > 6 {
                let mime = String(decoding: frame[1..<4], as: UTF8.self).lowercased() == "png" ? "image/png" : "image/jpeg"
                let start = afterTerminator(frame, from: 5, wide: frame[0] == 1 || frame[0] == 2)
                if start < frame.count, frame.count - start > 64 { return (mime, Array(frame[start...])) }
            } else if major != 2, id == "APIC" {
                if major == 4, frameFlags & 0x02 != 0 { frame = removingUnsynchronisation(frame) }
                let mimeEnd = afterTerminator(frame, from: 1, wide: false)
                let mimeText = String(decoding: frame[min(1, frame.count)..<min(max(1, mimeEnd - 1), frame.count)], as: UTF8.self)
                var start = mimeEnd
                if start < frame.count { start += 1 }  // the picture type
                start = afterTerminator(frame, from: start, wide: frame.first == 1 || frame.first == 2)
                if start < frame.count, frame.count - start > 64 { return (mimeText.isEmpty ? "image/jpeg" : mimeText, Array(frame[start...])) }
            }
            offset += size
        }
        return nil
    }
}
