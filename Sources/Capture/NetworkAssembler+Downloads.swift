import Browser
import Foundation
import Recording

/// A download between `Browser.downloadWillBegin` and its file being saved under its own name.
struct DownloadState {
    var url: String
    var suggestedFilename: String
    var startedAt: Double
    /// The in-flight hop held back until the download is saved, or a copy of the exchange already
    /// written, or nil (no request seen: a blob or data URL) and a standalone exchange is written.
    var heldHopID: String?
    var writtenExchange: Exchange?
    var provenance: Provenance?
}

extension NetworkAssembler {
    func downloadWillBegin(_ download: NetworkDownload) {
        let (guid, url, suggested) = (download.guid, download.url, download.suggestedFilename)
        let startedAt = Date().timeIntervalSince1970
        var state = DownloadState(url: url, suggestedFilename: suggested, startedAt: startedAt, provenance: provenance(at: startedAt, frameId: download.frameId))
        if let hop = hops.values.filter({ $0.exchange.url == url && $0.exchange.kind == .http }).max(by: { $0.startTimestamp < $1.startTimestamp }) {
            hop.downloadGUID = guid
            state.heldHopID = hop.exchange.id
        } else if let exchange = recent.last(where: { $0.url == url }) {
            state.writtenExchange = exchange
        }
        downloads[guid] = state
    }

    func downloadProgress(guid: String, state progress: String, _ commands: inout [NetworkCommand]) {
        guard let state = downloads[guid] else { return }
        switch progress {
        case "completed":
            commands.append(.saveDownload(guid: guid, suggestedFilename: state.suggestedFilename))
        case "canceled":
            writeDownload(guid: guid, download: state, state: .canceled)
            downloads[guid] = nil
        default: break
        }
    }

    /// The recorder renamed the file and hashed it.
    public func downloadSaved(guid: String, path: String?, size: Int?, sha256: String?, redacted: Bool = false, error: String?) {
        guard let state = downloads[guid] else { return }
        writeDownload(
            guid: guid, download: state, state: path == nil ? .canceled : .completed, path: path, size: size, sha256: sha256,
            redacted: redacted, error: error)
        downloads[guid] = nil
    }

    func writeDownload(
        guid: String, download: DownloadState, state: Download.State, path: String? = nil, size: Int? = nil, sha256: String? = nil,
        redacted: Bool = false, error: String? = nil
    ) {
        var record = Download(suggestedFilename: download.suggestedFilename, path: path, size: size, sha256: sha256, state: state)
        record.redacted = redacted
        if let id = download.heldHopID, let hop = hops[id] {
            hop.exchange.download = record
            // Chromium ends the navigation that became a download as aborted; the download is the outcome.
            if hop.exchange.failure?.errorText == "net::ERR_ABORTED" { hop.exchange.failure = nil }
            hop.downloadGUID = nil
            tryComplete(hop)
            return
        }
        var exchange = download.writtenExchange ?? Exchange(
            id: makeID(), method: "GET", url: download.url, resourceType: "Download", startedAt: download.startedAt,
            endedAt: Date().timeIntervalSince1970, provenance: download.provenance)
        if exchange.failure?.errorText == "net::ERR_ABORTED" { exchange.failure = nil }
        exchange.download = record
        if let error { exchange.failure = Failure(errorText: "download could not be saved: \(error)") }
        output.exchange(exchange)
        if let index = recent.firstIndex(where: { $0.id == exchange.id }) { recent[index] = exchange }
    }
}
